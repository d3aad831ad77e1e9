"""The article the project started from: `monitor ingest` reports exactly what it claims."""

from __future__ import annotations

import html
import json

import pytest
from click.testing import CliRunner
from conftest import SEED_TEXT
from support.loopback import Response

from monitor.cli.main import cli

pytestmark = pytest.mark.skipif(not SEED_TEXT.exists(), reason="../shared/seed is not beside the project")


def seed_page() -> str:
    """The seed text as a news page would carry it: navigation, headline, paragraphs, footer."""
    paragraphs = SEED_TEXT.read_text(encoding="utf-8").split("\n\n")
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Ford CEO says competing with China means getting access to its battery IP</title>
<meta property="og:site_name" content="EV Dispatch">
<meta property="article:published_time" content="2025-07-01T08:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/ev">EVs</a> <a href="/batteries">Batteries</a></nav>
<article><h1>Ford CEO says competing with China means getting access to its battery IP</h1>
{body}</article>
<footer>Subscribe to EV Dispatch for 30% off. © 2025 EV Dispatch</footer></body></html>"""


def claims_of(result) -> dict[str, list[dict]]:
    [article] = json.loads(result.stdout)["articles"]
    by_kind: dict[str, list[dict]] = {}
    for claim in article["claims"]:
        by_kind.setdefault(claim["kind"], []).append(claim)
    return by_kind


def assert_seed_claims(by_kind: dict[str, list[dict]]) -> None:
    quotes = by_kind.get("quote", [])
    assert [q["speaker"] for q in quotes] == ["Jim Farley", "Jim Farley"]
    assert quotes[0]["text"].startswith("The way we compete with them")
    assert quotes[1]["text"].startswith("It will be one of the most important races")
    [share] = by_kind.get("quantity", [])
    assert (share["value"], share["unit"]) == (83, "%")
    assert share["object"] == "of the entire global lithium-ion battery manufacturing capacity"
    assert sorted(c["company"] for c in by_kind.get("company", [])) == ["CATL", "Ford"]


def test_seed_text_file(db_path):
    result = CliRunner().invoke(cli, ["--db", str(db_path), "ingest", "--json", str(SEED_TEXT)])
    assert result.exit_code == 0, result.stderr
    assert_seed_claims(claims_of(result))


def test_seed_as_a_web_page(db_path, server):
    server.routes["/2025/07/ford-ceo-china-battery-ip"] = Response(body=seed_page())
    url = server.url("/2025/07/ford-ceo-china-battery-ip")
    result = CliRunner().invoke(cli, ["--db", str(db_path), "ingest", "--json", url])
    assert result.exit_code == 0, result.stderr
    assert_seed_claims(claims_of(result))


def test_seed_summary_names_speaker_share_and_companies(db_path):
    result = CliRunner().invoke(cli, ["--db", str(db_path), "ingest", str(SEED_TEXT)])
    assert "Jim Farley: “The way we compete" in result.stdout
    assert "83%" in result.stdout and "of the entire global lithium-ion battery" in result.stdout
    assert "companies (2): Ford, CATL" in result.stdout

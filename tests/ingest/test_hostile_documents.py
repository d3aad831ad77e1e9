"""`monitor ingest` against hostile documents: pages that claim another site's story, files that
never end or are not text. Each fails alone with a one-line error; nothing stored is changed."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from support import FIXTURES
from support.loopback import Response

from monitor.cli.main import cli
from monitor.storage.connection import open_db

NET = FIXTURES / "net"
PILOT = "/2026/04/solid-state-pilot-line"


@pytest.fixture
def run(db_path):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, ["--db", str(db_path), *args], catch_exceptions=False)

    return invoke


def test_ingest_of_a_page_claiming_a_stored_story_leaves_that_story_and_its_reviews(
    run, db_path, server, second_server
):
    real_url = server.url(PILOT)
    server.routes[PILOT] = Response(
        body=(NET / "solid-state-pilot-line.html").read_bytes().replace(
            b"https://cellwire.example" + PILOT.encode(), real_url.encode()
        )
    )
    hostile = (NET / "recycling-plant.html").read_bytes().replace(
        b'href="https://cellwire.example/2026/04/recycling-plant"', f'href="{real_url}"'.encode()
    )
    second_server.routes["/story"] = Response(body=hostile)
    assert run("ingest", real_url).exit_code == 0
    db = open_db(db_path)
    (real,) = db["articles"].rows
    claim_id = db.execute("SELECT min(id) FROM claims WHERE article = ?", [real["id"]]).fetchone()[0]
    assert run("review", "--reviewer", "ana", "accept", str(claim_id)).exit_code == 0

    assert run("ingest", second_server.url("/story")).exit_code == 0

    after = db["articles"].get(real["id"])
    assert (after["text"], after["url"], after["canonical_url"]) == (
        real["text"], real_url, real_url,
    )
    claim = db["claims"].get(claim_id)
    assert claim["article"] == real["id"] and claim["review_status"] == "accepted"
    assert after["text"][claim["start"] : claim["end"]] == claim["text"]
    assert db["articles"].count == 2

"""`monitor ingest` against hostile documents: pages that claim another site's story, files that
never end or are not text. Each fails alone with a one-line error; nothing stored is changed."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from support import FIXTURES
from support.loopback import Response

from monitor.storage.connection import open_db

NET = FIXTURES / "net"
PILOT = "/2026/04/solid-state-pilot-line"



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


def test_ingest_refuses_a_fifo_and_a_link_to_dev_zero_and_goes_on(db_path, tmp_path):
    """Run as a process with a time limit: reading either used to block or fill the memory."""
    fifo = tmp_path / "breaking.txt"
    os.mkfifo(fifo)
    zero = tmp_path / "endless.txt"
    zero.symlink_to("/dev/zero")
    page = FIXTURES / "pages" / "sodium-ion-plant.html"
    result = subprocess.run(
        [sys.executable, "-m", "monitor", "--db", str(db_path), "ingest", str(fifo), str(zero), str(page)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    errors = result.stderr.strip().splitlines()
    assert f"error: {fifo}: not a regular file (a FIFO)" in errors
    assert f"error: {zero}: not a regular file (a character device)" in errors
    assert open_db(db_path)["articles"].count == 1


def test_a_file_over_the_cap_is_refused(run, tmp_path):
    config = tmp_path / "monitor.toml"
    config.write_text("max_body_bytes = 1000\n")
    big = tmp_path / "long.txt"
    big.write_text("Sodium-ion cells are cheaper. " * 100)
    result = run("--config", str(config), "ingest", str(big))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {big}: file too large (over 1000 bytes, the limit)"


@pytest.mark.parametrize(
    "name, body, reason",
    [
        ("dump.txt", bytes(range(256)) * 40, "not text (it holds NUL bytes)"),
        ("dump.html", b"<html><body><p>" + bytes(range(256)) * 40 + b"</p></body></html>", "not text (it holds NUL bytes)"),
        ("figures.txt", b"2026 -- 41.5 / 38.2 %\n" * 20, "not text (not one letter in it)"),
    ],
)
def test_binary_junk_is_refused_as_not_text(run, db_path, tmp_path, name, body, reason):
    path = tmp_path / name
    path.write_bytes(body)
    result = run("ingest", str(path))
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(f"error: {path}: {reason}")
    assert open_db(db_path)["articles"].count == 0


def test_utf16_text_with_its_bom_is_read_as_text(run, db_path, tmp_path):
    path = tmp_path / "wire.txt"
    text = "CATL said its sodium-ion cells reach 160 Wh/kg, the company told reporters on Monday. " * 3
    path.write_bytes(text.encode("utf-16"))
    assert run("ingest", str(path)).exit_code == 0
    (row,) = open_db(db_path)["articles"].rows
    assert row["text"] == text.strip()

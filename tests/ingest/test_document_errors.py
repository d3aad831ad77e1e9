"""`monitor ingest` on bad input: one clear line on stderr each, the rest processed, nothing stored changed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import FIXTURES
from support.loopback import Response

from monitor.cli.main import cli

PAGE = FIXTURES / "pages" / "sodium-ion-plant.html"
EMPTY = FIXTURES / "pages" / "empty-shell.html"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64

FAULTS = {
    "/gone": (Response(404, "<html><body>Not here</body></html>"), "HTTP 404"),
    "/broken": (Response(500, "<html><body>Oops</body></html>"), "HTTP 500"),
    "/slow": (Response(body=PAGE.read_text(), delay=3.0), "read timeout"),
    "/report.pdf": (Response(body=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", content_type="application/pdf"), "not an HTML page"),
    "/chart": (Response(body=PNG, content_type="text/html"), "not an HTML page"),
    "/shell": (Response(body=EMPTY.read_text()), "no article text"),
    "/huge": (Response(body=b"<html><body>" + b"<p>cells</p>" * 200_000 + b"</body></html>"), "too large"),
}


@pytest.fixture
def config(tmp_path) -> Path:
    """Short timeouts and a 1 MB cap keep the faults fast to provoke."""
    path = tmp_path / "monitor.toml"
    path.write_text("read_timeout = 1.0\ntotal_timeout = 5.0\nmax_body_bytes = 1000000\n")
    return path


def database_digest(db_path: Path) -> str:
    """What is stored, row by row, so any change at all shows."""
    import sqlite3

    conn = sqlite3.connect(db_path)
    rows = [conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ("articles", "claims", "feeds")]
    conn.close()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.mark.parametrize("path", sorted(FAULTS))
def test_each_bad_input_is_one_line_and_changes_nothing(server, db_path, config, path):
    response, message = FAULTS[path]
    server.routes[path] = response
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", str(db_path), "ingest", str(PAGE)]).exit_code == 0
    before = database_digest(db_path)

    result = runner.invoke(cli, ["--db", str(db_path), "--config", str(config), "ingest", server.url(path)])

    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert database_digest(db_path) == before


def test_a_failing_input_does_not_stop_the_others(server, db_path, config):
    server.routes["/gone"] = FAULTS["/gone"][0]
    server.routes["/story"] = Response(body=PAGE.read_text())
    result = CliRunner().invoke(
        cli, ["--db", str(db_path), "--config", str(config), "ingest", server.url("/gone"), server.url("/story")]
    )
    assert result.exit_code == 1
    assert "Northvolt rival bets on sodium-ion cells" in result.stdout
    assert "HTTP 404" in result.stderr

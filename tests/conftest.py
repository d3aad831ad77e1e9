"""Shared fixtures: a loopback HTTP server, a real SQLite file, the rules pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import SHARED
from support.loopback import LoopbackServer

SEED_TEXT = SHARED / "seed" / "ford-catl-ev-battery-article.txt"


@pytest.fixture
def server():
    """A real HTTP server on 127.0.0.1; tests fill `server.routes`."""
    srv = LoopbackServer().start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def nlp():
    """The rules pipeline, built once for the session."""
    from monitor.nlp.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's real SQLite database file lives."""
    return tmp_path / "monitor.db"


@pytest.fixture
def run(db_path):
    """Invoke the CLI against the test's database; returns click's Result (stdout and stderr apart)."""
    from click.testing import CliRunner

    from monitor.cli.main import cli

    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, ["--db", str(db_path), *args], catch_exceptions=False)

    return invoke


@pytest.fixture
def second_server():
    """Another site on another loopback address (127.0.0.2), for tests that need two hosts."""
    srv = LoopbackServer("127.0.0.2").start()
    yield srv
    srv.stop()


@pytest.fixture
def proxy():
    """A forwarding HTTP proxy on 127.0.0.3 that records what it is asked for."""
    from support.loopback import LoopbackProxy

    srv = LoopbackProxy().start()
    yield srv
    srv.stop()

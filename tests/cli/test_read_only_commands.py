"""Commands that only read (`claims`, `status`, `export`, `feeds list`) open the database
read-only: a writer holding its lock never makes them wait or fail, and they change nothing."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest
from click.testing import CliRunner
from support import FIXTURES

from monitor.cli.context import Context
from monitor.cli.main import cli
from monitor.config import Settings
from monitor.storage.connection import open_db

PAGE = FIXTURES / "pages" / "sodium-ion-plant.html"
READERS = [
    ["claims"],
    ["claims", "--format", "json"],
    ["status"],
    ["export", "--format", "jsonl"],
    ["feeds", "list"],
    ["feeds", "export"],
]


@pytest.fixture
def stored(db_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", str(db_path), "ingest", str(PAGE)]).exit_code == 0
    assert runner.invoke(cli, ["--db", str(db_path), "feeds", "add", "https://cellwire.example/feed.rss"]).exit_code == 0
    return db_path


def invoke(db_path, args):
    return CliRunner().invoke(cli, ["--db", str(db_path), *args])


@pytest.mark.parametrize("args", READERS, ids=" ".join)
def test_a_reading_command_runs_while_a_writer_holds_the_lock(stored, args):
    writer = sqlite3.connect(stored, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE feeds SET title = 'being written'")
    try:
        result = invoke(stored, args)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.exit_code == 0, result.output
    assert "locked" not in result.output


@pytest.mark.parametrize("args", READERS, ids=" ".join)
def test_a_reading_command_leaves_the_file_as_it_was(stored, args):
    open_db(stored).conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = hashlib.sha256(stored.read_bytes()).hexdigest()
    assert invoke(stored, args).exit_code == 0
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == before


def test_the_read_only_connection_refuses_writes(stored):
    db = Context(str(stored), Settings()).read_db
    with pytest.raises(sqlite3.OperationalError, match="readonly|read-only|query_only"):
        db.execute("DELETE FROM claims")


def test_a_reading_command_on_a_new_path_creates_the_database(db_path):
    result = invoke(db_path, ["status"])
    assert result.exit_code == 0 and "no feeds" in result.output
    assert open_db(db_path)["feeds"].count == 0


@pytest.mark.parametrize("command", [["claims"], ["export"], ["reprocess"], ["claims", "track"]])
def test_a_since_that_is_not_a_date_exits_2_with_a_message(stored, command):
    result = invoke(stored, [*command, "--since", "garbage"])
    assert result.exit_code == 2
    assert "'garbage' is not a date (YYYY-MM-DD)" in result.output


@pytest.mark.parametrize("since", ["2026-03-01", "2026-03-01T00:00:00Z"])
def test_a_since_date_is_taken(stored, since):
    result = invoke(stored, ["claims", "--since", since, "--format", "json"])
    assert result.exit_code == 0 and "sodium" in result.output.lower()

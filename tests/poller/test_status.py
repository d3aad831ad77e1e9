"""`monitor status` shows every feed's polling state and fails when one is failing; logs come as
text or JSON lines."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from support import ROOT
from support.loopback import Response
from support.newsroom import build_site

from monitor.cli.main import cli
from monitor.poller.status import feed_statuses
from monitor.storage import connection
from monitor.storage import feeds as feed_rows

NOW = datetime(2026, 4, 6, 8, 0, tzinfo=UTC)
README = (ROOT / "README.md").read_text(encoding="utf-8")
CONFIG = 'allow_private_hosts = ["127.0.0.1"]\nper_host_delay_seconds = 0\nextract_processes = 0\n'


@pytest.fixture
def db(db_path):
    return connection.open_db(db_path)


def add_polled(db, url: str, **state) -> int:
    feed_id, _ = feed_rows.add_feed(db, url)
    feed_rows.record_poll(db, feed_id, **state)
    return feed_id


def status(db_path: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db_path), "status", *args])


def test_status_lists_each_feed_with_its_last_poll_result_and_articles_of_the_day(db):
    feed_id = add_polled(
        db,
        "https://cellwire.example/feed.rss",
        last_polled="2026-04-06T07:55:00Z",
        last_result="2 new",
        next_poll="2026-04-06T08:25:00Z",
    )
    add_polled(db, "https://gridgarage.example/atom.xml")
    for n, fetched in enumerate(["2026-04-06T07:55:00Z", "2026-04-04T07:00:00Z"]):
        db.execute(
            "INSERT INTO articles (url, canonical_url, feed, fetched, text, content_hash) "
            "VALUES (?, ?, ?, ?, 'Cells.', ?)",
            [f"u{n}", f"u{n}", feed_id, fetched, f"h{n}"],
        )
    first, second = feed_statuses(db, now=NOW)
    assert (first.result, first.errors, first.next_poll, first.articles_24h, first.state) == (
        "2 new",
        0,
        "2026-04-06T08:25:00Z",
        1,
        "active",
    )
    assert (second.result, second.last_polled, second.articles_24h) == ("never polled", None, 0)


def test_status_exits_zero_when_no_feed_is_failing(db, db_path):
    add_polled(db, "https://cellwire.example/feed.rss", last_result="not modified")
    result = status(db_path)
    assert result.exit_code == 0 and "https://cellwire.example/feed.rss" in result.output
    assert "not modified" in result.output


def test_status_exits_one_and_names_the_failing_feeds(db, db_path):
    add_polled(db, "https://cellwire.example/feed.rss", last_result="not modified")
    add_polled(
        db,
        "https://gone.example/feed.rss",
        state="failing",
        error_count=5,
        hard_errors=5,
        last_error="HTTP 410 Gone for https://gone.example/feed.rss",
    )
    result = CliRunner().invoke(cli, ["--db", str(db_path), "status", "--format", "json"])
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert [(r["state"], r["errors"], r["result"]) for r in rows] == [
        ("active", 0, "not modified"),
        ("failing", 5, "HTTP 410 Gone for https://gone.example/feed.rss"),
    ]
    assert result.stderr.strip() == "1 feed(s) failing: https://gone.example/feed.rss"


def test_status_of_an_empty_database_says_so(db_path):
    result = status(db_path)
    assert (result.exit_code, result.output.strip()) == (0, "no feeds")


def run_monitor(db_path: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    config = tmp_path / "monitor.toml"
    command = [
        sys.executable,
        "-m",
        "monitor",
        "--db",
        str(db_path),
        "--config",
        str(config),
        *args,
    ]
    return subprocess.run(command, check=False, capture_output=True, text=True, timeout=60)


@pytest.mark.slow
def test_json_logs_give_one_object_per_poll_and_per_failure(server, db, db_path, tmp_path):
    build_site(server, 2)
    server.routes["/news/1"] = Response(404)
    feed_rows.add_feed(db, server.url("/feed.rss"))
    feed_rows.add_feed(db, server.url("/missing.rss"))
    (tmp_path / "monitor.toml").write_text(CONFIG)
    done = run_monitor(db_path, tmp_path, "--log-format", "json", "poll")
    lines = [json.loads(line) for line in done.stderr.splitlines()]
    failures = [line for line in lines if line.get("event") == "failure"]
    assert sorted((f["level"], f.get("page", f["feed"])) for f in failures) == [
        ("warning", server.url("/missing.rss")),
        ("warning", server.url("/news/1")),
    ]
    assert all(
        line["time"].endswith("+00:00") and line["logger"].startswith("monitor") for line in lines
    )
    assert "polled 2 feed(s): 1 new article(s)" in done.stdout


@pytest.mark.slow
def test_text_logs_are_one_line_per_failure(server, db, db_path, tmp_path):
    feed_rows.add_feed(db, server.url("/missing.rss"))
    (tmp_path / "monitor.toml").write_text(CONFIG)
    done = run_monitor(db_path, tmp_path, "poll")
    (line,) = done.stderr.splitlines()
    assert " WARNING monitor.poller.run: poll failed (hard, 1 in a row): HTTP 404 Not Found for " in line


@pytest.mark.parametrize("name", ["status", "poll", "run"])
def test_poller_commands_have_help_and_are_in_the_readme(name):
    command = cli.commands[name]
    assert command.help and f"`{name}" in README
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help and any(opt in README for opt in param.opts), f"{name} {param.opts}"


def test_log_format_option_is_in_the_readme():
    assert "--log-format" in README and "MONITOR_LOG_FORMAT" in README

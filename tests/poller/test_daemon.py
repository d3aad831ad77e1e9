"""The daemon in real subprocesses: polls at once, stops within seconds on SIGTERM or SIGINT, and
a `kill -9` at any moment loses nothing committed, duplicates nothing and resumes where it was."""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import threading
from datetime import UTC, datetime

import pytest
from support import FIXTURES
from support.daemon import (
    CONFIG,
    articles,
    query,
    start_daemon,
    stop_daemon,
    subscribe,
    wait_for,
    wait_until_holding_the_lock,
)
from support.loopback import Response
from support.newsroom import build_site

from monitor.config import Settings
from monitor.poller.daemon import LONGEST_SLEEP, SHORTEST_SLEEP, run_daemon, seconds_to_next_due
from monitor.storage import connection
from monitor.storage import feeds as feed_rows

NET = FIXTURES / "net"
SETTINGS = Settings(
    allow_private_hosts=("127.0.0.1",), per_host_delay_seconds=0, extract_processes=0
)


@pytest.fixture
def site(server, db_path):
    """A feed of two articles on the loopback server, subscribed in the test's database."""
    feed = (NET / "ev-news.rss").read_bytes().replace(b"{base}", server.url("").encode())
    server.routes["/feed.rss"] = Response(body=feed, content_type="application/rss+xml")
    server.routes["/2026/04/solid-state-pilot-line"] = Response(
        body=(NET / "solid-state-pilot-line.html").read_bytes()
    )
    server.routes["/2026/04/recycling-plant"] = Response(
        body=(NET / "recycling-plant.html").read_bytes()
    )
    subscribe(db_path, server.url("/feed.rss"))
    return server


@pytest.mark.slow
def test_daemon_polls_at_once_and_exits_cleanly_on_sigterm(site, tmp_path, db_path):
    proc = start_daemon(tmp_path, db_path)
    try:
        wait_for(lambda: query(db_path, "SELECT last_polled FROM feeds") is not None)
    finally:
        code, stderr, _ = stop_daemon(proc, signal.SIGTERM)
    assert code == 0, stderr
    assert articles(db_path) == 2
    assert "SIGTERM received" in stderr and "polled 1 feed(s): 2 new article(s)" in stderr


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_during_a_hanging_fetch_exits_within_seconds_and_leaves_the_feed_due(
    server, tmp_path, db_path, signum
):
    paths = build_site(server, 3)
    asked = threading.Event()
    server.routes[paths[1]] = lambda handler: asked.set() or Response(body="<p>late</p>", delay=30)
    subscribe(db_path, server.url("/feed.rss"))
    proc = start_daemon(tmp_path, db_path, CONFIG + "read_timeout = 60\ntotal_timeout = 90\n")
    try:
        wait_for(asked.is_set)
        wait_for(lambda: articles(db_path) == 2)
    finally:
        code, stderr, took = stop_daemon(proc, signum)
    assert code == 0 and took < 10, stderr
    assert (
        query(db_path, "SELECT etag IS NULL AND body_hash IS NULL FROM feeds") == 1
    )  # the next start re-reads
    assert query(db_path, "SELECT next_poll <= last_polled FROM feeds") == 1  # and is due at once


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [1, 4])
def test_kill_9_mid_pass_then_a_restart_stores_every_article_once(
    server, tmp_path, db_path, kill_after
):
    paths = build_site(server, 8)
    for path in paths:
        server.routes[path].delay = 0.15
    subscribe(db_path, server.url("/feed.rss"))
    proc = start_daemon(tmp_path, db_path)
    try:
        wait_for(lambda: articles(db_path) >= kill_after)
    finally:
        proc.kill()
        proc.communicate()
    stored_before = {row[0] for row in sqlite3.connect(db_path).execute("SELECT url FROM articles")}
    assert kill_after <= len(stored_before) < 8

    proc = start_daemon(tmp_path, db_path)
    try:
        wait_for(lambda: articles(db_path) == 8)
    finally:
        code, stderr, _ = stop_daemon(proc, signal.SIGTERM)
    assert code == 0, stderr
    conn = sound_database(db_path)
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    assert conn.execute("SELECT count(DISTINCT guid), count(*) FROM articles").fetchone() == (8, 8)
    fetched = [path for _, path, _ in server.requests]
    assert all(fetched.count(url.removeprefix(server.url(""))) == 1 for url in stored_before)
    assert query(db_path, "SELECT error_count FROM feeds") == 0


@pytest.mark.slow
def test_the_daemon_extracts_in_worker_processes(site, tmp_path, db_path):
    proc = start_daemon(
        tmp_path, db_path, CONFIG.replace("extract_processes = 0", "extract_processes = 1")
    )
    try:
        wait_for(lambda: articles(db_path) == 2)
    finally:
        code, stderr, took = stop_daemon(proc, signal.SIGTERM)
    assert code == 0 and took < 10, stderr
    assert "extracting in 1 worker process(es)" in stderr


def test_once_runs_a_single_pass_in_process_and_gives_signals_back(site, db_path):
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    run_daemon(db_path, SETTINGS, once=True)
    assert articles(db_path) == 2
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


def test_each_failure_of_a_pass_is_logged_once_as_a_warning(site, db_path, caplog):
    site.routes["/2026/04/recycling-plant"] = Response(410, "<html>gone</html>")
    with caplog.at_level(logging.DEBUG):
        run_daemon(db_path, SETTINGS, once=True)
    gone = [r for r in caplog.records if "HTTP 410 Gone for " in r.getMessage()]
    assert [r.levelno for r in gone if r.levelno >= logging.WARNING] == [logging.WARNING]


NOW = datetime(2026, 4, 6, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "next_polls, seconds",
    [
        ([], LONGEST_SLEEP),
        ([None], SHORTEST_SLEEP),
        (["2026-04-06T07:00:00Z"], SHORTEST_SLEEP),
        (["2026-04-06T08:00:30Z", "2026-04-06T09:00:00Z"], 30),
        (["2026-04-06T10:00:00Z"], LONGEST_SLEEP),
    ],
)
def test_the_daemon_sleeps_until_the_next_feed_is_due(db_path, next_polls, seconds):
    db = connection.open_db(db_path)
    for n, next_poll in enumerate(next_polls):
        feed_id, _ = feed_rows.add_feed(db, f"https://cellwire.example/feed-{n}.rss")
        feed_rows.record_poll(db, feed_id, next_poll=next_poll)
    assert seconds_to_next_due(db, NOW) == seconds


@pytest.mark.slow
@pytest.mark.parametrize(
    "signum, to_group",
    [(signal.SIGTERM, True), (signal.SIGINT, True), (signal.SIGTERM, False)],
    ids=["SIGTERM-to-group", "SIGINT-to-group", "SIGTERM-to-main-pid"],
)  # SIGINT to the main pid: test_a_stop_during_a_hanging_fetch_exits_within_seconds...
def test_a_signal_to_the_process_group_or_the_main_pid_stops_the_daemon_and_all_its_workers(
    server, tmp_path, db_path, signum, to_group
):
    paths = build_site(server, 6)
    for path in paths[3:]:  # stories still being fetched when the signal comes
        server.routes[path].delay = 2
    subscribe(db_path, server.url("/feed.rss"))
    config = CONFIG.replace("extract_processes = 0", "extract_processes = 2")
    proc = start_daemon(tmp_path, db_path, config, own_group=True)
    try:
        wait_for(lambda: articles(db_path) >= 2)  # the workers are up and extracting
    finally:
        code, stderr, _ = stop_daemon(proc, signum, group=to_group)
    assert code == 0, stderr
    wait_for(lambda: not group_alive(proc.pid), timeout=10)  # no worker or fork server left behind
    conn = sound_database(db_path)
    stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    unsettled = conn.execute("SELECT etag IS NULL AND body_hash IS NULL FROM feeds").fetchone()[0]
    assert stored == 6 or unsettled  # every story stored, or the feed left to be read again

    proc = start_daemon(tmp_path, db_path)  # and the next start finishes the work
    try:
        wait_until_holding_the_lock(proc, db_path)
        wait_for(lambda: articles(db_path) == 6)
    finally:
        code, stderr, _ = stop_daemon(proc, signal.SIGTERM)
    assert code == 0, stderr


def sound_database(db_path) -> sqlite3.Connection:
    """A connection to a database a stopped daemon left: intact, and no article stored without
    its claims (they are written in one transaction)."""
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    orphans = "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM claims c WHERE c.article = a.id)"
    assert conn.execute(orphans).fetchone()[0] == 0
    return conn


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True

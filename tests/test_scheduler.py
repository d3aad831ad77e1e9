"""The daemon: polls at once, and SIGTERM or SIGINT stops it cleanly (exit 0) after the page in hand."""

from __future__ import annotations

import logging
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from loopback import Response
from monitor import store
from monitor.config import Settings
from monitor.scheduler import run_daemon

NET = Path(__file__).parent / "fixtures" / "net"
CONFIG = 'allow_private_hosts = ["127.0.0.1"]\nper_host_delay_seconds = 0\npoll_interval_minutes = 60\n'


@pytest.fixture
def site(server, db_path):
    """A feed of two articles on the loopback server, subscribed in the test's database."""
    feed = (NET / "ev-news.rss").read_bytes().replace(b"{base}", server.url("").encode())
    server.routes["/feed.rss"] = Response(body=feed, content_type="application/rss+xml")
    server.routes["/2026/04/solid-state-pilot-line"] = Response(body=(NET / "solid-state-pilot-line.html").read_bytes())
    server.routes["/2026/04/recycling-plant"] = Response(body=(NET / "recycling-plant.html").read_bytes())
    db = store.open_db(db_path)
    store.add_feed(db, server.url("/feed.rss"))
    db.conn.close()
    return server


def start_daemon(tmp_path: Path, db_path: Path) -> subprocess.Popen:
    config = tmp_path / "monitor.toml"
    config.write_text(CONFIG)
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", "--db", str(db_path), "--config", str(config), "run"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def query(db_path: Path, sql: str):
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.1)


def stop_daemon(proc: subprocess.Popen, signum: int) -> tuple[int, str]:
    proc.send_signal(signum)
    try:
        _, stderr = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail(f"daemon still running 10 s after {signal.Signals(signum).name}")
    return proc.returncode, stderr


@pytest.mark.slow
def test_daemon_polls_at_once_and_exits_cleanly_on_sigterm(site, tmp_path, db_path):
    proc = start_daemon(tmp_path, db_path)
    try:
        wait_for(lambda: query(db_path, "SELECT last_polled FROM feeds") is not None)
    finally:
        code, stderr = stop_daemon(proc, signal.SIGTERM)
    assert code == 0, stderr
    assert query(db_path, "SELECT count(*) FROM articles") == 2
    assert "SIGTERM received" in stderr and "polled 1 feed(s): 2 new article(s)" in stderr


@pytest.mark.slow
def test_sigint_mid_pass_finishes_the_page_in_hand_and_exits(site, tmp_path, db_path):
    asked = threading.Event()
    page = site.routes["/2026/04/solid-state-pilot-line"]
    site.routes["/2026/04/solid-state-pilot-line"] = lambda handler: asked.set() or Response(
        body=page.body, delay=1.0)
    proc = start_daemon(tmp_path, db_path)
    try:
        wait_for(asked.is_set)
    finally:
        code, stderr = stop_daemon(proc, signal.SIGINT)
    assert code == 0, stderr
    assert query(db_path, "SELECT count(*) FROM articles") == 1
    assert query(db_path, "SELECT etag IS NULL AND body_hash IS NULL FROM feeds") == 1  # next pass re-reads


def test_once_runs_a_single_pass_in_process_and_gives_signals_back(site, db_path):
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    run_daemon(db_path, Settings(allow_private_hosts=("127.0.0.1",), per_host_delay_seconds=0), once=True)
    assert query(db_path, "SELECT count(*) FROM articles") == 2
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


def test_each_failure_of_a_pass_is_logged_once_as_a_warning(site, db_path, caplog):
    site.routes["/2026/04/recycling-plant"] = Response(410, "<html>gone</html>")
    with caplog.at_level(logging.DEBUG):
        run_daemon(db_path, Settings(allow_private_hosts=("127.0.0.1",), per_host_delay_seconds=0), once=True)
    gone = [r for r in caplog.records if "HTTP 410 Gone for " in r.getMessage()]
    assert [r.levelno for r in gone if r.levelno >= logging.WARNING] == [logging.WARNING]

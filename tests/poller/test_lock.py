"""One poller per database, in real processes: a second daemon exits naming the first one's PID,
`poll` refuses to run beside a daemon unless told, and a dead daemon never keeps the next one out."""

from __future__ import annotations

import signal
import subprocess

import pytest
from support.daemon import (
    articles,
    monitor_command,
    start_daemon,
    stop_daemon,
    subscribe,
    wait_for,
    wait_until_holding_the_lock,
)
from support.newsroom import build_site

from monitor.poller.lock import PollerRunning, acquire_poller_lock, lock_path


@pytest.fixture
def daemon(server, tmp_path, db_path):
    """A daemon polling a two-story feed, with its stories stored already."""
    build_site(server, 2)
    subscribe(db_path, server.url("/feed.rss"))
    proc = start_daemon(tmp_path, db_path)
    try:
        wait_for(lambda: articles(db_path) == 2)
        yield proc
    finally:
        if proc.poll() is None:
            stop_daemon(proc, signal.SIGTERM)


def monitor(tmp_path, db_path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        monitor_command(tmp_path, db_path, *args), capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
def test_a_second_daemon_on_the_same_database_exits_naming_the_first_ones_pid(
    daemon, tmp_path, db_path
):
    second = monitor(tmp_path, db_path, "run")
    assert second.returncode != 0
    lines = second.stderr.strip().splitlines()
    assert lines[-1].startswith("error: ") and f"(pid {daemon.pid})" in lines[-1], second.stderr
    assert daemon.poll() is None  # the first one polls on


@pytest.mark.slow
def test_poll_refuses_to_run_beside_a_daemon_unless_told(daemon, server, tmp_path, db_path):
    asked = len(server.requests)
    refused = monitor(tmp_path, db_path, "poll", "--all")
    assert refused.returncode != 0
    assert f"(pid {daemon.pid})" in refused.stderr and "--beside-daemon" in refused.stderr
    assert len(server.requests) == asked  # nothing fetched

    forced = monitor(tmp_path, db_path, "poll", "--all", "--beside-daemon")
    assert forced.returncode == 0, forced.stderr
    assert "polled 1 feed(s)" in forced.stdout


@pytest.mark.slow
def test_a_daemon_killed_with_sigkill_does_not_keep_the_next_one_out(daemon, tmp_path, db_path):
    daemon.kill()
    daemon.communicate()
    assert str(daemon.pid) in lock_path(db_path).read_text()  # the stale PID stays in the file

    proc = start_daemon(tmp_path, db_path)
    try:
        wait_until_holding_the_lock(proc, db_path)
    finally:
        code, stderr, _ = stop_daemon(proc, signal.SIGTERM)
    assert code == 0, stderr


def test_the_lock_is_free_again_once_released(db_path):
    with acquire_poller_lock(db_path, command="poll"):
        with pytest.raises(PollerRunning, match=r"`monitor poll` \(pid \d+\) is already polling"):
            acquire_poller_lock(db_path, command="run")
    acquire_poller_lock(db_path, command="run").release()

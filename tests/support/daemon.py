"""`monitor` commands in real subprocesses against a test's database: start, wait, signal, read."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from monitor.storage import connection
from monitor.storage import feeds as feed_rows

CONFIG = 'allow_private_hosts = ["127.0.0.1"]\nper_host_delay_seconds = 0\nextract_processes = 0\n'


def subscribe(db_path: Path, url: str) -> None:
    db = connection.open_db(db_path)
    feed_rows.add_feed(db, url)
    db.conn.close()


def monitor_command(tmp_path: Path, db_path: Path, *args: str, config: str = CONFIG) -> list[str]:
    path = tmp_path / "monitor.toml"
    path.write_text(config)
    return [sys.executable, "-m", "monitor", "--db", str(db_path), "--config", str(path), *args]


def start_daemon(
    tmp_path: Path, db_path: Path, config: str = CONFIG, *, own_group: bool = False
) -> subprocess.Popen:
    """`monitor run` in a subprocess; with `own_group`, in a session (and process group) of its
    own, as systemd or a shell job would start it, so the group can be signalled."""
    return subprocess.Popen(
        monitor_command(tmp_path, db_path, "run", config=config),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=own_group,
    )


def wait_until_holding_the_lock(proc: subprocess.Popen, db_path: Path) -> None:
    """Until the daemon holds the poller lock, and so has its SIGTERM and SIGINT handlers."""
    from monitor.poller.lock import lock_path

    def holding() -> bool:
        assert proc.poll() is None, "the daemon exited"
        path = lock_path(db_path)
        return path.exists() and path.read_text().startswith(f"{proc.pid} ")

    wait_for(holding)


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
        time.sleep(0.05)


def stop_daemon(
    proc: subprocess.Popen, signum: int, within: float = 10, *, group: bool = False
) -> tuple[int, str, float]:
    """Send `signum` to the daemon (or to its whole process group) and wait at most `within` s."""
    started = time.monotonic()
    if group:
        import os

        os.killpg(proc.pid, signum)
    else:
        proc.send_signal(signum)
    try:
        _, stderr = proc.communicate(timeout=within)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail(f"daemon still running {within} s after {signal.Signals(signum).name}")
    return proc.returncode, stderr, time.monotonic() - started


def articles(db_path: Path) -> int:
    return query(db_path, "SELECT count(*) FROM articles")

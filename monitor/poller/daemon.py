"""The daemon: APScheduler runs a polling pass whenever a feed is due, until SIGINT or SIGTERM.

Passes run in the scheduler's one worker thread; the main thread waits for SIGINT or SIGTERM, whose
handler only sets an Event that the pass checks between events, so a stop never lands in the middle of an article's
transaction and the process is gone within a second or two: fetches in flight are abandoned
(their threads are daemons), the extraction workers are killed, and the feeds they belonged
to are left due at once for the next start. A signal to the whole process group (systemd,
`timeout`, `kill -- -PGID`) is the same stop: the workers and their fork server ignore it and
are ended by the daemon. The database connection waits at most a second inside
SQLite (so a signal is seen promptly) and longer waits are retried by the pass itself.
"""

from __future__ import annotations

import logging
import signal
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from monitor.storage import connection
from monitor.storage.connection import retry_locked
from monitor.config import Settings
from monitor.errors import MonitorError
from monitor.ingest.workers import Extractor
from monitor.sources.http import make_client
from monitor.timestamps import parse_stamp, stamp
from monitor.poller.lock import acquire_poller_lock
from monitor.poller.politeness import Politeness
from monitor.poller.run import PollReport, poll

log = logging.getLogger(__name__)

LONGEST_SLEEP = 60.0  # feeds added meanwhile by `monitor feeds add` are picked up within this
SHORTEST_SLEEP = 1.0
CLOSE_WAIT_SECONDS = 8.0  # a stop ends within 10 s, whatever the pass in hand is doing


def run_daemon(db_path: str | Path, settings: Settings, *, once: bool = False) -> None:
    """Poll due feeds until SIGINT or SIGTERM (or one pass with `once`).

    APScheduler owns the timing: an interval job (`poll_interval_minutes`) that each pass brings
    forward to the moment the next feed falls due. Its single worker thread is the only one that
    touches the database; the main thread only waits for a signal. The database's poller lock is
    held throughout: a second daemon raises `PollerRunning` naming this one's PID.
    """
    stop = threading.Event()
    with _stop_on_signals(stop), acquire_poller_lock(db_path, command="run"):
        daemon = _Daemon(db_path, settings, stop)
        if once:
            try:
                daemon.tick()
            finally:
                daemon.close()
            return
        # one log line per poll is ours to write; APScheduler would add two more per pass
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max_workers=1)}, timezone=UTC
        )
        daemon.bring_forward = lambda when: scheduler.modify_job(POLL_JOB, next_run_time=when)
        scheduler.add_job(
            daemon.tick,
            IntervalTrigger(minutes=settings.poll_interval_minutes, timezone=UTC),
            id=POLL_JOB,
            next_run_time=datetime.now(UTC),
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )
        scheduler.start()
        stop.wait()
        scheduler.remove_job(POLL_JOB)
        closed = threading.Event()
        # in the worker thread, after the pass in hand; waited for, since shutdown() drops a job
        # not yet handed to its thread, which would leave the workers to the interpreter's exit
        scheduler.add_job(lambda: (daemon.close(), closed.set()))
        if not closed.wait(CLOSE_WAIT_SECONDS):
            log.warning("the last pass did not end within %g s; leaving it", CLOSE_WAIT_SECONDS)
            daemon.resources.close()
        scheduler.shutdown(wait=closed.is_set())
    log.info("stopped")


POLL_JOB = "poll"


class _Daemon:
    """What the scheduled job needs across passes, opened lazily in the job's own thread."""

    def __init__(self, db_path: str | Path, settings: Settings, stop: threading.Event) -> None:
        self.db_path, self.settings, self.stop = db_path, settings, stop
        self.db: sqlite_utils.Database | None = None
        self.resources = ExitStack()
        self.collaborators: dict = {}
        self.bring_forward = None

    def tick(self) -> None:
        """One pass, then the next run moved up to when the next feed is due."""
        if self.stop.is_set():
            return
        if self.db is None:
            self.db = _open(self.db_path, self.stop)
            if self.db is None:
                self.stop.set()
                return
            self.collaborators = {
                "extractor": self.resources.enter_context(Extractor(self.settings)),
                "client": self.resources.enter_context(make_client(self.settings)),
                "politeness": Politeness(self.settings),
            }
            log.info(
                "watching %d feed(s) every %g min at most; SIGINT or SIGTERM stops",
                self.db.execute("SELECT count(*) FROM feeds").fetchone()[0],
                self.settings.poll_interval_minutes,
            )
        run_pass(self.db, self.settings, stop=self.stop, **self.collaborators)
        if self.bring_forward is not None and not self.stop.is_set():
            wait = seconds_to_next_due(self.db)
            if wait < self.settings.poll_interval_minutes * 60:
                self.bring_forward(datetime.now(UTC) + timedelta(seconds=wait))

    def close(self) -> None:
        self.resources.close()
        if self.db is not None:
            self.db.conn.close()
            self.db = None


def run_pass(
    db: sqlite_utils.Database, settings: Settings, *, stop: threading.Event, **collaborators
) -> PollReport | None:
    """One pass; whatever goes wrong is logged and the daemon carries on with the next one."""
    try:
        return poll(db, settings=settings, stop=stop, **collaborators)
    except Exception:
        log.exception("polling pass failed; trying again at the next one")
        return None


def seconds_to_next_due(db: sqlite_utils.Database, now: datetime | None = None) -> float:
    """How long until a feed is due, between SHORTEST_SLEEP and LONGEST_SLEEP seconds."""
    now = now or datetime.now(UTC)
    try:
        row = db.execute("SELECT min(coalesce(next_poll, '')) FROM feeds").fetchone()
    except sqlite3.Error:  # a locked or busy database: look again shortly
        log.debug("could not read the next due time", exc_info=True)
        return SHORTEST_SLEEP
    if row[0] is None:
        return LONGEST_SLEEP
    if row[0] == "" or row[0] <= stamp(now):
        return SHORTEST_SLEEP
    wait = (parse_stamp(row[0]) - now).total_seconds()
    return min(max(wait, SHORTEST_SLEEP), LONGEST_SLEEP)


def _open(db_path: str | Path, stop: threading.Event) -> sqlite_utils.Database | None:
    """Open the database, waiting while another process holds it (a migration, a long write)."""
    try:
        return retry_locked(lambda: connection.open_db(db_path), stop=stop)
    except MonitorError as exc:
        log.error("%s", exc)
        return None


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    def on_signal(signum: int, _frame: object) -> None:
        log.info("%s received: stopping", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

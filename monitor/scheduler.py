"""The daemon: a polling pass at once, then one every poll_interval_minutes, until SIGINT or SIGTERM.

APScheduler runs the passes in a worker thread while the main thread only waits for a signal.
The signal handler just sets an Event; the scheduler is shut down from ordinary code afterwards,
because shutting it down inside a handler can deadlock on the executor's own (non-reentrant) lock.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler

from . import store
from .config import Settings
from .errors import MonitorError
from .fetch import make_client
from .poll import PollReport, poll

log = logging.getLogger(__name__)


def run_daemon(db_path: str | Path, settings: Settings, *, once: bool = False) -> None:
    """Poll until SIGINT or SIGTERM (or one pass with `once`); a stop lets the page in hand finish."""
    stop = threading.Event()
    with _stop_on_signals(stop):
        if once:
            run_pass(db_path, settings, stop=stop)
            return
        scheduler = BackgroundScheduler(timezone=timezone.utc)
        scheduler.add_job(
            run_pass, "interval", args=(db_path, settings), kwargs={"stop": stop}, id="poll",
            minutes=settings.poll_interval_minutes, next_run_time=datetime.now(timezone.utc),
            max_instances=1, coalesce=True, misfire_grace_time=None,
        )
        scheduler.start()
        log.info("polling every %g minutes; SIGINT or SIGTERM stops", settings.poll_interval_minutes)
        try:
            stop.wait()
        finally:
            stop.set()
            scheduler.shutdown(wait=True)
    log.info("stopped")


def run_pass(db_path: str | Path, settings: Settings, *, stop: threading.Event) -> PollReport | None:
    """One pass with its own database connection and HTTP client (the pass runs in a worker thread)."""
    try:
        db = store.open_db(db_path)
    except MonitorError as exc:
        log.error("%s", exc)
        return None
    try:
        with make_client(settings) as client:
            report = poll(db, client=client, settings=settings, stop=stop)
    finally:
        db.conn.close()
    for error in report.errors:
        log.warning("%s", error)
    return report


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    def on_signal(signum: int, _frame: object) -> None:
        log.info("%s received: stopping after the page in hand", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

"""The database connection: open (create, migrate, WAL), transactions, and the one wait for a
locked database, for every process that reads or writes it.

Writes go through `transaction()` so an article and its claims land together or not at all;
the connection runs in autocommit mode so sqlite-utils' own commits never split a transaction.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import sqlite_utils

from monitor.errors import MonitorError
from monitor.resources import db_dir
from monitor.storage.migrations import migrate, pending_migrations

log = logging.getLogger(__name__)
T = TypeVar("T")

# Inside SQLite a wait cannot be interrupted by a signal, so it is kept short; longer waits are
# `retry_locked`'s, which a stop event ends.
BUSY_TIMEOUT_MS = 1000
LOCK_RETRY_MAX_SECONDS = 30.0  # the longest pause between two tries
LOCK_WAIT_SECONDS = 30.0  # how long a transaction waits to begin before it gives up


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the database; WAL mode so readers never block the daemon."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            retry_locked(lambda: conn.execute("PRAGMA journal_mode = WAL"), give_up_after=LOCK_WAIT_SECONDS)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        # two processes opening a new file at once: each migration's check is made again inside
        # its BEGIN IMMEDIATE, so the second finds it applied; the wait is retry_locked's
        retry_locked(lambda: migrate(conn), give_up_after=LOCK_WAIT_SECONDS)
        retry_locked(lambda: apply_views(conn), give_up_after=LOCK_WAIT_SECONDS)
    except sqlite3.DatabaseError as exc:
        raise MonitorError(f"{path}: cannot open database: {exc}") from None
    return sqlite_utils.Database(conn)


def open_db_readonly(path: str | Path) -> sqlite_utils.Database:
    """Open the database for reading only (an SQLite `mode=ro` URI): it works on a file the user
    may not write, never takes a lock a writer waits for and, in WAL mode, never waits for one.
    A file that does not exist yet or lacks a migration is first opened for writing (`open_db`)."""
    path = Path(path)
    if not path.exists() or _needs_migrating(path):
        open_db(path).conn.close()
    try:
        conn = connect_read_only(path)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise MonitorError(f"{path}: cannot open database: {exc}") from None
    return sqlite_utils.Database(conn)


def connect_read_only(path: str | Path) -> sqlite3.Connection:
    """A plain read-only connection to a database that exists, with the one busy timeout: for a
    reader that must not migrate or create anything (the web sign-in's own connection)."""
    conn = sqlite3.connect(
        f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA query_only = ON")
    return conn


def _needs_migrating(path: Path) -> bool:
    try:
        conn = connect_read_only(path)
        try:
            return bool(pending_migrations(conn))
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise MonitorError(f"{path}: cannot open database: {exc}") from None


def apply_views(conn: sqlite3.Connection) -> None:
    """(Re)create the analyst views of db/views.sql, so they always match this version."""
    script = (db_dir() / "views.sql").read_text(encoding="utf-8")
    names = [line.split()[2] for line in script.splitlines() if line.startswith("CREATE VIEW")]
    drops = "".join(f"DROP VIEW IF EXISTS {name};\n" for name in names)
    try:
        conn.executescript(f"BEGIN IMMEDIATE;\n{drops}{script}\nCOMMIT;")
    except sqlite3.Error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error (including KeyboardInterrupt).

    BEGIN waits for another writer up to LOCK_WAIT_SECONDS (`retry_locked`), so a command run
    beside the daemon waits its turn instead of failing at once. Inside a transaction already
    open it joins that one, so a caller can make several writes one commit (the backfill's
    batches: their articles and the file's resume offset land together or not at all)."""
    conn = db.conn
    if conn.in_transaction:
        yield conn
        return
    retry_locked(lambda: conn.execute("BEGIN IMMEDIATE"), give_up_after=LOCK_WAIT_SECONDS)
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def is_locked(exc: BaseException) -> bool:
    """Whether an error is SQLite's "database is locked" or "busy" (another process holds it)."""
    return isinstance(exc, (sqlite3.OperationalError, MonitorError)) and (
        "locked" in str(exc) or "busy" in str(exc)
    )


def retry_locked(
    work: Callable[[], T], *, db: sqlite_utils.Database | None = None,
    stop: threading.Event | None = None, give_up_after: float | None = None,
) -> T:
    """Run `work`, waiting and retrying while another process holds the database (an analyst's
    write, a checkpoint, a migration): a writer waits its turn rather than crash on "database is
    locked". Gives up (re-raising) once `stop` is set or `give_up_after` seconds have been waited."""
    delay, waited = 0.1, 0.0
    stop = stop or threading.Event()
    while True:
        try:
            return work()
        except (sqlite3.OperationalError, MonitorError) as exc:
            if not is_locked(exc):
                raise
            if db is not None and db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            if stop.is_set() or (give_up_after is not None and waited >= give_up_after):
                raise
            log.warning(
                "database is locked (%s); retrying in %.1f s", exc, delay, extra={"event": "locked"}
            )
            stop.wait(delay)
            waited += delay
            delay = min(delay * 2, LOCK_RETRY_MAX_SECONDS)

"""Schema migrations: the numbered SQL files of db/migrations/, each applied once, in order, and recorded."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from monitor.resources import db_dir
from monitor.timestamps import utcnow

log = logging.getLogger(__name__)


def migration_files(directory: Path | None = None) -> list[Path]:
    """`NNNN_name.sql` files in the order they apply."""
    folder = directory or db_dir() / "migrations"
    return sorted(folder.glob("[0-9][0-9][0-9][0-9]_*.sql"))


def current_version(conn: sqlite3.Connection) -> int:
    """The newest migration applied, 0 for a new file; reads only."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if not exists:
        return 0
    return conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0


def pending_migrations(conn: sqlite3.Connection, directory: Path | None = None) -> list[Path]:
    """The migrations this database lacks, in order; reads only."""
    version = current_version(conn)
    return [path for path in migration_files(directory) if int(path.name[:4]) > version]


def migrate(conn: sqlite3.Connection, directory: Path | None = None) -> list[str]:
    """Apply every migration newer than the database, each in its own transaction; names applied.

    The version is checked again inside each migration's BEGIN IMMEDIATE, so two processes that
    open a new database at once apply each migration once: the second waits for the first's
    transaction (sqlite's busy timeout, then the caller's retry), then finds it applied."""
    applied = []
    for path in pending_migrations(conn, directory):
        version = int(path.name[:4])
        statements = split_statements(path.read_text(encoding="utf-8"))
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)"
            )
            if current_version(conn) >= version:  # another process was first
                conn.execute("COMMIT")
                continue
            for statement in statements:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_version VALUES (?, ?, ?)", [version, path.stem, utcnow()]
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        log.info("applied migration %s", path.stem)
        applied.append(path.stem)
    return applied


def split_statements(script: str) -> list[str]:
    """An SQL script as its statements, so they run inside one transaction of ours
    (`executescript` would commit first); SQLite itself tells where one ends (triggers included)."""
    statements, pending = [], ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \t\r\n;"):
                statements.append(pending.strip())
            pending = ""
    if pending.strip(" \t\r\n;"):
        statements.append(pending.strip().rstrip(";"))
    return statements

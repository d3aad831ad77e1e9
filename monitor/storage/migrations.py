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
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_version "
        "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)"
    )
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return row[0] or 0


def migrate(conn: sqlite3.Connection, directory: Path | None = None) -> list[str]:
    """Apply every migration newer than the database, each in its own transaction; names applied."""
    applied = []
    for path in migration_files(directory):
        version = int(path.name[:4])
        if version <= current_version(conn):
            continue
        script = path.read_text(encoding="utf-8")
        stamp = utcnow()
        # executescript commits first; BEGIN/COMMIT inside makes the migration all-or-nothing
        try:
            conn.executescript(
                f"BEGIN IMMEDIATE;\n{script}\n"
                f"INSERT INTO schema_version VALUES ({version}, '{path.stem}', '{stamp}');\nCOMMIT;"
            )
        except sqlite3.Error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        log.info("applied migration %s", path.stem)
        applied.append(path.stem)
    return applied

"""Backfill progress in SQLite (`monitor backfill`): a row a WARC file (`backfill_files`) with what
was read of it, and a row a byte range of it (`backfill_slices`) with where its read goes on.

Plain reads and writes, each joining the caller's transaction when one is open; what they mean
(a stale result, when a range or a file is done) is the backfill writer's
(monitor/backfill/writer.py), which makes a slice's articles and these rows one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from monitor.storage.connection import transaction
from monitor.timestamps import utcnow


@dataclass
class FileProgress:
    """A file's row of `backfill_files`: where a read of it goes on, and what it has given."""

    source: str
    resume_offset: int = 0
    records_read: int = 0
    skipped: int = 0
    kept: int = 0
    failed: int = 0
    claims: int = 0
    done: bool = False
    error: str | None = None


@dataclass
class RangeProgress:
    """A row of `backfill_slices`: a byte range of a file and where a read of it goes on."""

    start: int
    end: int | None  # None: to the end of the file
    resume_offset: int
    done: bool = False


@dataclass
class SliceCounts:
    """What one slice of a file added to its row: records read and what became of them."""

    read: int = 0
    skipped: int = 0
    kept: int = 0
    failed: int = 0
    claims: int = 0


def start_file(db: sqlite_utils.Database, source: str) -> FileProgress:
    """The file's progress, recorded as a new row when the file was never read."""
    now = utcnow()
    with transaction(db) as conn:
        conn.execute("INSERT OR IGNORE INTO backfill_files (source, started, updated) VALUES (?, ?, ?)",
                     [source, now, now])
    return file_progress(db, source)


def file_progress(db: sqlite_utils.Database, source: str) -> FileProgress:
    """The file's row, or a fresh progress when it has none."""
    row = db.execute(
        "SELECT source, resume_offset, records_read, skipped, kept, failed, claims, done, error "
        "FROM backfill_files WHERE source = ?", [source],
    ).fetchone()
    if row is None:
        return FileProgress(source)
    return FileProgress(*row[:7], bool(row[7]), row[8])


def add_to_file(db: sqlite_utils.Database, source: str, counts: SliceCounts, *, resume_offset: int,
                done: bool, error: str | None) -> None:
    """Add a slice's counts to the file's row and set where its read goes on, whether it is done
    and why it failed (None: it did not)."""
    with transaction(db) as conn:
        conn.execute(
            "UPDATE backfill_files SET resume_offset = ?, records_read = records_read + ?, "
            "skipped = skipped + ?, kept = kept + ?, failed = failed + ?, claims = claims + ?, "
            "done = ?, error = ?, updated = ? WHERE source = ?",
            [resume_offset, counts.read, counts.skipped, counts.kept, counts.failed, counts.claims,
             int(done), error, utcnow(), source],
        )


def has_ranges(db: sqlite_utils.Database, source: str) -> bool:
    """Whether the file was cut into ranges already."""
    return db.execute("SELECT 1 FROM backfill_slices WHERE source = ?", [source]).fetchone() is not None


def add_ranges(db: sqlite_utils.Database, source: str, starts: list[int]) -> None:
    """Ranges starting at these offsets (in order), each up to the next one's start, the last to
    the end of the file, none read yet."""
    with transaction(db) as conn:
        conn.executemany(
            "INSERT INTO backfill_slices (source, start_offset, end_offset, resume_offset) VALUES (?, ?, ?, ?)",
            [(source, start, end, start) for start, end in zip(starts, [*starts[1:], None])],
        )


RANGE_COLUMNS = "start_offset, end_offset, resume_offset, done"


def open_ranges(db: sqlite_utils.Database, source: str) -> list[RangeProgress]:
    """The file's ranges not read to their end, in file order."""
    rows = db.execute(f"SELECT {RANGE_COLUMNS} FROM backfill_slices WHERE source = ? AND NOT done "
                      "ORDER BY start_offset", [source]).fetchall()
    return [_range(row) for row in rows]


def range_at(db: sqlite_utils.Database, source: str, start: int) -> RangeProgress | None:
    """The file's range starting at byte `start`; None: the file has no such range."""
    row = db.execute(f"SELECT {RANGE_COLUMNS} FROM backfill_slices WHERE source = ? AND start_offset = ?",
                     [source, start]).fetchone()
    return None if row is None else _range(row)


def _range(row: tuple) -> RangeProgress:
    return RangeProgress(row[0], row[1], row[2], bool(row[3]))


def move_range(db: sqlite_utils.Database, source: str, start: int, *, resume_offset: int, done: bool) -> None:
    """Set where the range starting at `start` goes on, and whether it is done."""
    with transaction(db) as conn:
        conn.execute("UPDATE backfill_slices SET resume_offset = ?, done = ? WHERE source = ? AND start_offset = ?",
                     [resume_offset, int(done), source, start])


def first_open_offset(db: sqlite_utils.Database, source: str) -> int | None:
    """The lowest resume offset of the file's ranges not done; None once every range is."""
    return db.execute("SELECT min(resume_offset) FROM backfill_slices WHERE source = ? AND NOT done",
                      [source]).fetchone()[0]

"""The backfill's one writer: tasks' results into SQLite, in the client process only, by the path
the poller stores its pages (canonical URL, copies linked by simhash, claims with their reviews
carried over), a whole slice and its range's resume offset in one transaction.

A file is read in byte ranges (`backfill_slices`) that run side by side, each going on from its
own resume offset; the file's row (`backfill_files`) adds up their counts and is done once
every range is."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
import sqlite_utils

from monitor.backfill.job import SliceResult
from monitor.article.dedup import NearDuplicates
from monitor.config import Settings
from monitor.ingest.workers import Extracted
from monitor.ingest.linking import recent_originals, save_new_page
from monitor.storage.connection import transaction
from monitor.timestamps import utcnow

log = logging.getLogger(__name__)


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


@dataclass
class SliceWritten:
    """What storing one slice did: pages stored, their claims, pages already stored."""

    kept: int = 0
    claims: int = 0
    already_stored: int = 0
    stale: bool = False  # the file had moved past this slice (a task run twice): nothing written


class BackfillWriter:
    """Stores slice results and keeps `backfill_files`; reads the index of recent originals once."""

    def __init__(self, db: sqlite_utils.Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self._originals = self._recent_originals()

    def progress(self, source: str) -> FileProgress:
        """The file's progress, recorded as a new row when the file was never read."""
        now = utcnow()
        self.db.execute(
            "INSERT OR IGNORE INTO backfill_files (source, started, updated) VALUES (?, ?, ?)",
            [source, now, now],
        )
        return self._row(source)

    def open_ranges(self, source: str, cut: Callable[[int], list[int]]) -> list[RangeProgress]:
        """The file's ranges not read to their end. A file seen for the first time (or read before
        ranges were) is cut once, from its resume offset on, at the offsets `cut` gives (the first
        is that offset), so every later run reads the same ranges."""
        file = self.progress(source)
        if file.done:
            return []
        with transaction(self.db) as conn:
            if not conn.execute("SELECT 1 FROM backfill_slices WHERE source = ?", [source]).fetchone():
                starts = cut(file.resume_offset)
                conn.executemany(
                    "INSERT INTO backfill_slices (source, start_offset, end_offset, resume_offset) VALUES (?, ?, ?, ?)",
                    [(source, start, end, start) for start, end in zip(starts, [*starts[1:], None])],
                )
        rows = self.db.execute(
            "SELECT start_offset, end_offset, resume_offset FROM backfill_slices WHERE source = ? AND NOT done "
            "ORDER BY start_offset", [source],
        ).fetchall()
        return [RangeProgress(*row) for row in rows]

    def write(self, result: SliceResult) -> SliceWritten:
        """Store a slice's pages and move its range and file on, all or nothing."""
        written = SliceWritten()
        try:
            with transaction(self.db) as conn:
                row = self._row(result.source)
                part = conn.execute(
                    "SELECT resume_offset, done FROM backfill_slices WHERE source = ? AND start_offset = ?",
                    [result.source, result.range_start],
                ).fetchone()
                if row.done or part is None or part[1] or part[0] != result.start:
                    return SliceWritten(stale=True)
                for page in result.kept:
                    stored = self._store(page.extracted)
                    if stored:
                        written.kept += 1
                        written.claims += len(page.extracted.analysis.claims)
                    else:
                        written.already_stored += 1
                range_done = result.next_offset is None and result.error is None
                conn.execute(
                    "UPDATE backfill_slices SET resume_offset = ?, done = ? WHERE source = ? AND start_offset = ?",
                    [result.start if result.next_offset is None else result.next_offset, int(range_done),
                     result.source, result.range_start],
                )
                resume = conn.execute(
                    "SELECT min(resume_offset) FROM backfill_slices WHERE source = ? AND NOT done", [result.source],
                ).fetchone()[0]
                done = resume is None
                error = result.error or (None if done else row.error)
                conn.execute(
                    "UPDATE backfill_files SET resume_offset = ?, records_read = records_read + ?, "
                    "skipped = skipped + ?, kept = kept + ?, failed = failed + ?, claims = claims + ?, "
                    "done = ?, error = ?, updated = ? WHERE source = ?",
                    [row.resume_offset if done else resume, result.read, result.skipped + written.already_stored,
                     written.kept, result.failed, written.claims, int(done), error, utcnow(), result.source],
                )
        except BaseException:
            self._originals = self._recent_originals()  # it may hold articles just rolled back
            raise
        return written

    def _store(self, extracted: Extracted) -> bool:
        analysis = extracted.analysis
        article = analysis.article
        stored = save_new_page(
            self.db, article, analysis.claims, simhash=extracted.simhash, originals=self._originals,
            rules_version=analysis.rules_version, battery_relevant=analysis.battery_relevant,
            raw_gzip=extracted.raw_gzip,
        )
        if stored is None:
            log.info("%s: stored already as %s", article.url, article.canonical_url or article.url)
        return stored is not None

    def _row(self, source: str) -> FileProgress:
        row = self.db.execute(
            "SELECT source, resume_offset, records_read, skipped, kept, failed, claims, done, error "
            "FROM backfill_files WHERE source = ?", [source],
        ).fetchone()
        if row is None:
            return FileProgress(source)
        return FileProgress(*row[:7], bool(row[7]), row[8])

    def _recent_originals(self) -> NearDuplicates:
        return recent_originals(self.db, self.settings.near_duplicate_days, datetime.now(UTC))

"""The backfill's one writer: tasks' results into SQLite, in the client process only, by the path
the poller stores its pages (canonical URL, copies linked by simhash, claims with their reviews
carried over), a whole slice and its file's resume offset in one transaction."""

from __future__ import annotations

import logging
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

    def write(self, result: SliceResult) -> SliceWritten:
        """Store a slice's pages and move its file on, all or nothing."""
        written = SliceWritten()
        try:
            with transaction(self.db) as conn:
                row = self._row(result.source)
                if row.done or row.resume_offset != result.start:
                    return SliceWritten(stale=True)
                for page in result.kept:
                    stored = self._store(page.extracted)
                    if stored:
                        written.kept += 1
                        written.claims += len(page.extracted.analysis.claims)
                    else:
                        written.already_stored += 1
                conn.execute(
                    "UPDATE backfill_files SET resume_offset = ?, records_read = records_read + ?, "
                    "skipped = skipped + ?, kept = kept + ?, failed = failed + ?, claims = claims + ?, "
                    "done = ?, error = ?, updated = ? WHERE source = ?",
                    [result.next_offset if result.next_offset is not None else row.resume_offset,
                     result.read, result.skipped + written.already_stored, written.kept, result.failed,
                     written.claims, int(result.next_offset is None and result.error is None),
                     result.error, utcnow(), result.source],
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

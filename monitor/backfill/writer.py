"""The backfill's one writer: tasks' results into SQLite, in the client process only, by the path
the poller stores its pages (canonical URL, copies linked by simhash, claims with their reviews
carried over), a whole slice and its range's resume offset in one transaction.

A file is read in byte ranges (`backfill_slices`) that run side by side, each going on from its
own resume offset; the file's row (`backfill_files`) adds up their counts and is done once
every range is. What those rows mean is decided here; their SQL is monitor/storage/backfill.py's."""

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
from monitor.storage.backfill import (
    RangeProgress, SliceCounts, add_ranges, add_to_file, file_progress, first_open_offset, has_ranges, move_range,
    open_ranges, range_at, start_file,
)
from monitor.storage.connection import transaction

log = logging.getLogger(__name__)


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

    def finished(self, source: str) -> bool:
        """Whether an earlier run read the file to its end (a file never seen is recorded)."""
        return start_file(self.db, source).done

    def fail(self, source: str, error: str) -> None:
        """Record why a file could not be had at all (its download ahead failed), as a failed
        slice records it; a later read that finishes the file clears it."""
        file = file_progress(self.db, source)
        add_to_file(self.db, source, SliceCounts(), resume_offset=file.resume_offset, done=False, error=error)

    def open_ranges(self, source: str, cut: Callable[[int], list[int]]) -> list[RangeProgress]:
        """The file's ranges not read to their end. A file seen for the first time (or read before
        ranges were) is cut once, from its resume offset on, at the offsets `cut` gives (the first
        is that offset), so every later run reads the same ranges."""
        file = start_file(self.db, source)
        if file.done:
            return []
        with transaction(self.db):
            if not has_ranges(self.db, source):
                add_ranges(self.db, source, cut(file.resume_offset))
        return open_ranges(self.db, source)

    def write(self, result: SliceResult) -> SliceWritten:
        """Store a slice's pages and move its range and file on, all or nothing."""
        written = SliceWritten()
        try:
            with transaction(self.db):
                file = file_progress(self.db, result.source)
                part = range_at(self.db, result.source, result.range_start)
                if file.done or part is None or part.done or part.resume_offset != result.start:
                    return SliceWritten(stale=True)
                for page in result.kept:
                    stored = self._store(page.extracted)
                    if stored:
                        written.kept += 1
                        written.claims += len(page.extracted.analysis.claims)
                    else:
                        written.already_stored += 1
                range_done = result.next_offset is None and result.error is None
                move_range(self.db, result.source, result.range_start, done=range_done,
                           resume_offset=result.start if result.next_offset is None else result.next_offset)
                resume = first_open_offset(self.db, result.source)
                done = resume is None
                counts = SliceCounts(result.read, result.skipped + written.already_stored, written.kept,
                                     result.failed, written.claims)
                add_to_file(self.db, result.source, counts, resume_offset=file.resume_offset if done else resume,
                            done=done, error=result.error or (None if done else file.error))
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

    def _recent_originals(self) -> NearDuplicates:
        return recent_originals(self.db, self.settings.near_duplicate_days, datetime.now(UTC))

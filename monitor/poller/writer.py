"""The writes of a polling pass (feed-state rows, page failures, stored pages), made by the pass's
thread, the database's only writer, each retried while another process holds the database."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import sqlite_utils

from monitor.article.dedup import NearDuplicates
from monitor.ingest import linking
from monitor.ingest.workers import Extracted
from monitor.storage import feeds as feed_rows
from monitor.storage.connection import retry_locked

T = TypeVar("T")


class PassWriter:
    """A pass's writes; a `stop` set while one waits for a lock ends the wait (retry_locked)."""

    def __init__(self, db: sqlite_utils.Database, stop: threading.Event) -> None:
        self.db, self.stop = db, stop

    def feed_state(self, feed_id: int, columns: dict[str, Any]) -> None:
        """A feed's polling state after this pass (feed_state.py decides it)."""
        self._write(lambda: feed_rows.record_poll(self.db, feed_id, **columns))

    def page_failure(self, link: str, *, feed_id: int | None, error: str, hard: bool, now: str) -> None:
        self._write(
            lambda: feed_rows.record_page_failure(
                self.db, link, feed_id=feed_id, error=error, hard=hard, now=now
            )
        )

    def page_failure_cleared(self, link: str) -> None:
        self._write(lambda: feed_rows.clear_page_failure(self.db, link))

    def store_page(
        self, extracted: Extracted, *, originals: NearDuplicates, feed_id: int, guid: str
    ) -> linking.StoredPage | None:
        """Store one article in one transaction, linked to the original when it is a copy; None
        when an article is stored under its canonical URL already (linking.save_new_page)."""
        analysis = extracted.analysis
        return self._write(
            lambda: linking.save_new_page(
                self.db,
                analysis.article,
                analysis.claims,
                simhash=extracted.simhash,
                originals=originals,
                rules_version=analysis.rules_version,
                feed_id=feed_id,
                guid=guid,
                battery_relevant=analysis.battery_relevant,
                raw_gzip=extracted.raw_gzip,
            )
        )

    def _write(self, work: Callable[[], T]) -> T:
        return retry_locked(work, db=self.db, stop=self.stop)

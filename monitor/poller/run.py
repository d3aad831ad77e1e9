"""One polling pass, as orchestration: due feeds and their new pages fetched (dispatch.py), pages
extracted in worker processes (ingest/workers.py), what each answer means for its feed decided
(feed_state.py) and written by this thread, the database's only writer (writer.py).

A pass never stops for one bad feed or page: each poll and each failure is logged in one line and
counted in the report, and a feed's state (validators, error counts, next poll) is written when its
last page is settled, never before, so a `kill -9` at any moment leaves the feed due again with its
old validators and its stored entries recognised.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import httpx
import sqlite_utils

from monitor.config import Settings
from monitor.ingest import linking
from monitor.ingest.workers import Extracted, Extractor
from monitor.models import Fetched
from monitor.poller.dispatch import (
    Dispatcher,
    DuePage,
    FeedFetch,
    FetchJob,
    due_feeds,
    due_pages,
    fetch_feed,
    fetch_page,
)
from monitor.poller.feed_state import (
    FeedAnswer,
    FeedFailure,
    after_answer,
    after_failure,
    failure_message,
    is_hard_failure,
    is_unexpected,
)
from monitor.poller.politeness import Politeness, host_of, site_of
from monitor.poller.writer import PassWriter
from monitor.sources.feeds import FeedEntry, ParsedFeed
from monitor.storage import feeds as feed_rows
from monitor.timestamps import parse_stamp, stamp

log = logging.getLogger(__name__)


@dataclass
class PollReport:
    """What one pass did, for the CLI to print and the daemon to log."""

    feeds_polled: int = 0
    feeds_not_modified: int = 0
    feeds_failed: int = 0
    new_articles: int = 0
    articles_failed: int = 0
    errors: list[str] = field(default_factory=list)
    stopped: bool = False  # the pass was asked to stop before it finished


def poll(
    db: sqlite_utils.Database,
    *,
    client: httpx.Client,
    settings: Settings,
    all_feeds: bool = False,
    now: datetime | None = None,
    stop: threading.Event | None = None,
    politeness: Politeness | None = None,
    extractor: Extractor | None = None,
) -> PollReport:
    """Poll the feeds that are due (or all of them) once; `stop` ends the pass, abandoning the
    fetches and extractions in flight (the feeds they belong to are due again at once)."""
    now = now or datetime.now(UTC)
    stop = stop or threading.Event()
    feeds = due_feeds(db, all_feeds=all_feeds, now=now, stop=stop)
    report = PollReport()
    if feeds:
        own = extractor is None
        extractor = extractor or Extractor(settings)
        try:
            _Pass(
                db,
                client=client,
                settings=settings,
                now=now,
                stop=stop,
                report=report,
                politeness=politeness or Politeness(settings),
                extractor=extractor,
            ).run(feeds)
        finally:
            if own:
                extractor.terminate()
        log.info(
            "polled %d feed(s): %d new article(s), %d not modified, %d failed, %d page(s) failed",
            report.feeds_polled,
            report.new_articles,
            report.feeds_not_modified,
            report.feeds_failed,
            report.articles_failed,
            extra={
                "event": "pass",
                "feeds": report.feeds_polled,
                "new": report.new_articles,
                "failed": report.feeds_failed,
            },
        )
    return report


@dataclass
class _FeedWork:
    """One feed's progress through a pass."""

    feed: dict[str, Any]
    unconditional: bool
    fetched: Fetched | None = None
    parsed: ParsedFeed | None = None
    body_hash: str | None = None
    pending: int = 0  # pages queued, fetching or extracting
    new: int = 0
    failed: int = 0
    retry: bool = False  # a page failed softly: forget the validators so the next poll re-reads
    backlog: int = 0  # new entries past max_entries_per_feed, left for the next passes
    interrupted: bool = False


class _Pass:
    """One pass's feeds from their fetch to their feed-state row, event by event in one thread."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        *,
        client: httpx.Client,
        settings: Settings,
        now: datetime,
        stop: threading.Event,
        report: PollReport,
        politeness: Politeness,
        extractor: Extractor,
    ) -> None:
        self.db, self.client, self.settings, self.now, self.stop = db, client, settings, now, stop
        self.report, self.politeness, self.extractor = report, politeness, extractor
        self.writer = PassWriter(db, stop)
        self.works: dict[int, _FeedWork] = {}
        self.extracting = 0
        self.queued_links: set[str] = set()
        self.originals = linking.recent_originals(db, settings.near_duplicate_days, now)

    def run(self, feeds: list[dict[str, Any]]) -> None:
        self.dispatcher = Dispatcher(self.politeness.gate(), self.settings.max_concurrent_feeds)
        try:
            for feed in feeds:
                self._queue_feed(feed)
            while self.dispatcher.busy or self.extracting:
                if self.stop.is_set():
                    self.report.stopped = True
                    break
                if (event := self.dispatcher.next_event()) is not None:
                    self._handle(event)
            for work in list(self.works.values()):  # stopped: what is left is due again at once
                work.interrupted = True
                self._finish(work)
        finally:
            self.dispatcher.close()

    def _handle(self, event: Callable[[], None]) -> None:
        try:
            event()
        except Exception as exc:
            log.exception("unexpected error in a polling pass")
            self.report.errors.append(f"unexpected error: {exc}")

    # ---- feeds ---------------------------------------------------------------------------

    def _queue_feed(self, feed: dict[str, Any]) -> None:
        last = feed.get("last_unconditional")
        unconditional = not last or self.now - parse_stamp(last) >= timedelta(
            hours=self.settings.unconditional_every_hours
        )
        work = self.works[feed["id"]] = _FeedWork(feed, unconditional=unconditional)
        self.report.feeds_polled += 1
        fetch = partial(
            fetch_feed, feed, unconditional=unconditional, client=self.client, settings=self.settings
        )
        self.dispatcher.queue(FetchJob(host_of(feed["url"]), fetch, partial(self._feed_fetched, work)))

    def _feed_fetched(self, work: _FeedWork, result: FeedFetch | BaseException) -> None:
        if isinstance(result, BaseException):
            self._feed_failed(work, result)
            return
        work.fetched, work.parsed, work.body_hash = result.fetched, result.parsed, result.body_hash
        if work.parsed is not None:
            self._queue_pages(work, work.parsed.entries)
        if not work.pending:
            self._finish(work)

    def _feed_failed(self, work: _FeedWork, exc: BaseException) -> None:
        """Count a failed poll and back off: hard failures (404, not a feed) in a row mark the feed
        failing, and so do many soft ones (timeouts, 5xx); it is still polled, at the longest interval."""
        del self.works[work.feed["id"]]
        if is_unexpected(exc):
            log.error("%s: unexpected error while polling", work.feed["url"], exc_info=exc)
        failure = after_failure(work.feed, exc, settings=self.settings, now=self.now)
        self.writer.feed_state(work.feed["id"], failure.columns)
        self.report.feeds_failed += 1
        self.report.errors.append(failure.message)
        _log_feed_failure(work.feed["url"], failure)

    def _finish(self, work: _FeedWork) -> None:
        """Record a feed that answered: validators, publishing rate, next poll, where it moved."""
        self.works.pop(work.feed["id"], None)
        feed, fetched = work.feed, work.fetched
        if fetched is None:  # stopped before the feed itself came back: nothing learnt
            self.writer.feed_state(feed["id"], {"next_poll": stamp(self.now)})
            return
        answer = FeedAnswer(
            fetched,
            work.parsed,
            work.body_hash,
            work.unconditional,
            new=work.new,
            failed=work.failed,
            retry=work.retry,
            backlog=work.backlog,
            interrupted=work.interrupted,
        )
        target = fetched.permanent_url
        subscribed = bool(
            target and feed["moved_to"] == target and feed_rows.get_feed(self.db, target)
        )
        update = after_answer(
            feed, answer, settings=self.settings, now=self.now, target_subscribed=subscribed
        )
        if work.backlog:
            _log_backlog(feed["url"], work.backlog, self.settings.max_entries_per_feed)
        _log_move(feed["url"], target, update.move)
        self.writer.feed_state(feed["id"], update.columns)
        if work.parsed is None:
            self.report.feeds_not_modified += 1
        _log_poll(work, update.result, next_poll=update.next_poll, now=self.now)

    # ---- pages ---------------------------------------------------------------------------

    def _queue_pages(self, work: _FeedWork, entries: list[FeedEntry]) -> None:
        due = due_pages(
            self.db, work.feed["id"], entries, queued=self.queued_links, settings=self.settings
        )
        work.backlog += due.backlog
        for page in due.pages:
            self.queued_links.add(page.link)
            work.pending += 1
            fetch = partial(
                fetch_page, page.entry.link, robots=self.politeness.robots, client=self.client,
                settings=self.settings,
            )
            done = partial(self._page_fetched, work, page)
            self.dispatcher.queue(
                FetchJob(host_of(page.entry.link), fetch, done, site_of(page.entry.link))
            )

    def _page_fetched(self, work: _FeedWork, page: DuePage, result: Fetched | BaseException) -> None:
        if isinstance(result, BaseException):
            self._page_failed(work, page, result)
            return
        self.extracting += 1
        self.extractor.submit(
            result,
            lambda out: self.dispatcher.events.put(partial(self._extracted, work, page, out)),
            page.entry,
        )

    def _extracted(self, work: _FeedWork, page: DuePage, result: Extracted | BaseException) -> None:
        self.extracting -= 1
        if isinstance(result, BaseException):
            self._page_failed(work, page, result)
            return
        try:
            self._store(work, page.entry, result)
            if page.failed_before:
                self.writer.page_failure_cleared(page.link)
        finally:
            self._page_settled(work)

    def _store(self, work: _FeedWork, entry: FeedEntry, extracted: Extracted) -> None:
        stored = self.writer.store_page(
            extracted, originals=self.originals, feed_id=work.feed["id"], guid=entry.key
        )
        if stored is None:
            article = extracted.analysis.article
            log.info("%s: stored already as %s", entry.link, article.canonical_url or article.url)
            return
        if stored.original is not None:
            log.info("%s: a copy of article %d, stored linked to it", entry.link, stored.original)
        work.new += 1
        self.report.new_articles += 1

    def _page_failed(self, work: _FeedWork, page: DuePage, exc: BaseException) -> None:
        try:
            if is_unexpected(exc):
                log.error("%s: unexpected error while ingesting", page.entry.link, exc_info=exc)
            message, hard = failure_message(exc, page.entry.link), is_hard_failure(exc)
            self.writer.page_failure(
                page.link, feed_id=work.feed["id"], error=message, hard=hard, now=stamp(self.now)
            )
            work.failed += 1
            work.retry |= not hard
            self.report.articles_failed += 1
            self.report.errors.append(message)
            log.warning(
                "page failed (%s): %s",
                "hard" if hard else "soft",
                message,
                extra={
                    "event": "failure",
                    "feed": work.feed["url"],
                    "page": page.entry.link,
                    "hard": hard,
                },
            )
        finally:
            self._page_settled(work)

    def _page_settled(self, work: _FeedWork) -> None:
        work.pending -= 1
        if not work.pending and work.feed["id"] in self.works:
            self._finish(work)


def _log_feed_failure(url: str, failure: FeedFailure) -> None:
    log.warning(
        "poll failed (%s, %d in a row%s): %s; next try in %s",
        "hard" if failure.hard else "soft",
        failure.errors,
        ", feed marked failing" if failure.failing else "",
        failure.message,
        _minutes(failure.interval_minutes),
        extra={
            "event": "failure",
            "feed": url,
            "hard": failure.hard,
            "errors": failure.errors,
            "failing": failure.failing,
            "next_poll": failure.columns["next_poll"],
        },
    )


def _log_backlog(url: str, backlog: int, most: int) -> None:
    log.info(
        "%s: %d new entries left for the next pass (at most %d a pass: max_entries_per_feed)",
        url,
        backlog,
        most,
        extra={"event": "backlog", "feed": url, "backlog": backlog},
    )


def _log_move(url: str, target: str | None, move: str | None) -> None:
    if move == "seen":
        log.info("%s: moved permanently to %s (the feed follows if it says so again)", url, target)
    elif move == "subscribed":
        log.warning("%s: moved permanently to %s, which is subscribed already", url, target)
    elif move == "taken":
        log.warning(
            "%s: moved permanently to %s; feed URL updated",
            url,
            target,
            extra={"event": "moved", "feed": url, "to": target},
        )


def _log_poll(work: _FeedWork, result: str, *, next_poll: datetime, now: datetime) -> None:
    url = work.feed["url"]
    log.info(
        "poll %s: %s; next in %s",
        url,
        result,
        _minutes((next_poll - now).total_seconds() / 60),
        extra={
            "event": "poll",
            "feed": url,
            "status": work.fetched.status if work.fetched else None,
            "new": work.new,
            "failed": work.failed,
            "next_poll": stamp(next_poll),
        },
    )


def _minutes(minutes: float) -> str:
    return f"{minutes / 60:.1f} h" if minutes >= 120 else f"{minutes:.0f} min"

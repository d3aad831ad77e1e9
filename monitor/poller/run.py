"""One polling pass: due feeds and their new pages fetched concurrently and politely, pages
extracted in worker processes, every article stored by this thread, the database's only writer.

Requests wait in per-host queues until `HostGate` lets them go (a few connections and a pause per
host), then run in worker threads; whatever a thread or a worker process finishes comes back as
an event this thread handles, so a slow host only ever delays its own requests. A pass never
stops for one bad feed or page: each poll and each failure is logged in one line and counted in
the report, and a feed's state (validators, error counts, next poll) is written when its last
page is settled, never before, so a `kill -9` at any moment leaves the feed due again with its
old validators and its stored entries recognised.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

import httpx
import sqlite_utils

from monitor.ingest import linking

from monitor.storage import articles

from monitor.storage import feeds as feed_rows
from monitor.storage.connection import retry_locked
from monitor.config import Settings
from monitor.article.dedup import canonical_url
from monitor.errors import FetchError, TransientFetchError
from monitor.ingest.workers import Extracted, Extractor
from monitor.sources.feeds import FeedEntry, ParsedFeed, parse_feed
from monitor.sources.http import fetch
from monitor.poller.feed_state import (
    FeedAnswer,
    after_answer,
    after_failure,
    failure_message,
    is_hard_failure,
    is_unexpected,
)
from monitor.timestamps import parse_stamp, stamp
from monitor.models import Fetched
from monitor.poller.politeness import HostGate, RobotsRules, host_of, site_of

log = logging.getLogger(__name__)

T = TypeVar("T")
WAKE_SECONDS = 0.25  # longest the pass waits before looking at `stop` again
LOOKUP_CHUNK = 500  # feed entries looked up in the database at once


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


class Politeness:
    """What a polite poller remembers between passes: each site's robots.txt (the daemon keeps one)."""

    def __init__(self, settings: Settings) -> None:
        self.robots = RobotsRules(settings)


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
    feeds = retry_locked(
        lambda: feed_rows.list_feeds(db) if all_feeds else feed_rows.due_feeds(db, stamp(now)), db=db, stop=stop
    )
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


@dataclass
class _Job:
    host: str
    run: Callable[[], Any]  # in a worker thread
    done: Callable[[Any], None]  # in the pass's thread, with run's result or exception
    site: str | None = None  # for article pages: the site whose robots.txt rules them


class _Threads:
    """Daemon worker threads: a fetch stuck on a dead server never holds up the process's exit."""

    def __init__(self, count: int) -> None:
        self.tasks: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self.count = count
        for n in range(count):
            threading.Thread(target=self._work, name=f"poll-fetch-{n}", daemon=True).start()

    def submit(self, task: Callable[[], None]) -> None:
        self.tasks.put(task)

    def close(self) -> None:
        for _ in range(self.count):
            self.tasks.put(None)

    def _work(self) -> None:
        while (task := self.tasks.get()) is not None:
            task()


class _Pass:
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
        self.report, self.robots, self.extractor = report, politeness.robots, extractor
        self.gate = HostGate(settings.per_host_connections, settings.per_host_delay_seconds)
        self.events: queue.Queue[Callable[[], None]] = queue.Queue()
        self.pending: dict[str, deque[_Job]] = {}
        self.in_flight = 0
        self.extracting = 0
        self.works: dict[int, _FeedWork] = {}
        self.queued_links: set[str] = set()
        self.reading_robots: set[str] = set()  # sites whose first page is out, robots.txt with it
        self.originals = linking.recent_originals(db, settings.near_duplicate_days, now)

    # ---- the loop ------------------------------------------------------------------------

    def run(self, feeds: list[dict[str, Any]]) -> None:
        threads = self.threads = _Threads(max(1, self.settings.max_concurrent_feeds))
        try:
            for feed in feeds:
                self._queue_feed(feed)
            while self.pending or self.in_flight or self.extracting:
                if self.stop.is_set():
                    self.report.stopped = True
                    break
                self._dispatch()
                try:
                    event = self.events.get(timeout=self._wake_in())
                except queue.Empty:
                    continue
                self._handle(event)
            for work in list(self.works.values()):  # stopped: what is left is due again at once
                work.interrupted = True
                self._finish(work)
        finally:
            threads.close()

    def _handle(self, event: Callable[[], None]) -> None:
        try:
            event()
        except Exception as exc:
            log.exception("unexpected error in a polling pass")
            self.report.errors.append(f"unexpected error: {exc}")

    def _queue(self, job: _Job) -> None:
        self.pending.setdefault(job.host, deque()).append(job)

    def _dispatch(self) -> None:
        for host in list(self.pending):
            jobs = self.pending[host]
            while (
                jobs
                and self.in_flight < self.settings.max_concurrent_feeds
                and self.gate.wait_time(host) == 0
            ):
                site = jobs[0].site
                if (
                    site in self.reading_robots
                ):  # its Crawl-delay may be about to slow this host down
                    break
                if site and not self.robots.known(site):
                    self.reading_robots.add(site)
                elif site and (delay := self.robots.crawl_delay(site)):
                    self.gate.slow_down(host, delay)
                    if self.gate.wait_time(host) != 0:
                        break
                self._start(jobs.popleft())
            if not jobs:
                del self.pending[host]

    def _wake_in(self) -> float:
        waits = [w for host in self.pending if (w := self.gate.wait_time(host)) is not None]
        if self.in_flight >= self.settings.max_concurrent_feeds or not waits:
            return WAKE_SECONDS
        return min(max(min(waits), 0.001), WAKE_SECONDS)

    def _start(self, job: _Job) -> None:
        self.gate.start(job.host)
        self.in_flight += 1

        def task() -> None:
            try:
                result = job.run()
            except Exception as exc:  # noqa: BLE001 (handed to job.done in the pass's thread)
                result = exc
            self.events.put(partial(self._finished, job, result))

        self.threads.submit(task)

    def _finished(self, job: _Job, result: Any) -> None:
        self.gate.done(job.host)
        self.reading_robots.discard(job.site)
        self.in_flight -= 1
        job.done(result)

    # ---- feeds ---------------------------------------------------------------------------

    def _queue_feed(self, feed: dict[str, Any]) -> None:
        last = feed.get("last_unconditional")
        unconditional = not last or self.now - parse_stamp(last) >= timedelta(
            hours=self.settings.unconditional_every_hours
        )
        work = self.works[feed["id"]] = _FeedWork(feed, unconditional=unconditional)
        self.report.feeds_polled += 1
        self._queue(
            _Job(
                host_of(feed["url"]),
                partial(self._fetch_feed, work),
                partial(self._feed_fetched, work),
            )
        )

    def _fetch_feed(self, work: _FeedWork) -> tuple[Fetched, ParsedFeed | None, str | None]:
        """In a worker thread: the feed, conditionally unless an unconditional GET is due, parsed
        only when its body changed."""
        feed = work.feed
        validators = (
            {}
            if work.unconditional
            else {"etag": feed["etag"], "last_modified": feed["last_modified"]}
        )
        fetched = fetch(feed["url"], client=self.client, settings=self.settings, **validators)
        if fetched.status == 304:
            return fetched, None, feed["body_hash"]
        body_hash = hashlib.sha256(fetched.body).hexdigest()
        if body_hash == feed["body_hash"]:
            return fetched, None, body_hash
        return (
            fetched,
            parse_feed(fetched.body, url=fetched.final_url, headers=fetched.headers),
            body_hash,
        )

    def _feed_fetched(self, work: _FeedWork, result: Any) -> None:
        if isinstance(result, BaseException):
            self._feed_failed(work, result)
            return
        work.fetched, work.parsed, work.body_hash = result
        if work.parsed is not None:
            self._queue_entries(work, work.parsed.entries)
        if not work.pending:
            self._finish(work)

    def _feed_failed(self, work: _FeedWork, exc: BaseException) -> None:
        """Count a failed poll and back off: hard failures (404, not a feed) in a row mark the feed
        failing, and so do many soft ones (timeouts, 5xx); it is still polled, at the longest interval."""
        del self.works[work.feed["id"]]
        feed, url = work.feed, work.feed["url"]
        if is_unexpected(exc):
            log.error("%s: unexpected error while polling", url, exc_info=exc)
        failure = after_failure(feed, exc, settings=self.settings, now=self.now)
        self._write(lambda: feed_rows.record_poll(self.db, feed["id"], **failure.columns))
        message, hard, errors, failing = failure.message, failure.hard, failure.errors, failure.failing
        interval, next_poll = failure.interval_minutes, failure.columns["next_poll"]
        self.report.feeds_failed += 1
        self.report.errors.append(message)
        log.warning(
            "poll failed (%s, %d in a row%s): %s; next try in %s",
            "hard" if hard else "soft",
            errors,
            ", feed marked failing" if failing else "",
            message,
            _minutes(interval),
            extra={
                "event": "failure",
                "feed": url,
                "hard": hard,
                "errors": errors,
                "failing": failing,
                "next_poll": next_poll,
            },
        )

    def _finish(self, work: _FeedWork) -> None:
        """Record a feed that answered: validators, publishing rate, next poll, where it moved."""
        self.works.pop(work.feed["id"], None)
        feed, fetched, parsed = work.feed, work.fetched, work.parsed
        if fetched is None:  # stopped before the feed itself came back: nothing learnt
            self._write(lambda: feed_rows.record_poll(self.db, feed["id"], next_poll=stamp(self.now)))
            return
        answer = FeedAnswer(
            fetched,
            parsed,
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
        state, next_poll, result = update.columns, update.next_poll, update.result
        if work.backlog:
            log.info(
                "%s: %d new entries left for the next pass (at most %d a pass: max_entries_per_feed)",
                feed["url"],
                work.backlog,
                self.settings.max_entries_per_feed,
                extra={"event": "backlog", "feed": feed["url"], "backlog": work.backlog},
            )
        self._log_move(feed, target, update.move)
        self._write(lambda: feed_rows.record_poll(self.db, feed["id"], **state))
        if parsed is None:
            self.report.feeds_not_modified += 1
        log.info(
            "poll %s: %s; next in %s",
            feed["url"],
            result,
            _minutes((next_poll - self.now).total_seconds() / 60),
            extra={
                "event": "poll",
                "feed": feed["url"],
                "status": fetched.status,
                "new": work.new,
                "failed": work.failed,
                "next_poll": stamp(next_poll),
            },
        )

    @staticmethod
    def _log_move(feed: dict[str, Any], target: str | None, move: str | None) -> None:
        if move == "seen":
            log.info(
                "%s: moved permanently to %s (the feed follows if it says so again)",
                feed["url"],
                target,
            )
        elif move == "subscribed":
            log.warning(
                "%s: moved permanently to %s, which is subscribed already", feed["url"], target
            )
        elif move == "taken":
            log.warning(
                "%s: moved permanently to %s; feed URL updated",
                feed["url"],
                target,
                extra={"event": "moved", "feed": feed["url"], "to": target},
            )

    # ---- pages ---------------------------------------------------------------------------

    def _queue_entries(self, work: _FeedWork, entries: list[FeedEntry]) -> None:
        """Queue the pages of the entries neither stored, queued, nor failed for good before, at
        most `max_entries_per_feed` a pass in the feed's order; the rest are the feed's backlog,
        fetched by the next passes (the feed stays due until it is drained)."""
        links = {entry.key: canonical_url(entry.link) for entry in entries}
        known: set[str] = set()
        for start in range(0, len(entries), LOOKUP_CHUNK):  # within SQLite's variable limit
            chunk = entries[start : start + LOOKUP_CHUNK]
            known |= feed_rows.known_entries(
                self.db, work.feed["id"], [(e.key, [e.link, links[e.key]]) for e in chunk]
            )
        fresh = [e for e in entries if e.key not in known and links[e.key] not in self.queued_links]
        failures: dict[str, dict[str, Any]] = {}
        for start in range(0, len(fresh), LOOKUP_CHUNK):
            chunk = fresh[start : start + LOOKUP_CHUNK]
            failures |= feed_rows.page_failures(self.db, [links[e.key] for e in chunk])
        seen: set[str] = set()
        for entry in fresh:
            link = links[entry.key]
            failure = failures.get(link)
            if link in seen:  # the same story twice in this feed
                continue
            seen.add(link)
            if failure and (
                failure["hard"] or failure["attempts"] >= self.settings.max_page_attempts
            ):
                log.debug("%s: skipped, failed before (%s)", entry.link, failure["error"])
                continue
            if work.pending >= max(1, self.settings.max_entries_per_feed):
                work.backlog += 1
                continue
            self.queued_links.add(link)
            work.pending += 1
            self._queue(
                _Job(
                    host_of(entry.link),
                    partial(self._fetch_page, entry),
                    partial(self._page_fetched, work, entry, link, failure is not None),
                    site_of(entry.link),
                )
            )

    def _fetch_page(self, entry: FeedEntry) -> Fetched:
        """In a worker thread: robots.txt asked first, then the page (never from a private address)."""
        verdict = self.robots.check(entry.link, client=self.client)
        if not verdict.allowed:
            error = (
                TransientFetchError
                if verdict.reason.startswith("robots.txt unreachable")
                else FetchError
            )
            raise error(f"{verdict.reason} for {entry.link}")
        return fetch(entry.link, client=self.client, settings=self.settings, allow_private=False)

    def _page_fetched(
        self, work: _FeedWork, entry: FeedEntry, link: str, failed_before: bool, result: Any
    ) -> None:
        if isinstance(result, BaseException):
            self._page_failed(work, entry, link, result)
            return
        self.extracting += 1
        self.extractor.submit(
            result,
            lambda out: self.events.put(
                partial(self._extracted, work, entry, link, failed_before, out)
            ),
            entry,
        )

    def _extracted(
        self, work: _FeedWork, entry: FeedEntry, link: str, failed_before: bool, result: Any
    ) -> None:
        self.extracting -= 1
        if isinstance(result, BaseException):
            self._page_failed(work, entry, link, result)
            return
        try:
            if self._store(work, entry, result) and failed_before:
                self._write(lambda: feed_rows.clear_page_failure(self.db, link))
        finally:
            self._page_settled(work)

    def _store(self, work: _FeedWork, entry: FeedEntry, extracted: Extracted) -> bool:
        """Store one article in one transaction, linked to the original when it is a copy."""
        analysis = extracted.analysis
        article = analysis.article  # the entry's title and date filled in before the rules ran
        canonical = article.canonical_url or article.url
        if articles.find_article(self.db, url=canonical):
            log.info("%s: stored already as %s", entry.link, canonical)
            return True
        _, original = self._write(
            lambda: linking.save_linked(
                self.db,
                article,
                analysis.claims,
                simhash=extracted.simhash,
                originals=self.originals,
                rules_version=analysis.rules_version,
                feed_id=work.feed["id"],
                guid=entry.key,
                battery_relevant=analysis.battery_relevant,
                raw_gzip=extracted.raw_gzip,
            )
        )
        if original is not None:
            log.info("%s: a copy of article %d, stored linked to it", entry.link, original)
        work.new += 1
        self.report.new_articles += 1
        return True

    def _page_failed(
        self, work: _FeedWork, entry: FeedEntry, link: str, exc: BaseException
    ) -> None:
        try:
            if is_unexpected(exc):
                log.error("%s: unexpected error while ingesting", entry.link, exc_info=exc)
            message = failure_message(exc, entry.link)
            hard = is_hard_failure(exc)
            self._write(
                lambda: feed_rows.record_page_failure(
                    self.db,
                    link,
                    feed_id=work.feed["id"],
                    error=message,
                    hard=hard,
                    now=stamp(self.now),
                )
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
                    "page": entry.link,
                    "hard": hard,
                },
            )
        finally:
            self._page_settled(work)

    def _page_settled(self, work: _FeedWork) -> None:
        work.pending -= 1
        if not work.pending and work.feed["id"] in self.works:
            self._finish(work)

    # ---- writing -------------------------------------------------------------------------

    def _write(self, work: Callable[[], T]) -> T:
        return retry_locked(work, db=self.db, stop=self.stop)


def _minutes(minutes: float) -> str:
    return f"{minutes / 60:.1f} h" if minutes >= 120 else f"{minutes:.0f} min"

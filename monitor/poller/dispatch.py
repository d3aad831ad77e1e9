"""Dispatch for a polling pass: which feeds and which of their pages are due, and the fetching of
them in worker threads, each request let go when its host may be sent one.

Requests wait in per-host queues, not in worker threads, so a slow host only ever delays its own
requests; whatever a thread finishes comes back as an event for the pass's thread to handle.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

import httpx
import sqlite_utils

from monitor.article.dedup import canonical_url
from monitor.config import Settings
from monitor.errors import FetchError, TransientFetchError
from monitor.models import Fetched
from monitor.poller.politeness import HostGate, RobotsRules
from monitor.sources.feeds import FeedEntry, ParsedFeed, parse_feed
from monitor.sources.http import fetch
from monitor.storage import feeds as feed_rows
from monitor.storage.connection import retry_locked
from monitor.timestamps import stamp

log = logging.getLogger(__name__)

WAKE_SECONDS = 0.25  # longest the pass waits before looking at `stop` again


def due_feeds(
    db: sqlite_utils.Database, *, all_feeds: bool, now: datetime, stop: threading.Event
) -> list[dict[str, Any]]:
    """The feeds a pass polls: those due at `now`, or all of them."""
    return retry_locked(
        lambda: feed_rows.list_feeds(db) if all_feeds else feed_rows.due_feeds(db, stamp(now)),
        db=db,
        stop=stop,
    )


@dataclass
class DuePage:
    """A feed entry whose page a pass fetches: its link in canonical form, and whether it failed
    before (a page stored at last clears its failure)."""

    entry: FeedEntry
    link: str
    failed_before: bool


@dataclass
class DuePages:
    """The pages of a feed's entries to fetch this pass, and how many new ones wait for the next."""

    pages: list[DuePage]
    backlog: int


def due_pages(
    db: sqlite_utils.Database,
    feed_id: int,
    entries: list[FeedEntry],
    *,
    queued: set[str],
    settings: Settings,
) -> DuePages:
    """The entries neither stored, `queued` in this pass, nor failed for good before, at most
    `max_entries_per_feed` in the feed's order; the rest are the feed's backlog, fetched by the
    next passes (the feed stays due until it is drained)."""
    links = {entry.key: canonical_url(entry.link) for entry in entries}
    known = feed_rows.known_entries(db, feed_id, [(e.key, [e.link, links[e.key]]) for e in entries])
    fresh = [e for e in entries if e.key not in known and links[e.key] not in queued]
    failures = feed_rows.page_failures(db, [links[e.key] for e in fresh])
    due = DuePages([], backlog=0)
    seen: set[str] = set()
    for entry in fresh:
        link = links[entry.key]
        failure = failures.get(link)
        if link in seen:  # the same story twice in this feed
            continue
        seen.add(link)
        if failure and (failure["hard"] or failure["attempts"] >= settings.max_page_attempts):
            log.debug("%s: skipped, failed before (%s)", entry.link, failure["error"])
            continue
        if len(due.pages) >= max(1, settings.max_entries_per_feed):
            due.backlog += 1
            continue
        due.pages.append(DuePage(entry, link, failed_before=failure is not None))
    return due


@dataclass
class FeedFetch:
    """A feed as fetched: its body parsed only when it changed since the last poll."""

    fetched: Fetched
    parsed: ParsedFeed | None
    body_hash: str | None


def fetch_feed(
    feed: dict[str, Any], *, unconditional: bool, client: httpx.Client, settings: Settings
) -> FeedFetch:
    """In a worker thread: the feed, conditionally unless an unconditional GET is due."""
    validators = (
        {} if unconditional else {"etag": feed["etag"], "last_modified": feed["last_modified"]}
    )
    fetched = fetch(feed["url"], client=client, settings=settings, **validators)
    if fetched.status == 304:
        return FeedFetch(fetched, None, feed["body_hash"])
    body_hash = hashlib.sha256(fetched.body).hexdigest()
    if body_hash == feed["body_hash"]:
        return FeedFetch(fetched, None, body_hash)
    parsed = parse_feed(fetched.body, url=fetched.final_url, headers=fetched.headers)
    return FeedFetch(fetched, parsed, body_hash)


def fetch_page(
    link: str, *, robots: RobotsRules, client: httpx.Client, settings: Settings
) -> Fetched:
    """In a worker thread: robots.txt asked first, then the page (never from a private address)."""
    verdict = robots.check(link, client=client)
    if not verdict.allowed:
        unreachable = verdict.reason.startswith("robots.txt unreachable")
        raise (TransientFetchError if unreachable else FetchError)(f"{verdict.reason} for {link}")
    return fetch(link, client=client, settings=settings, allow_private=False)


@dataclass
class FetchJob:
    """One request of a pass: what runs in a worker thread, and what its result is handed to."""

    host: str
    run: Callable[[], Any]  # in a worker thread
    done: Callable[[Any], None]  # in the pass's thread, with run's result or exception
    site: str | None = None  # for article pages: the site whose robots.txt rules them


class FetchThreads:
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


class Dispatcher:
    """The pass's requests, queued per host and started in worker threads when the host's gate
    lets them go (politeness.py); results come back as events on `events`, for the pass's thread."""

    def __init__(self, gate: HostGate, workers: int) -> None:
        self.gate = gate
        self.workers = max(1, workers)
        self.events: queue.Queue[Callable[[], None]] = queue.Queue()
        self.pending: dict[str, deque[FetchJob]] = {}
        self.in_flight = 0
        self.threads = FetchThreads(self.workers)

    @property
    def busy(self) -> bool:
        """Whether a request is still waiting or running."""
        return bool(self.pending or self.in_flight)

    def queue(self, job: FetchJob) -> None:
        self.pending.setdefault(job.host, deque()).append(job)

    def next_event(self) -> Callable[[], None] | None:
        """Start what may start, then the next event, or None after a short wait without one."""
        self._dispatch()
        try:
            return self.events.get(timeout=self._wake_in())
        except queue.Empty:
            return None

    def close(self) -> None:
        self.threads.close()

    def _dispatch(self) -> None:
        for host in list(self.pending):
            jobs = self.pending[host]
            while jobs and self.in_flight < self.workers and self.gate.may_start(host, jobs[0].site):
                self._start(jobs.popleft())
            if not jobs:
                del self.pending[host]

    def _wake_in(self) -> float:
        waits = [w for host in self.pending if (w := self.gate.wait_time(host)) is not None]
        if self.in_flight >= self.workers or not waits:
            return WAKE_SECONDS
        return min(max(min(waits), 0.001), WAKE_SECONDS)

    def _start(self, job: FetchJob) -> None:
        self.gate.start(job.host, job.site)
        self.in_flight += 1

        def task() -> None:
            try:
                result = job.run()
            except Exception as exc:  # noqa: BLE001 (handed to job.done in the pass's thread)
                result = exc
            self.events.put(partial(self._finished, job, result))

        self.threads.submit(task)

    def _finished(self, job: FetchJob, result: Any) -> None:
        self.gate.done(job.host, job.site)
        self.in_flight -= 1
        job.done(result)

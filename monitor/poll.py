"""One polling pass: fetch each due feed (conditionally), ingest its new entries, record its state.

A pass never stops for one bad feed or page: every failure is counted and kept in the report
(whose caller shows it: the CLI prints it, the daemon logs it), and the feed's state (validators,
error count, next poll) is written whatever happened.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

import httpx
import sqlite_utils

from . import store
from .config import Settings
from .errors import MonitorError, TransientFetchError
from .feeds import FeedEntry, ParsedFeed, parse_feed
from .fetch import fetch
from .pipeline import analyse, store_analysis

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


@dataclass
class _FeedOutcome:
    """How a feed's entries went: whether its validators may be kept for the next pass."""

    interrupted: bool = False
    retry: bool = False  # a page failed in a way worth retrying: poll the feed unconditionally next time


class _HostPacer:
    """Keeps `delay` seconds between two requests to one host, so a pass is polite to each site."""

    def __init__(self, delay: float, stop: threading.Event) -> None:
        self.delay = delay
        self.stop = stop
        self.last: dict[str, float] = {}

    def wait(self, url: str) -> None:
        host = urlsplit(url).hostname or ""
        if host in self.last:
            self.stop.wait(self.last[host] + self.delay - time.monotonic())
        self.last[host] = time.monotonic()


def poll(
    db: sqlite_utils.Database, *, client: httpx.Client, settings: Settings, all_feeds: bool = False,
    now: datetime | None = None, stop: threading.Event | None = None,
) -> PollReport:
    """Poll the feeds that are due (or all of them) once; `stop` ends the pass after the page in hand."""
    now = now or datetime.now(timezone.utc)
    stop = stop or threading.Event()
    feeds = store.list_feeds(db) if all_feeds else store.due_feeds(db, _stamp(now))
    report = PollReport()
    pacer = _HostPacer(settings.per_host_delay_seconds, stop)
    for feed in feeds:
        if stop.is_set():
            report.stopped = True
            break
        try:
            poll_feed(db, feed, client=client, settings=settings, now=now, report=report, pacer=pacer, stop=stop)
        except Exception as exc:  # a bug must not end the daemon's pass for every other feed
            log.exception("%s: unexpected error while polling", feed["url"])
            report.feeds_failed += 1
            report.errors.append(f"{feed['url']}: unexpected error: {exc}")
    log.info(
        "polled %d feed(s): %d new article(s), %d not modified, %d failed, %d page(s) failed",
        report.feeds_polled, report.new_articles, report.feeds_not_modified, report.feeds_failed,
        report.articles_failed,
    )
    return report


def poll_feed(
    db: sqlite_utils.Database, feed: dict[str, Any], *, client: httpx.Client, settings: Settings,
    now: datetime, report: PollReport, pacer: _HostPacer, stop: threading.Event,
) -> None:
    """Fetch one feed with its stored validators, ingest its new entries and record its state."""
    url = feed["url"]
    report.feeds_polled += 1
    pacer.wait(url)
    try:
        fetched = fetch(url, client=client, settings=settings, etag=feed["etag"], last_modified=feed["last_modified"])
        body_hash = hashlib.sha256(fetched.body).hexdigest() if fetched.status != 304 else feed["body_hash"]
        parsed = None
        if fetched.status != 304 and body_hash != feed["body_hash"]:
            parsed = parse_feed(fetched.body, url=fetched.final_url, headers=fetched.headers)
    except MonitorError as exc:
        _record_failure(db, feed, str(exc), now=now, settings=settings)
        report.feeds_failed += 1
        report.errors.append(str(exc))
        return
    state: dict[str, Any] = {
        "last_polled": _stamp(now), "error_count": 0, "last_error": None, "last_status": fetched.status,
        "state": "active",
    }
    if fetched.status != 304:
        state |= {"etag": fetched.headers.get("etag"), "last_modified": fetched.headers.get("last-modified"),
                  "body_hash": body_hash}
    if parsed is None:
        log.info("%s: not modified", url)
        report.feeds_not_modified += 1
        previous = feed["interval_minutes"] if not feed["error_count"] else None
        interval = _interval(previous or settings.poll_interval_minutes, settings)
    else:
        outcome = ingest_entries(db, feed, parsed, client=client, settings=settings, report=report,
                                 pacer=pacer, stop=stop)
        state |= {"title": feed["title"] or parsed.title, "site_url": parsed.link or feed["site_url"]}
        interval = _interval(max(settings.poll_interval_minutes, parsed.hint_minutes or 0), settings)
        if outcome.interrupted or outcome.retry:  # forget the validators: the next GET re-reads every entry
            state |= {"etag": None, "last_modified": None, "body_hash": None}
        if outcome.interrupted:  # and come back soon for the entries left over
            interval = settings.min_interval_minutes
    state |= {"interval_minutes": interval, "next_poll": _stamp(now + timedelta(minutes=interval))}
    store.record_poll(db, feed["id"], **state)


def ingest_entries(
    db: sqlite_utils.Database, feed: dict[str, Any], parsed: ParsedFeed, *, client: httpx.Client,
    settings: Settings, report: PollReport, pacer: _HostPacer, stop: threading.Event,
) -> _FeedOutcome:
    """Fetch, analyse and store every entry not stored yet; each failure is logged and counted."""
    outcome = _FeedOutcome()
    for entry in parsed.entries[: settings.max_entries_per_feed]:
        if stop.is_set():
            outcome.interrupted = report.stopped = True
            break
        if store.find_article(db, url=entry.link, guid=entry.key):
            continue
        pacer.wait(entry.link)
        try:
            if ingest_entry(db, feed, entry, client=client, settings=settings):
                report.new_articles += 1
        except MonitorError as exc:
            log.debug("%s", exc)
            outcome.retry |= isinstance(exc, TransientFetchError)
            report.articles_failed += 1
            report.errors.append(str(exc))
        except Exception as exc:  # one page tripping a bug must not cost the feed's other entries
            log.exception("%s: unexpected error while ingesting", entry.link)
            report.articles_failed += 1
            report.errors.append(f"{entry.link}: unexpected error: {exc}")
    return outcome


def ingest_entry(
    db: sqlite_utils.Database, feed: dict[str, Any], entry: FeedEntry, *, client: httpx.Client,
    settings: Settings,
) -> bool:
    """Fetch one entry's page (never from a private address) and store it; False for a duplicate."""
    fetched = fetch(entry.link, client=client, settings=settings, allow_private=False)
    analysis = analyse(fetched, settings=settings)
    article = analysis.article
    article.title = article.title or entry.title
    article.published = article.published or entry.published
    article.feed_url = feed["url"]
    twin = store.find_article(db, content_hash=store.content_hash(article.text))
    if twin and twin["canonical_url"] != (article.canonical_url or article.url):
        log.info("%s: same text as %s, not stored again", entry.link, twin["canonical_url"])
        return False
    store_analysis(db, analysis, settings=settings, feed_id=feed["id"], guid=entry.key)
    return True


def _record_failure(db: sqlite_utils.Database, feed: dict[str, Any], message: str, *, now: datetime,
                    settings: Settings) -> None:
    """Count a failed poll and back off: each consecutive failure doubles the wait, up to the maximum."""
    log.debug("%s", message)
    errors = (feed["error_count"] or 0) + 1
    interval = _interval(settings.poll_interval_minutes * 2 ** min(errors - 1, 16), settings)
    store.record_poll(
        db, feed["id"], last_polled=_stamp(now), error_count=errors, last_error=message,
        last_status=None, interval_minutes=interval, next_poll=_stamp(now + timedelta(minutes=interval)),
        state="failing" if errors >= settings.hard_failures_before_failing else "active",
    )


def _interval(minutes: float, settings: Settings) -> float:
    return min(max(minutes, settings.min_interval_minutes), settings.max_interval_minutes)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

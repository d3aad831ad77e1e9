"""What a poll's outcome means for a feed's state: pure policy over plain values, no I/O, so every
rule is tested without a server or a database (the pass writes what these functions return).

The one rule for failures, feeds and pages alike: a failure is *hard* only when it is a known,
lasting property of the source (`MonitorError` but not `TransientFetchError`: a 404 or 410, not a
feed, no article text, a refused address, robots.txt). Everything else is *soft*: timeouts, 5xx
and 429, and also any unexpected exception. An unexpected exception is a bug in the monitor or a
library it calls, not a verdict on the source; a hard failure gives a page up for good and
counts a feed towards `failing` five times faster, so a bug would lose stories for ever, while a
soft one is retried with backoff, a bounded number of times (`max_page_attempts` for a page,
`soft_failures_before_failing` before a feed is marked failing), and the upgrade that fixes the
bug then gets the story.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from monitor.config import Settings
from monitor.errors import MonitorError, TransientFetchError
from monitor.models import Fetched
from monitor.poller.intervals import (
    failure_interval,
    max_age_minutes,
    publishing_rate,
    success_interval,
)
from monitor.sources.feeds import ParsedFeed
from monitor.timestamps import stamp


def is_hard_failure(exc: BaseException) -> bool:
    """The one rule (see the module docstring): hard only for a known, lasting failure."""
    return isinstance(exc, MonitorError) and not isinstance(exc, TransientFetchError)


def is_unexpected(exc: BaseException) -> bool:
    """Not one of the monitor's own errors: logged with its traceback, counted soft."""
    return not isinstance(exc, MonitorError)


def failure_message(exc: BaseException, source: str) -> str:
    """The one line a failure is recorded and shown with."""
    return str(exc) if isinstance(exc, MonitorError) else f"{source}: unexpected error: {exc}"


@dataclass(frozen=True)
class FeedFailure:
    """A failed poll's consequences: the columns to write, and what the log line says."""

    columns: dict[str, Any]
    message: str
    hard: bool
    errors: int  # failures in a row, this one included
    failing: bool  # the feed is now marked failing (still polled, at the longest interval)
    interval_minutes: float


def after_failure(
    feed: dict[str, Any], exc: BaseException, *, settings: Settings, now: datetime
) -> FeedFailure:
    """Count a failed poll and back off: hard failures in a row mark the feed failing, and so do
    many soft ones; the wait doubles with each failure, never shorter than Retry-After."""
    url = feed["url"]
    message = failure_message(exc, url)
    hard = is_hard_failure(exc)
    errors = (feed.get("error_count") or 0) + 1
    hard_errors = (feed.get("hard_errors") or 0) + hard
    failing = (
        hard_errors >= settings.hard_failures_before_failing
        or errors >= settings.soft_failures_before_failing
    )
    interval = failure_interval(
        settings, errors=errors, key=url, retry_after=getattr(exc, "retry_after", None)
    )
    columns = {
        "last_polled": stamp(now),
        "error_count": errors,
        "hard_errors": hard_errors,
        "last_error": message,
        "last_status": getattr(exc, "status", None),
        "last_result": message,
        "interval_minutes": interval,
        "next_poll": stamp(now + timedelta(minutes=interval)),
        "state": "failing" if failing else "active",
    }
    return FeedFailure(columns, message, hard, errors, failing, interval)


@dataclass(frozen=True)
class FeedAnswer:
    """What a poll of a feed that answered came to, once its last page was settled."""

    fetched: Fetched
    parsed: ParsedFeed | None  # None: 304, or a body identical to the last one
    body_hash: str | None
    unconditional: bool  # asked without validators
    new: int = 0
    failed: int = 0
    retry: bool = False  # a page failed softly: re-read every entry next time
    backlog: int = 0  # new entries left for the next passes
    interrupted: bool = False  # the pass stopped before every page was settled


@dataclass(frozen=True)
class FeedUpdate:
    """A poll's consequences: the columns to write, and what the log lines say."""

    columns: dict[str, Any]
    next_poll: datetime
    result: str  # "2 new", "not modified" ..., shown by `monitor status`
    move: str | None = None  # "seen" (first time), "taken", "subscribed" (onto a feed we have)


def after_answer(
    feed: dict[str, Any],
    answer: FeedAnswer,
    *,
    settings: Settings,
    now: datetime,
    target_subscribed: bool = False,
) -> FeedUpdate:
    """The new state of a feed that answered: validators, publishing rate, next poll, where it
    moved. A backlog, a page to retry or a stop forgets the validators (the next GET re-reads every
    entry) and a backlog or a stop leaves the feed due at once. `target_subscribed`: the URL a
    permanent redirect points to is a feed of ours already."""
    fetched, parsed = answer.fetched, answer.parsed
    columns: dict[str, Any] = {
        "last_polled": stamp(now),
        "error_count": 0,
        "hard_errors": 0,
        "last_error": None,
        "state": "active",
        "last_status": fetched.status,
    }
    if fetched.status != 304:
        columns |= {
            "etag": fetched.headers.get("etag"),
            "last_modified": fetched.headers.get("last-modified"),
            "body_hash": answer.body_hash,
        }
    if answer.unconditional:
        columns["last_unconditional"] = stamp(now)
    publish, latest = feed["publish_minutes"], feed["latest_entry"]
    hints = [max_age_minutes(fetched.headers)]
    if parsed is not None:
        publish, latest = publishing_rate([e.published for e in parsed.entries], now=now)
        publish, latest = publish or feed["publish_minutes"], latest or feed["latest_entry"]
        hints.append(parsed.hint_minutes)
        columns |= {
            "title": feed["title"] or parsed.title,
            "site_url": parsed.link or feed["site_url"],
            "publish_minutes": publish,
            "latest_entry": latest,
        }
    interval = success_interval(
        settings, publish_minutes=publish, latest_entry=latest, now=now, hints=hints
    )
    next_poll = now + timedelta(minutes=interval)
    if answer.retry or answer.interrupted or answer.backlog:
        columns |= {"etag": None, "last_modified": None, "body_hash": None}
    if answer.interrupted or answer.backlog:
        next_poll = now
    result = poll_result(answer)
    columns |= {"interval_minutes": interval, "next_poll": stamp(next_poll), "last_result": result}
    move_columns, move = moved(feed, fetched.permanent_url, target_subscribed=target_subscribed)
    return FeedUpdate(columns | move_columns, next_poll, result, move)


def poll_result(answer: FeedAnswer) -> str:
    if answer.parsed is None:
        return "not modified" if answer.fetched.status == 304 else "unchanged"
    text = f"{answer.new} new"
    if answer.failed:
        text += f", {answer.failed} page(s) failed"
    if answer.backlog:
        text += f", {answer.backlog} left for the next pass"
    return text + (", stopped" if answer.interrupted else "")


def moved(
    feed: dict[str, Any], target: str | None, *, target_subscribed: bool
) -> tuple[dict[str, Any], str | None]:
    """A permanent redirect seen twice in a row moves the feed (unless onto a feed we have); a
    temporary one never does. Returns the columns and what happened, for the log."""
    if not target or target == feed["url"]:
        return {"moved_to": None}, None
    if feed["moved_to"] != target:
        return {"moved_to": target}, "seen"
    if target_subscribed:
        return {"moved_to": target}, "subscribed"
    return {"moved_to": None, "url": target}, "taken"

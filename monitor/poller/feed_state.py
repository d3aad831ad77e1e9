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
from monitor.poller.intervals import failure_interval
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

"""When a feed is polled next: how often it publishes, what it asks for, backoff.

A feed that publishes hourly is polled every half hour, one that has been quiet for a week once a
day; a feed's own hints (RSS <ttl>, sy:updatePeriod, Cache-Control max-age, Retry-After) only
ever lengthen the wait; failures back off exponentially with a jitter, so feeds that failed
together (a network outage) do not all come back at the same minute. Everything stays within
min_interval_minutes .. max_interval_minutes.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import statistics
from collections.abc import Iterable
from datetime import datetime

from monitor.config import Settings
from monitor.timestamps import parse_stamp

RECENT_ENTRIES = 20  # the newest entries that say how often a feed publishes
JITTER = 0.25  # a backoff is stretched or shrunk by up to this fraction
_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


def publishing_rate(
    dates: Iterable[str | None], *, now: datetime
) -> tuple[float | None, str | None]:
    """(median minutes between the newest entries, the newest entry's date) from ISO 8601 UTC dates.

    Dates in the future are ignored: a feed's clock is not a reason to poll it sooner.
    """
    stamps = sorted({d for d in dates if d and parse_stamp(d) <= now}, reverse=True)[
        :RECENT_ENTRIES
    ]
    if not stamps:
        return None, None
    moments = [parse_stamp(s) for s in stamps]
    gaps = [(a - b).total_seconds() / 60 for a, b in itertools.pairwise(moments)]
    return (statistics.median(gaps) if gaps else None), stamps[0]


def max_age_minutes(headers: dict[str, str]) -> float | None:
    """Cache-Control max-age in minutes, unless the response forbids caching altogether."""
    value = headers.get("cache-control", "")
    if "no-store" in value.lower():
        return None
    match = _MAX_AGE.search(value)
    return int(match.group(1)) / 60 if match else None


def success_interval(
    settings: Settings,
    *,
    publish_minutes: float | None,
    latest_entry: str | None,
    now: datetime,
    hints: Iterable[float | None] = (),
) -> float:
    """Minutes until the next poll of a feed that answered: half its publishing gap (or of the
    time since its newest entry, when it has gone quiet), raised to its hints."""
    estimate = publish_minutes or 0.0
    if latest_entry:
        estimate = max(estimate, (now - parse_stamp(latest_entry)).total_seconds() / 60)
    base = estimate / 2 if estimate else settings.poll_interval_minutes
    return clamp(max([base, *(h for h in hints if h)]), settings)


def failure_interval(
    settings: Settings, *, errors: int, key: str, retry_after: float | None = None
) -> float:
    """Minutes until the next try after `errors` consecutive failures: doubling, jittered, and
    never sooner than the server's Retry-After (seconds)."""
    backoff = settings.poll_interval_minutes * 2 ** min(errors - 1, 16) * jitter(key, errors)
    return clamp(max(backoff, (retry_after or 0) / 60), settings)


def jitter(key: str, attempt: int) -> float:
    """A factor in 1 ± JITTER that differs between feeds but is the same for one feed and attempt
    (so a run can be reproduced)."""
    digest = hashlib.blake2b(f"{key}\0{attempt}".encode(), digest_size=8).digest()
    return 1 - JITTER + 2 * JITTER * int.from_bytes(digest, "big") / 2**64


def clamp(minutes: float, settings: Settings) -> float:
    return min(max(minutes, settings.min_interval_minutes), settings.max_interval_minutes)



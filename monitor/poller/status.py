"""The state of every feed at a glance, for `monitor status` and monitoring."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils

from monitor.timestamps import stamp


@dataclass
class FeedStatus:
    """One feed as an operator sees it: when it was polled, how that went, when it is next due."""

    id: int
    url: str
    title: str | None
    state: str  # active | failing
    last_polled: str | None
    result: str  # "3 new", "not modified", the error, or "never polled"
    errors: int  # consecutive failed polls
    next_poll: str | None
    articles_24h: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def feed_statuses(db: sqlite_utils.Database, *, now: datetime | None = None) -> list[FeedStatus]:
    """Every feed with its polling state and the articles it brought in the last 24 hours."""
    since = stamp((now or datetime.now(UTC)) - timedelta(hours=24))
    rows = db.execute(
        "SELECT f.id, f.url, f.title, f.state, f.last_polled, coalesce(f.last_result, f.last_error), "
        "f.error_count, f.next_poll, (SELECT count(*) FROM articles a WHERE a.feed = f.id AND a.fetched >= ?) "
        "FROM feeds f ORDER BY f.id",
        [since],
    ).fetchall()
    return [
        FeedStatus(
            id=r[0],
            url=r[1],
            title=r[2],
            state=r[3],
            last_polled=r[4],
            result=r[5] or ("never polled" if r[4] is None else ""),
            errors=r[6] or 0,
            next_poll=r[7],
            articles_24h=r[8],
        )
        for r in rows
    ]


def failing(statuses: list[FeedStatus]) -> list[FeedStatus]:
    return [s for s in statuses if s.state == "failing"]

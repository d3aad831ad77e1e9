"""The one timestamp format the database stores: UTC to the second, `2026-12-03T12:30:59Z`.

Text in that form sorts as time does, so SQL compares stored times as strings.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def stamp(moment: datetime) -> str:
    """A moment as stored (a naive datetime is taken as local time)."""
    return moment.astimezone(UTC).strftime(FORMAT)


def utcnow() -> str:
    """Now, as stored."""
    return stamp(datetime.now(UTC))


def parse_stamp(text: str) -> datetime:
    """A stored timestamp back to an aware datetime."""
    return datetime.strptime(text, FORMAT).replace(tzinfo=UTC)


def stamp_struct(moment: time.struct_time) -> str:
    """A UTC `time.struct_time` (as feedparser gives dates) as stored."""
    return time.strftime(FORMAT, moment)


def parse_day(text: str) -> str:
    """A date given by a user, `YYYY-MM-DD` (or a stored timestamp), as it compares with stored
    dates and timestamps; raises ValueError for anything else."""
    text = text.strip()
    for form in ("%Y-%m-%d", FORMAT):
        try:
            datetime.strptime(text, form)
        except ValueError:
            continue
        return text
    raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)")

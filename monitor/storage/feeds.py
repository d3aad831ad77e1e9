"""Feeds in SQLite: the list the daemon polls, each feed's polling state, and the pages that failed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlite_utils

from monitor.storage.connection import transaction
from monitor.timestamps import utcnow

LOOKUP_CHUNK = 500  # entries looked up at once, within SQLite's limit of variables a query


def add_feed(db: sqlite_utils.Database, url: str, title: str | None = None) -> tuple[int, bool]:
    """Add a feed once; returns (id, created)."""
    with transaction(db) as conn:
        row = conn.execute("SELECT id FROM feeds WHERE url = ?", [url]).fetchone()
        if row:
            return row[0], False
        cur = conn.execute("INSERT INTO feeds (url, title, added) VALUES (?, ?, ?)", [url, title, utcnow()])
        return cur.lastrowid, True


def remove_feed(db: sqlite_utils.Database, url: str) -> bool:
    """Remove a feed; its articles stay (their `feed` becomes NULL)."""
    with transaction(db) as conn:
        return conn.execute("DELETE FROM feeds WHERE url = ?", [url]).rowcount > 0


def list_feeds(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM feeds ORDER BY id"))


def get_feed(db: sqlite_utils.Database, url: str) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM feeds WHERE url = ?", [url]))
    return rows[0] if rows else None


def due_feeds(db: sqlite_utils.Database, now: str | None = None) -> list[dict[str, Any]]:
    """Feeds whose next poll time has come (or was never set)."""
    now = now or utcnow()
    return list(db.query(
        "SELECT * FROM feeds WHERE next_poll IS NULL OR next_poll <= ? ORDER BY coalesce(next_poll, ''), id", [now]
    ))


FEED_STATE_COLUMNS = (
    "title", "site_url", "etag", "last_modified", "last_polled", "next_poll", "error_count",
    "last_error", "last_status", "body_hash", "interval_minutes", "state", "url",
    "hard_errors", "last_result", "moved_to", "last_unconditional", "publish_minutes", "latest_entry",
)


def record_poll(db: sqlite_utils.Database, feed_id: int, **state: Any) -> None:
    """Update a feed's polling state (validators, times, errors); unknown keys are a bug."""
    unknown = set(state) - set(FEED_STATE_COLUMNS)
    if unknown:
        raise ValueError(f"unknown feed columns: {sorted(unknown)}")
    if not state:
        return
    sets = ", ".join(f"{k} = ?" for k in state)
    with transaction(db) as conn:
        conn.execute(f"UPDATE feeds SET {sets} WHERE id = ?", [*state.values(), feed_id])


def known_entries(db: sqlite_utils.Database, feed_id: int, entries: list[tuple[str, list[str]]]) -> set[str]:
    """The keys of the (key, urls) feed entries stored already: under this feed's guid, or any of
    their urls (as fetched or canonical). Guids are only unique within a feed. Three queries per
    LOOKUP_CHUNK entries, not three per entry: a pass looks up tens of thousands of entries."""
    known: set[str] = set()
    for start in range(0, len(entries), LOOKUP_CHUNK):
        known |= _known_entries(db, feed_id, entries[start : start + LOOKUP_CHUNK])
    return known


def _known_entries(db: sqlite_utils.Database, feed_id: int, entries: list[tuple[str, list[str]]]) -> set[str]:
    keys = [key for key, _ in entries]
    urls = sorted({url for _, found in entries for url in found})
    guids = {row[0] for row in db.execute(
        f"SELECT guid FROM articles WHERE feed = ? AND guid IN ({', '.join('?' * len(keys))})", [feed_id, *keys])}
    stored = set()
    for column in ("canonical_url", "url"):
        stored |= {row[0] for row in db.execute(
            f"SELECT {column} FROM articles WHERE {column} IN ({', '.join('?' * len(urls))})", urls)}
    return {key for key, found in entries if key in guids or any(url in stored for url in found)}


def page_failures(db: sqlite_utils.Database, links: list[str]) -> dict[str, dict[str, Any]]:
    """The recorded failures of these pages, by link."""
    failures: dict[str, dict[str, Any]] = {}
    for start in range(0, len(links), LOOKUP_CHUNK):
        chunk = links[start : start + LOOKUP_CHUNK]
        rows = db.query(f"SELECT * FROM page_failures WHERE link IN ({', '.join('?' * len(chunk))})", chunk)
        failures |= {row["link"]: row for row in rows}
    return failures


def record_page_failure(
    db: sqlite_utils.Database, link: str, *, feed_id: int | None, error: str, hard: bool, now: str,
) -> None:
    """Count one more failure of a feed entry's page (hard ones are not fetched again)."""
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO page_failures (link, feed, error, hard, attempts, first_failed, last_failed) "
            "VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT (link) DO UPDATE SET error = excluded.error, "
            "hard = excluded.hard, attempts = attempts + 1, last_failed = excluded.last_failed",
            [link, feed_id, error, int(hard), now, now],
        )


def clear_page_failure(db: sqlite_utils.Database, link: str) -> None:
    with transaction(db) as conn:
        conn.execute("DELETE FROM page_failures WHERE link = ?", [link])


def load_default_feeds(db: sqlite_utils.Database, feeds: Iterable[tuple[str, str | None]]) -> int:
    """Fill an empty feeds table with (url, title) pairs; returns how many were added."""
    if db.execute("SELECT count(*) FROM feeds").fetchone()[0]:
        return 0
    return sum(add_feed(db, url, title)[1] for url, title in feeds)

"""SQLite storage through sqlite-utils: feeds, articles (raw HTML kept) and their claims.

Writes go through `transaction()` so an article and its claims land together or not at all;
the connection runs in autocommit mode so sqlite-utils' own commits never split a transaction.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from monitor.article.dedup import NearDuplicates, same_story
from monitor.errors import MonitorError
from monitor.storage.migrations import migrate
from monitor.models import Article, Claim
from monitor.resources import db_dir

BUSY_TIMEOUT_MS = 30_000
CLAIM_COLUMNS = (
    "kind", "text", "start", "end", "sentence", "speaker", "value", "high", "unit", "object",
    "company", "subject", "approx", "direction", "hedge", "known", "battery", "rule",
)
REVIEW_STATUSES = ("pending", "accepted", "rejected")


def utcnow() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the database; WAL mode so readers never block the daemon."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        migrate(conn)
        apply_views(conn)
    except sqlite3.DatabaseError as exc:
        raise MonitorError(f"{path}: cannot open database: {exc}") from None
    return sqlite_utils.Database(conn)


def apply_views(conn: sqlite3.Connection) -> None:
    """(Re)create the analyst views of db/views.sql, so they always match this version."""
    script = (db_dir() / "views.sql").read_text(encoding="utf-8")
    names = [line.split()[2] for line in script.splitlines() if line.startswith("CREATE VIEW")]
    drops = "".join(f"DROP VIEW IF EXISTS {name};\n" for name in names)
    conn.executescript(f"BEGIN;\n{drops}{script}\nCOMMIT;")


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error (including KeyboardInterrupt)."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


RAW_HTML_GZIP_LEVEL = 3  # a fifth of level 9's time for 13% more bytes: pages are kept, rarely read


def compress_html(raw: bytes) -> bytes:
    """Raw HTML as stored in `articles.raw_html`: gzip, readable with any gzip tool."""
    return gzip.compress(raw, compresslevel=RAW_HTML_GZIP_LEVEL, mtime=0)


def content_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


# ---- articles and claims -------------------------------------------------------------------


def find_article(
    db: sqlite_utils.Database, *, url: str | None = None, guid: str | None = None,
    content_hash: str | None = None,
) -> dict[str, Any] | None:
    """An article already stored under this URL (as fetched or canonical), feed guid or text hash."""
    checks = []
    if url:
        checks += [("url = ?", url), ("canonical_url = ?", url)]
    if guid:
        checks.append(("guid = ?", guid))
    if content_hash:
        checks.append(("content_hash = ?", content_hash))
    for where, value in checks:
        row = db.execute(f"SELECT id, url, canonical_url FROM articles WHERE {where} LIMIT 1", [value]).fetchone()
        if row:
            return {"id": row[0], "url": row[1], "canonical_url": row[2]}
    return None


def save_article(
    db: sqlite_utils.Database, article: Article, claims: list[Claim], *, rules_version: str,
    feed_id: int | None = None, guid: str | None = None, battery_relevant: bool | None = None,
    duplicate_of: int | None = None, simhash: int | None = None, raw_gzip: bytes | None = None,
) -> int:
    """Insert or replace one article and all its claims in one transaction; returns the article id.

    `duplicate_of` links a syndicated copy to the article it repeats; `simhash` is the text's
    near-duplicate fingerprint (monitor/dedup.py); `raw_gzip` is the page already compressed (by an
    extraction worker, so the single writer does not spend its time compressing).

    A claim that was reviewed before and is found again (same kind and text, in text order) keeps its
    id, review status, reviewer, time and note (so its review_log entries still apply), so re-ingesting
    or reprocessing never silently undoes an analyst's work; a reviewed claim the rules no longer
    find leaves a 'dropped' entry in review_log.
    """
    canonical = article.canonical_url or article.url
    row = {
        "url": article.url, "canonical_url": canonical, "feed": feed_id, "guid": guid,
        "title": article.title, "author": article.author, "published": article.published,
        "fetched": utcnow(), "language": article.language, "source": article.source,
        "text": article.text,
        "raw_html": raw_gzip or (compress_html(article.raw_html) if article.raw_html else None),
        "content_hash": content_hash(article.text),
        "battery_relevant": None if battery_relevant is None else int(battery_relevant),
    }
    if duplicate_of is not None or simhash is not None:
        row |= {"duplicate_of": duplicate_of, "simhash": simhash}
    with transaction(db) as conn:
        existing = conn.execute(
            "SELECT id, feed, guid FROM articles WHERE canonical_url = ?", [canonical]
        ).fetchone()
        if existing:
            article_id = existing[0]
            row["feed"] = row["feed"] or existing[1]
            row["guid"] = row["guid"] or existing[2]
            sets = ", ".join(f"{k} = ?" for k in row)
            conn.execute(f"UPDATE articles SET {sets} WHERE id = ?", [*row.values(), article_id])
            reviewed = reviewed_claims(conn, article_id)
            conn.execute("DELETE FROM claims WHERE article = ?", [article_id])
        else:
            cols = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            article_id = conn.execute(f"INSERT INTO articles ({cols}) VALUES ({marks})", list(row.values())).lastrowid
            reviewed = {}
        insert_claims(conn, article_id, claims, rules_version=rules_version, reviewed=reviewed)
        log_dropped_reviews(conn, article_id, reviewed, rules_version=rules_version)
    return article_id


# A claim's review state as carried over: (old claim id, status, reviewer, reviewed, note).
ReviewState = tuple[int, str, str | None, str | None, str | None]


def reviewed_claims(conn: sqlite3.Connection, article_id: int) -> dict[tuple[str, str], list[ReviewState]]:
    """An article's reviewed or annotated claims by (kind, text), each list in text order."""
    found: dict[tuple[str, str], list[ReviewState]] = {}
    for row in conn.execute(
        "SELECT kind, text, id, review_status, reviewer, reviewed, review_note FROM claims "
        "WHERE article = ? AND (review_status != 'pending' OR review_note IS NOT NULL) "
        'ORDER BY start, "end", id', [article_id]
    ):
        found.setdefault((row[0], row[1]), []).append(row[2:])
    return found


def insert_claims(
    conn: sqlite3.Connection, article_id: int, claims: list[Claim], *, rules_version: str,
    reviewed: dict[tuple[str, str], list[ReviewState]] | None = None,
) -> None:
    """Insert claims; one matching a `reviewed` entry takes its id and review state (consumed)."""
    reviewed = reviewed if reviewed is not None else {}
    columns = ", ".join(f'"{c}"' for c in CLAIM_COLUMNS)
    sql = (
        f"INSERT INTO claims (id, article, {columns}, extra, rules_version, review_status, reviewer, "
        f"reviewed, review_note) VALUES (?, ?, {', '.join('?' for _ in CLAIM_COLUMNS)}, ?, ?, ?, ?, ?, ?)"
    )
    rows = []
    for claim in sorted(claims, key=lambda c: (c.start, c.end)) if reviewed else claims:
        values = [getattr(claim, c) for c in CLAIM_COLUMNS]
        values = [int(v) if isinstance(v, bool) else v for v in values]
        extra = json.dumps(claim.extra, ensure_ascii=False) if claim.extra else None
        states = reviewed.get((claim.kind, claim.text))
        state = states.pop(0) if states else (None, "pending", None, None, None)
        rows.append([*state[:1], article_id, *values, extra, rules_version, *state[1:]])
    conn.executemany(sql, rows)


def log_dropped_reviews(
    conn: sqlite3.Connection, article_id: int, reviewed: dict[tuple[str, str], list[ReviewState]], *,
    rules_version: str,
) -> None:
    """Record reviewed claims the rules no longer find, so their review is never lost silently."""
    note = f"no longer found by rules {rules_version}"
    conn.executemany(
        "INSERT INTO review_log (claim, article, kind, claim_text, at, old_status, new_status, note) "
        "VALUES (?, ?, ?, ?, ?, ?, 'dropped', ?)",
        [(state[0], article_id, kind, text, utcnow(), state[1], note)
         for (kind, text), states in reviewed.items() for state in states],
    )


def article_claims(db: sqlite_utils.Database, article_id: int) -> list[Claim]:
    """The stored claims of one article, as Claim records in text order."""
    names = {f.name for f in fields(Claim)}
    out = []
    for row in db.query('SELECT * FROM claims WHERE article = ? ORDER BY start, "end"', [article_id]):
        extra = json.loads(row["extra"]) if row["extra"] else {}
        data = {k: v for k, v in row.items() if k in names and k != "extra"}
        for flag in ("known", "battery"):
            if data.get(flag) is not None:
                data[flag] = bool(data[flag])
        out.append(Claim(**data, extra=extra))
    return out


def query_claims(
    db: sqlite_utils.Database, *, kind: str | None = None, company: str | None = None,
    since: str | None = None, status: str | None = None, limit: int | None = None,
) -> list[dict[str, Any]]:
    """Claims with their article's title, source and date, newest articles first."""
    where, params = [], []
    if kind:
        where.append("kind = ?"); params.append(kind)
    if company:
        where.append("(company = ? COLLATE NOCASE OR subject = ? COLLATE NOCASE)"); params += [company, company]
    if since:
        where.append("coalesce(published, '') >= ?"); params.append(since)
    if status:
        where.append("review_status = ?"); params.append(status)
    sql = "SELECT * FROM claim_details"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY coalesce(published, '') DESC, article DESC, id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return list(db.query(sql, params))


# ---- feeds ---------------------------------------------------------------------------------


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
    feed, not three per entry: a pass looks up tens of thousands of entries."""
    if not entries:
        return set()
    keys = [key for key, _ in entries]
    urls = sorted({url for _, found in entries for url in found})
    guids = {row[0] for row in db.execute(
        f"SELECT guid FROM articles WHERE feed = ? AND guid IN ({', '.join('?' * len(keys))})", [feed_id, *keys])}
    stored = set()
    for column in ("canonical_url", "url"):
        stored |= {row[0] for row in db.execute(
            f"SELECT {column} FROM articles WHERE {column} IN ({', '.join('?' * len(urls))})", urls)}
    return {key for key, found in entries if key in guids or any(url in stored for url in found)}


def original_of(db: sqlite_utils.Database, article_id: int) -> int:
    """The article a copy repeats (itself when it is an original)."""
    row = db.execute("SELECT duplicate_of FROM articles WHERE id = ?", [article_id]).fetchone()
    return row[0] if row and row[0] is not None else article_id


def article_text(db: sqlite_utils.Database, article_id: int) -> str:
    row = db.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()
    return row[0] if row else ""


def find_original(
    db: sqlite_utils.Database, text: str, simhash: int | None, originals: NearDuplicates,
    *, itself: int | None = None,
) -> int | None:
    """The stored article that `text` repeats, or None for a story not stored yet: the original of
    an identical text, else the closest fingerprint among `originals` whose text shares most word
    4-grams (monitor/dedup.py). `itself` is the article's own id when it is stored again."""
    twin = db.execute(
        "SELECT id FROM articles WHERE content_hash = ? AND id IS NOT ? ORDER BY id LIMIT 1",
        [content_hash(text), itself],
    ).fetchone()
    if twin:
        original = original_of(db, twin[0])
        return None if original == itself else original
    if simhash is None:
        return None
    return next(
        (
            candidate
            for candidate in originals.candidates(simhash)
            if candidate != itself and same_story(text, article_text(db, candidate))
        ),
        None,
    )


def save_linked(
    db: sqlite_utils.Database, article: Article, claims: list[Claim], *, simhash: int | None,
    originals: NearDuplicates, itself: int | None = None, **columns: Any,
) -> tuple[int, int | None]:
    """Save an article (save_article, with `columns`) linked to the stored story it repeats, if
    any (find_original). An original joins `originals`, so the next article of the same pass or
    command is compared with it. Returns the article's id and the original's, or None."""
    original = find_original(db, article.text, simhash, originals, itself=itself)
    article_id = save_article(db, article, claims, duplicate_of=original, simhash=simhash, **columns)
    if original is None and simhash is not None and itself is None:
        originals.add(article_id, simhash)
    return article_id, original


def recent_originals(db: sqlite_utils.Database, days: float, now: datetime) -> NearDuplicates:
    """The fingerprints of the originals (not copies) fetched in the `days` before `now`: what a
    new article is compared with to find out whether it is a syndicated copy."""
    since = (now - timedelta(days=days)).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    # named: without ANALYZE statistics SQLite would take the index on duplicate_of and read the
    # rows, walking their raw HTML (db/migrations/0004_recent_originals_index.sql)
    return NearDuplicates(db.execute(
        "SELECT id, simhash FROM articles INDEXED BY articles_recent_originals "
        "WHERE fetched >= ? AND simhash IS NOT NULL AND duplicate_of IS NULL",
        [since],
    ).fetchall())


def page_failures(db: sqlite_utils.Database, links: list[str]) -> dict[str, dict[str, Any]]:
    """The recorded failures of these pages, by link."""
    if not links:
        return {}
    rows = db.query(f"SELECT * FROM page_failures WHERE link IN ({', '.join('?' * len(links))})", links)
    return {row["link"]: row for row in rows}


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


def load_default_feeds(db: sqlite_utils.Database, opml_path: Path | None = None) -> int:
    """Fill an empty feeds table from db/default-feeds.opml; returns how many were added."""
    if db.execute("SELECT count(*) FROM feeds").fetchone()[0]:
        return 0
    from monitor.sources.opml import read_opml

    path = opml_path or db_dir() / "default-feeds.opml"
    added = 0
    for url, title in read_opml(path.read_bytes()):
        added += add_feed(db, url, title)[1]
    return added

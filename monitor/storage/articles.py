"""Articles and their claims in SQLite: stored with raw HTML, found again, and re-stored with their
reviews carried over."""

from __future__ import annotations

import gzip
import hashlib
import json
import sqlite3
from dataclasses import fields
from datetime import datetime, timedelta
from operator import attrgetter
from typing import Any

import sqlite_utils

from monitor.models import Article, Claim
from monitor.storage.connection import transaction
from monitor.storage.filters import where_clause
from monitor.timestamps import stamp, utcnow

CLAIM_COLUMNS = (
    "kind", "text", "start", "end", "sentence", "speaker", "value", "high", "unit", "object",
    "company", "subject", "approx", "direction", "hedge", "known", "battery", "rule",
    "metric", "scope", "period", "canonical_value", "canonical_unit", "claim_key",
)
# A claim's values in CLAIM_COLUMNS order, in one call: the backfill's client stores some 17
# claims a page, and a getattr a column took 44 of its 500 ms storing 4,449 (now 8)
_claim_values = attrgetter(*CLAIM_COLUMNS)
_INSERT_CLAIMS = (
    "INSERT INTO claims (id, article, " + ", ".join(f'"{c}"' for c in CLAIM_COLUMNS)
    + ", extra, rules_version, review_status, reviewer, reviewed, review_note) VALUES "
)
_CLAIM_MARKS = "(" + ", ".join("?" * (len(CLAIM_COLUMNS) + 8)) + ")"
# An article's claims go in one INSERT of many rows, not one INSERT a claim (executemany): each
# statement that fires the full-text trigger (claims_ai) makes FTS5 write out what it holds, so
# 4,449 claims stored a statement each took 0.07 CPU-s of FTS work, and 0.02 in statements of a
# page's claims (SQLite 3.40). 100 rows stay far below SQLite's limit on bound values (32,766).
CLAIMS_PER_STATEMENT = 100


RAW_HTML_GZIP_LEVEL = 3  # a fifth of level 9's time for 13% more bytes: pages are kept, rarely read


def compress_html(raw: bytes) -> bytes:
    """Raw HTML as stored in `articles.raw_html`: gzip, readable with any gzip tool."""
    return gzip.compress(raw, compresslevel=RAW_HTML_GZIP_LEVEL, mtime=0)


def content_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


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
    near-duplicate fingerprint (article/dedup.py); `raw_gzip` is the page already compressed (by an
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
    rows = []
    for claim in sorted(claims, key=lambda c: (c.start, c.end)) if reviewed else claims:
        values = [int(v) if v is True or v is False else v for v in _claim_values(claim)]
        extra = json.dumps(claim.extra, ensure_ascii=False) if claim.extra else None
        states = reviewed.get((claim.kind, claim.text))
        state = states.pop(0) if states else (None, "pending", None, None, None)
        rows.append([*state[:1], article_id, *values, extra, rules_version, *state[1:]])
    for start in range(0, len(rows), CLAIMS_PER_STATEMENT):
        batch = rows[start:start + CLAIMS_PER_STATEMENT]
        conn.execute(_INSERT_CLAIMS + ", ".join([_CLAIM_MARKS] * len(batch)), [v for row in batch for v in row])


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
    where, params = where_clause({
        "kind = ?": kind,
        "(company = ? COLLATE NOCASE OR subject = ? COLLATE NOCASE)": company,
        "coalesce(published, '') >= ?": since,
        "review_status = ?": status,
    })
    sql = f"SELECT * FROM claim_details{where}"
    sql += " ORDER BY coalesce(published, '') DESC, article DESC, id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return list(db.query(sql, params))


def original_of(db: sqlite_utils.Database, article_id: int) -> int:
    """The article a copy repeats (itself when it is an original)."""
    row = db.execute("SELECT duplicate_of FROM articles WHERE id = ?", [article_id]).fetchone()
    return row[0] if row and row[0] is not None else article_id


def article_text(db: sqlite_utils.Database, article_id: int) -> str:
    row = db.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()
    return row[0] if row else ""


def recent_fingerprints(db: sqlite_utils.Database, days: float, now: datetime) -> list[tuple[int, int]]:
    """(id, simhash) of the originals (not copies) fetched in the `days` before `now`."""
    since = stamp(now - timedelta(days=days))
    # named: without ANALYZE statistics SQLite would take the index on duplicate_of and read the
    # rows, walking their raw HTML (db/migrations/0004_recent_originals_index.sql)
    return db.execute(
        "SELECT id, simhash FROM articles INDEXED BY articles_recent_originals "
        "WHERE fetched >= ? AND simhash IS NOT NULL AND duplicate_of IS NULL",
        [since],
    ).fetchall()

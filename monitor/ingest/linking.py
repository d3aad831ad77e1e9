"""Originals and copies: a syndicated copy of a stored story is stored linked to it
(`articles.duplicate_of`), found by text hash or by simhash and shared word 4-grams."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlite_utils

from monitor.article.dedup import NearDuplicates, same_story
from monitor.models import Article, Claim
from monitor.storage.articles import (
    article_text,
    content_hash,
    find_article,
    original_of,
    recent_fingerprints,
    save_article,
)


@dataclass
class StoredPage:
    """A page just read and stored: its article, and the original it is a copy of, if any."""

    article_id: int
    original: int | None


def find_original(
    db: sqlite_utils.Database, text: str, simhash: int | None, originals: NearDuplicates,
    *, itself: int | None = None,
) -> int | None:
    """The stored article that `text` repeats, or None for a story not stored yet: the original of
    an identical text, else the closest fingerprint among `originals` whose text shares most word
    4-grams (monitor/article/dedup.py). `itself` is the article's own id when it is stored again."""
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


def save_new_page(
    db: sqlite_utils.Database, article: Article, claims: list[Claim], *, simhash: int | None,
    originals: NearDuplicates, **columns: Any,
) -> StoredPage | None:
    """Store a page just read (the poller's, the backfill's) linked to the story it repeats
    (save_linked), unless an article is stored under its canonical URL already: None then, and
    what is stored is left as it is."""
    if find_article(db, url=article.canonical_url or article.url):
        return None
    article_id, original = save_linked(
        db, article, claims, simhash=simhash, originals=originals, **columns
    )
    return StoredPage(article_id, original)


def recent_originals(db: sqlite_utils.Database, days: float, now: datetime) -> NearDuplicates:
    """The fingerprints of the originals (not copies) fetched in the `days` before `now`: what a
    new article is compared with to find out whether it is a syndicated copy."""
    return NearDuplicates(recent_fingerprints(db, days, now))

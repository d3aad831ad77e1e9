"""Reprocessing: the current rules run again over stored articles, from their kept page (or text)
and the title and date they are stored under, without refetching; `monitor reprocess` calls it."""

from __future__ import annotations

import gzip

import sqlite_utils

from monitor.article.extract import parse_article
from monitor.config import Settings
from monitor.ingest.document import analyse_text, store_analysis
from monitor.models import Article, Fetched
from monitor.storage.filters import where_clause


def articles_to_reprocess(
    db: sqlite_utils.Database, *, since: str | None = None, article_id: int | None = None,
) -> list[int]:
    """Ids of the stored articles `reprocess` should visit, oldest first."""
    where, params = where_clause({"coalesce(published, fetched) >= ?": since, "id = ?": article_id})
    return [row[0] for row in db.execute(f"SELECT id FROM articles{where} ORDER BY id", params).fetchall()]


def reprocess(
    db: sqlite_utils.Database, article_ids: list[int], *, settings: Settings | None = None,
    progress=None,
) -> int:
    """Re-run the current rules over stored articles (raw HTML when kept) without refetching."""
    settings = settings or Settings()
    done = 0
    for current in article_ids:
        row = db["articles"].get(current)
        analysis = analyse_text(stored_article(row), settings)
        store_analysis(db, analysis, settings=settings, feed_id=row["feed"], guid=row["guid"])
        done += 1
        if progress:
            progress(1)
    return done


def stored_article(row: dict) -> Article:
    """A stored article as the rules should read it again: its page parsed anew where kept, with the
    title, date and the rest it is stored under (which a feed entry may have given when the page
    names none) going before what the page says, so "last year" resolves as it did when stored."""
    if not row["raw_html"]:
        return Article(url=row["url"], text=row["text"], title=row["title"], published=row["published"],
                       author=row["author"], language=row["language"], source=row["source"],
                       canonical_url=row["canonical_url"])
    article = parse_article(Fetched(url=row["url"], final_url=row["url"], body=gzip.decompress(row["raw_html"]),
                                    content_type="text/html"))
    article.canonical_url = row["canonical_url"]
    for name in ("title", "author", "published", "language", "source"):
        setattr(article, name, row[name] or getattr(article, name))
    return article

"""What the backfill tests share: WARCs of battery and other stories, and the rows a backfill stored."""

from __future__ import annotations

import sqlite3

from support.warcs import Page, battery_story, plain_story, write_warc


def crawl(path, first: int, count: int, *, plain_every: int = 2):
    """A WARC of `count` battery stories from number `first`, with a plain story every `plain_every`."""
    pages = []
    for n in range(first, first + count):
        pages.append(Page(url=f"https://cells.example/news/{n}", body=battery_story(n)))
        if n % plain_every == 0:
            pages.append(Page(url=f"https://town.example/{n}", body=plain_story(n)))
    return write_warc(path, pages)


def stored_rows(db_path):
    """Articles, claims and file counts as a backfill left them, without ids or times."""
    conn = sqlite3.connect(db_path)
    try:
        articles = conn.execute(
            "SELECT url, canonical_url, content_hash, duplicate_of IS NOT NULL, published FROM articles ORDER BY url"
        ).fetchall()
        claims = conn.execute(
            "SELECT a.url, c.kind, c.text, c.start, c.claim_key FROM claims c JOIN articles a ON a.id = c.article "
            "ORDER BY 1, 4, 2, 3"
        ).fetchall()
        files = conn.execute(
            "SELECT source, records_read, skipped, kept, failed, claims, done FROM backfill_files ORDER BY 1"
        ).fetchall()
    finally:
        conn.close()
    return articles, claims, files



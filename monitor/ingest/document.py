"""The one path every user shares: a document in, its article and claims out, optionally stored.

The daemon, `monitor ingest`, reprocessing (reprocess.py), the backfill, the benchmarks and the
tests all call these.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import sqlite_utils

from monitor.article.extract import parse_article
from monitor.config import Settings
from monitor.article.dedup import NearDuplicates, canonical_url, fingerprint
from monitor.article.sites import trusted_canonical
from monitor.sources.local import read_local
from monitor.models import Article, Claim, Fetched
from monitor.storage.articles import find_article, save_article
from monitor.ingest.linking import recent_originals, save_linked
from monitor.tracking.keys import assign_claim_keys

log = logging.getLogger(__name__)


@dataclass
class Analysis:
    """An article with its claims: what the rules stage makes of one document."""

    article: Article
    claims: list[Claim]
    battery_relevant: bool
    rules_version: str  # of the rules that found the claims
    article_id: int | None = None  # set once stored
    source: str = ""  # what was asked for: URL or path


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def analyse(fetched: Fetched, *, settings: Settings | None = None) -> Analysis:
    """Extract the article and run the rules; raises ExtractError when there is no text."""
    settings = settings or Settings()
    analysis = analyse_text(extract_article(fetched, settings), settings)
    analysis.source = fetched.url
    return analysis


def extract_article(fetched: Fetched, settings: Settings) -> Article:
    """The article of a fetched page under its canonical URL, before any rule runs (the backfill
    checks its relevance first); raises ExtractError when there is no text."""
    article = parse_article(fetched)
    if is_url(article.url):  # one URL per story, whatever tracking parameters it came with
        declared = trusted_canonical(
            article.canonical_url, article.url, site_groups=settings.canonical_site_groups
        )
        article.canonical_url = canonical_url(declared or article.url)
    return article


def analyse_text(article: Article, settings: Settings) -> Analysis:
    """Run the rules over an article's text: its claims, keyed for tracking, and its battery
    relevance. The publication date and headline go with the text: the rules date figures by them."""
    # imported here: spaCy costs ~60 MB, which the daemon's main process (extraction happens in
    # worker processes) need not carry
    from monitor.nlp.pipeline import extract_claims
    from monitor.nlp.relevance import is_battery_relevant
    from monitor.nlp.pipeline import load_pipeline

    nlp = load_pipeline(settings.rules_dir, settings.spacy_model)
    claims = extract_claims(article.text, nlp=nlp, published=article.published, title=article.title)
    assign_claim_keys(claims)
    relevant = is_battery_relevant(article.text, rules_dir=settings.rules_dir)
    return Analysis(article, claims, relevant, nlp.meta["rules_version"])


def read_source(source: str, *, client: httpx.Client | None, settings: Settings) -> Fetched:
    """A URL through the HTTP client, anything else as a local file."""
    if is_url(source):
        from monitor.sources.http import fetch

        if client is None:
            raise ValueError("a URL needs an HTTP client")
        return fetch(source, client=client, settings=settings)
    return read_local(Path(source), max_bytes=settings.max_body_bytes)


def ingest(
    source: str, *, db: sqlite_utils.Database | None, client: httpx.Client | None = None,
    settings: Settings | None = None, feed_id: int | None = None, guid: str | None = None,
    originals: NearDuplicates | None = None,
) -> Analysis:
    """Fetch or read, extract, run the rules and (with a database) store one article.

    `originals` (store.recent_originals) lets a caller storing many documents read the index of
    recent originals once; each document stored as an original is added to it.
    """
    settings = settings or Settings()
    analysis = analyse(read_source(source, client=client, settings=settings), settings=settings)
    analysis.source = source
    if db is not None:
        analysis.article_id = store_analysis(
            db, analysis, settings=settings, feed_id=feed_id, guid=guid, link_copies=True,
            originals=originals,
        )
    return analysis


def store_analysis(
    db: sqlite_utils.Database, analysis: Analysis, *, settings: Settings,
    feed_id: int | None = None, guid: str | None = None, link_copies: bool = False,
    originals: NearDuplicates | None = None,
) -> int:
    """Store an analysed article with its claims. With `link_copies` (a document just read) a
    syndicated copy of a story stored in the last `near_duplicate_days` is linked to it, as the
    poller links them; reprocessing leaves the links as they are."""
    columns = {
        "rules_version": analysis.rules_version, "feed_id": feed_id, "guid": guid,
        "battery_relevant": analysis.battery_relevant,
    }
    article = analysis.article
    if not link_copies:
        return save_article(db, article, analysis.claims, **columns)
    stored = find_article(db, url=article.canonical_url or article.url)
    if originals is None:
        originals = recent_originals(db, settings.near_duplicate_days, datetime.now(UTC))
    article_id, _ = save_linked(
        db, article, analysis.claims, simhash=fingerprint(article.text), originals=originals,
        itself=stored["id"] if stored else None, **columns,
    )
    return article_id


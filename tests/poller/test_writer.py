"""The pass's writer: a page stored once under its canonical URL, a syndicated copy linked to its
original, a page failure counted and cleared."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from monitor.article.dedup import fingerprint
from monitor.ingest.document import Analysis
from monitor.ingest.linking import recent_originals
from monitor.ingest.workers import Extracted
from monitor.models import Article
from monitor.poller.writer import PassWriter
from monitor.storage import connection
from monitor.storage import feeds as feed_rows

STORY = (
    "The cell maker said on Tuesday that its second plant in the valley would start building "
    "lithium iron phosphate cells next spring, two years after the first line opened. The plant "
    "is meant to make enough cells for about two hundred thousand small cars a year once all four "
    "lines run, and the company expects to hire some nine hundred people over three years. Local "
    "officials said the site had been chosen for its cheap hydro power and its rail link to the "
    "port. The company did not say what the plant would cost, but analysts who follow the sector "
    "put the figure at well over a billion dollars. Carmakers in the region have asked for more "
    "local supply since import duties on cells rose last year, and two of them have signed letters "
    "of intent for part of the output."
)


@pytest.fixture
def db(db_path):
    return connection.open_db(db_path)


def page(url: str, text: str = STORY, canonical: str | None = None) -> Extracted:
    article = Article(url=url, text=text, title="A second cell plant", canonical_url=canonical or url)
    return Extracted(Analysis(article, [], True, "test"), simhash=fingerprint(text), raw_gzip=None)


def test_a_page_is_stored_once_and_its_syndicated_copy_linked_to_it(db):
    feed_id = feed_rows.add_feed(db, "https://cells.example/feed.xml")[0]
    writer = PassWriter(db, threading.Event())
    originals = recent_originals(db, 7, datetime.now(UTC))
    first = writer.store_page(
        page("https://cells.example/plant"), originals=originals, feed_id=feed_id, guid="p1"
    )
    again = writer.store_page(
        page("https://cells.example/plant?ref=home", canonical="https://cells.example/plant"),
        originals=originals, feed_id=feed_id, guid="p1-again",
    )
    copy = writer.store_page(
        page("https://wire.example/cell-plant", "From the wire: " + STORY),
        originals=originals, feed_id=feed_id, guid="w1",
    )
    assert first is not None and first.original is None
    assert again is None
    assert copy is not None and copy.original == first.article_id
    rows = {row["guid"]: row for row in db["articles"].rows}
    assert set(rows) == {"p1", "w1"} and rows["w1"]["duplicate_of"] == first.article_id


def test_a_page_failure_is_counted_then_cleared(db):
    writer = PassWriter(db, threading.Event())
    link = "https://cells.example/flaky"
    for _ in range(2):
        writer.page_failure(link, feed_id=None, error="HTTP 503", hard=False, now="2026-04-06T08:00:00Z")
    assert feed_rows.page_failures(db, [link])[link]["attempts"] == 2
    writer.page_failure_cleared(link)
    assert feed_rows.page_failures(db, [link]) == {}

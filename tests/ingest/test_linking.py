"""Storing a page just read: once under its canonical URL, a syndicated copy linked to its original,
what is stored already left as it is (the poller and the backfill share this)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.article.dedup import fingerprint
from monitor.ingest.linking import recent_originals, save_new_page
from monitor.models import Article, Claim
from monitor.storage import connection
from monitor.storage.articles import save_article
from monitor.storage.connection import transaction

STORY = (
    "A grid operator in the north said on Monday that it had switched on a battery of two hundred "
    "megawatts beside an old coal station, the largest it runs so far. The battery stores power "
    "from wind farms at night and sells it back in the evening peak, when prices are highest. Its "
    "builder said the cells came from a plant abroad and that a second site of the same size would "
    "follow once the grid connection is ready, perhaps within two years. The operator expects "
    "storage to cut the number of hours in which gas plants set the price, though it gave no "
    "figure for the saving. Engineers at the site said the battery can run at full output for two "
    "hours and that its cooling system was designed for the hottest summers on record there."
)


@pytest.fixture
def db(db_path):
    return connection.open_db(db_path)


def save(db, originals, url: str, text: str = STORY, canonical: str | None = None, claims=()):
    article = Article(url=url, text=text, canonical_url=canonical or url, title="A big battery")
    return save_new_page(
        db, article, list(claims), simhash=fingerprint(text), originals=originals,
        rules_version="test",
    )


def test_a_page_stored_already_under_its_canonical_url_is_left_as_it_is(db):
    originals = recent_originals(db, 7, datetime.now(UTC))
    first = save(db, originals, "https://grid.example/battery")
    changed = "Updated: " + STORY
    start = changed.index("two hundred megawatts")
    figure = Claim("quantity", "two hundred megawatts", start, start + 21, rule="test")
    again = save(
        db, originals, "https://grid.example/battery?utm_source=feed", changed,
        canonical="https://grid.example/battery", claims=[figure],
    )
    assert first is not None and first.original is None and again is None
    [row] = db["articles"].rows
    assert row["text"] == STORY and db["claims"].count == 0


def test_a_copy_on_another_site_is_stored_linked_to_the_original(db):
    originals = recent_originals(db, 7, datetime.now(UTC))
    first = save(db, originals, "https://grid.example/battery")
    copy = save(db, originals, "https://wire.example/big-battery", STORY + " (Wire report.)")
    assert copy is not None and copy.original == first.article_id
    assert db["articles"].get(copy.article_id)["duplicate_of"] == first.article_id


def test_recent_originals_are_the_fingerprints_of_uncopied_articles_fetched_in_the_window(db):
    def stored(n: int, simhash: int, fetched: str, duplicate_of: int | None = None) -> int:
        article_id = save_article(
            db, Article(url=f"https://news.example/{n}", text=STORY), [], rules_version="r1",
            simhash=simhash, duplicate_of=duplicate_of,
        )
        with transaction(db) as conn:
            conn.execute("UPDATE articles SET fetched = ? WHERE id = ?", [fetched, article_id])
        return article_id

    fingerprint = 0x5A5A_F0F0_1234_4321
    old = stored(1, fingerprint, "2026-09-01T08:00:00Z")
    recent = stored(2, fingerprint, "2026-11-20T08:00:00Z")
    stored(3, fingerprint, "2026-11-21T08:00:00Z", duplicate_of=recent)  # a syndicated copy
    save_article(db, Article(url="https://news.example/4", text=STORY), [], rules_version="r1")  # no fingerprint

    originals = recent_originals(db, 30, datetime(2026, 11, 29, 12, 0, tzinfo=UTC))
    assert originals.candidates(fingerprint) == [recent]
    over_100_days = recent_originals(db, 100, datetime(2026, 11, 29, 12, 0, tzinfo=UTC))
    assert over_100_days.candidates(fingerprint) == [old, recent]

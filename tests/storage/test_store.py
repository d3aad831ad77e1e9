"""The database: schema by migration, articles and claims stored atomically, never duplicated."""

import gzip
import sqlite3
from datetime import UTC, datetime

import pytest

from monitor.models import Article, Claim
from monitor.storage.feeds import add_feed, due_feeds, list_feeds, record_poll, remove_feed
from monitor.storage.articles import article_claims, find_article, query_claims, save_article
from monitor.storage.connection import open_db, transaction
from monitor.ingest.linking import recent_originals

TEXT = "Northvolt said on Tuesday it would cut 1,600 jobs. Shares of rival CATL rose 4%."


def claims_for(text: str) -> list[Claim]:
    start = text.index("4%")
    return [
        Claim(kind="company", text="Northvolt", start=0, end=9, rule="company/gazetteer", company="Northvolt"),
        Claim(kind="quantity", text="4%", start=start, end=start + 2, rule="quantity/percent", value=4, unit="%"),
    ]


@pytest.fixture
def db(db_path):
    return open_db(db_path)


def article(url="https://news.example/northvolt-cuts", **kw) -> Article:
    return Article(url=url, text=TEXT, title="Northvolt cuts jobs", raw_html=b"<html>page</html>", **kw)


def test_new_database_has_the_documented_tables_and_wal(db):
    assert {"feeds", "articles", "claims", "schema_version", "articles_fts", "claims_fts"} <= set(db.table_names())
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT max(version) FROM schema_version").fetchone()[0] >= 1
    claim_columns = set(db["claims"].columns_dict)
    assert {"article", "kind", "text", "start", "end", "sentence", "speaker", "value", "high", "unit",
            "object", "company", "rule", "rules_version", "review_status"} <= claim_columns


def test_reopening_applies_no_migration_twice(db_path):
    open_db(db_path)
    db = open_db(db_path)
    assert db.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(
        list(db.query("SELECT DISTINCT version FROM schema_version")))


def test_saving_the_same_article_twice_replaces_its_claims(db):
    first = save_article(db, article(), claims_for(TEXT), rules_version="r1")
    second = save_article(db, article(), claims_for(TEXT)[1:], rules_version="r2")
    assert first == second
    assert db["articles"].count == 1
    assert [(c["kind"], c["rules_version"]) for c in db["claims"].rows] == [("quantity", "r2")]


def test_claims_default_to_pending_review(db):
    save_article(db, article(), claims_for(TEXT), rules_version="r1")
    assert {row["review_status"] for row in db["claims"].rows} == {"pending"}


def test_reviewed_claim_keeps_its_status_when_found_again(db):
    save_article(db, article(), claims_for(TEXT), rules_version="r1")
    db.execute("UPDATE claims SET review_status = 'accepted', reviewer = 'ana' WHERE kind = 'quantity'")
    save_article(db, article(), claims_for(TEXT), rules_version="r2")
    statuses = {row["kind"]: row["review_status"] for row in db["claims"].rows}
    assert statuses == {"company": "pending", "quantity": "accepted"}


def test_raw_html_is_kept_compressed(db):
    article_id = save_article(db, article(), [], rules_version="r1")
    stored = db["articles"].get(article_id)["raw_html"]
    assert gzip.decompress(stored) == b"<html>page</html>"


def test_claim_offsets_survive_the_round_trip(db):
    article_id = save_article(db, article(), claims_for(TEXT), rules_version="r1")
    text = db["articles"].get(article_id)["text"]
    for claim in article_claims(db, article_id):
        assert text[claim.start:claim.end] == claim.text


def test_a_failed_save_leaves_nothing_half_written(db):
    save_article(db, article(), claims_for(TEXT), rules_version="r1")
    broken = [Claim(kind="quantity", text=None, start=0, end=1, rule="x")]  # NOT NULL violated
    with pytest.raises(sqlite3.IntegrityError):
        save_article(db, article(), broken, rules_version="r2")
    assert db["claims"].count == 2
    assert {row["rules_version"] for row in db["claims"].rows} == {"r1"}


def test_articles_are_found_by_url_canonical_url_or_hash(db):
    save_article(db, article(canonical_url="https://news.example/c"), [], rules_version="r1", guid="g-1")
    assert find_article(db, url="https://news.example/northvolt-cuts")
    assert find_article(db, url="https://news.example/c")
    assert find_article(db, guid="g-1")
    assert find_article(db, url="https://other.example/") is None


def test_full_text_search_covers_articles_and_claims(db):
    save_article(db, article(), claims_for(TEXT), rules_version="r1")
    hits = list(db.query("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'northvolt'"))
    assert len(hits) == 1
    hits = list(db.query("SELECT rowid FROM claims_fts WHERE claims_fts MATCH 'northvolt'"))
    assert len(hits) == 1


def test_query_claims_filters_by_kind_company_and_status(db):
    save_article(db, article(), claims_for(TEXT), rules_version="r1")
    assert [c["kind"] for c in query_claims(db, kind="quantity")] == ["quantity"]
    assert [c["text"] for c in query_claims(db, company="northvolt")] == ["Northvolt"]
    assert query_claims(db, status="accepted") == []


def test_feeds_are_added_once_listed_and_removed(db):
    feed_id, created = add_feed(db, "https://news.example/feed.xml", "Battery News")
    assert created and add_feed(db, "https://news.example/feed.xml") == (feed_id, False)
    assert [f["url"] for f in list_feeds(db)] == ["https://news.example/feed.xml"]
    assert remove_feed(db, "https://news.example/feed.xml")
    assert not remove_feed(db, "https://news.example/feed.xml")


def test_due_feeds_respect_next_poll(db):
    feed_id, _ = add_feed(db, "https://news.example/feed.xml")
    assert [f["id"] for f in due_feeds(db, "2026-01-01T00:00:00Z")] == [feed_id]
    record_poll(db, feed_id, next_poll="2026-01-01T01:00:00Z", etag='"v1"')
    assert due_feeds(db, "2026-01-01T00:30:00Z") == []
    assert [f["etag"] for f in due_feeds(db, "2026-01-01T01:00:00Z")] == ['"v1"']


def test_transaction_rolls_back_on_error(db):
    with pytest.raises(RuntimeError):
        with transaction(db) as conn:
            conn.execute("INSERT INTO feeds (url, added) VALUES ('https://x.example/f', 'now')")
            raise RuntimeError("boom")
    assert db["feeds"].count == 0


def test_recent_originals_are_the_fingerprints_of_uncopied_articles_fetched_in_the_window(db):
    def stored(n: int, simhash: int, fetched: str, duplicate_of: int | None = None) -> int:
        article_id = save_article(
            db, article(f"https://news.example/{n}"), [], rules_version="r1",
            simhash=simhash, duplicate_of=duplicate_of,
        )
        with transaction(db) as conn:
            conn.execute("UPDATE articles SET fetched = ? WHERE id = ?", [fetched, article_id])
        return article_id

    fingerprint = 0x5A5A_F0F0_1234_4321
    old = stored(1, fingerprint, "2026-09-01T08:00:00Z")
    recent = stored(2, fingerprint, "2026-11-20T08:00:00Z")
    stored(3, fingerprint, "2026-11-21T08:00:00Z", duplicate_of=recent)  # a syndicated copy
    save_article(db, article("https://news.example/4"), [], rules_version="r1")  # no fingerprint

    originals = recent_originals(db, 30, datetime(2026, 11, 29, 12, 0, tzinfo=UTC))
    assert originals.candidates(fingerprint) == [recent]
    over_100_days = recent_originals(db, 100, datetime(2026, 11, 29, 12, 0, tzinfo=UTC))
    assert over_100_days.candidates(fingerprint) == [old, recent]

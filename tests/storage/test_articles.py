"""Articles and their claims: stored atomically, never duplicated, reviews kept, found again."""

import gzip
import sqlite3

import pytest

from monitor.models import Article, Claim
from monitor.storage.articles import article_claims, find_article, query_claims, save_article
from monitor.storage.connection import open_db

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


def test_an_article_with_more_claims_than_one_statement_inserts_keeps_them_all_in_order_and_searchable(db):
    # a round-up of plant sizes: one figure a plant, more than CLAIMS_PER_STATEMENT of them
    lines = [f"Plant {n} in Zwickau makes {n} GWh a year." for n in range(1, 251)]
    text = " ".join(lines)
    claims, offset = [], 0
    for n, line in enumerate(lines, 1):
        start = text.index(f"{n} GWh", offset)
        claims.append(Claim(kind="quantity", text=f"{n} GWh", start=start, end=start + len(f"{n} GWh"),
                            rule="quantity/energy", value=n, unit="GWh"))
        offset = start + 1
    save_article(db, Article(url="https://news.example/plants", text=text, title="Plants"), claims,
                 rules_version="r1")
    stored = list(db.query("SELECT value FROM claims ORDER BY id"))
    assert [row["value"] for row in stored] == list(range(1, 251))
    hits = list(db.query("SELECT rowid FROM claims_fts WHERE claims_fts MATCH 'GWh'"))
    assert len(hits) == 250
    db.execute("INSERT INTO claims_fts(claims_fts) VALUES ('integrity-check')")


def test_query_claims_filters_by_kind_company_and_status(db):
    save_article(db, article(), claims_for(TEXT), rules_version="r1")
    assert [c["kind"] for c in query_claims(db, kind="quantity")] == ["quantity"]
    assert [c["text"] for c in query_claims(db, company="northvolt")] == ["Northvolt"]
    assert query_claims(db, status="accepted") == []

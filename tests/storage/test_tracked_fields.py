"""The fields that make a figure trackable are stored, read back, indexed, and added to an older
database by migration 0005 without touching its rows or reviews."""

import shutil
import sqlite3

from monitor.models import Article, Claim
from monitor.resources import db_dir
from monitor.storage.articles import article_claims, save_article
from monitor.storage.connection import open_db
from monitor.storage.migrations import migrate

TEXT = "CATL's pack price fell to $98/kWh in 2025, the company said."
TRACKED = dict(subject="CATL", metric="pack_price", scope="packs", period="2025",
               canonical_value=98.0, canonical_unit="USD/kWh", claim_key="catl|pack_price|packs|2025")


def figure(**fields) -> Claim:
    start = TEXT.index("$98/kWh")
    return Claim(kind="quantity", text="$98/kWh", start=start, end=start + 7, rule="quantity/money",
                 value=98, unit="USD/kWh", **fields)


def article() -> Article:
    return Article(url="https://cells.example/catl-pack-price", text=TEXT, title="CATL pack price",
                   published="2026-01-08", source="cells.example")


def test_tracking_fields_are_stored_and_read_back(db_path):
    db = open_db(db_path)
    article_id = save_article(db, article(), [figure(**TRACKED)], rules_version="r1")
    [stored] = article_claims(db, article_id)
    assert {name: getattr(stored, name) for name in TRACKED} == TRACKED
    row = next(db.query("SELECT metric, claim_key FROM claim_details"))
    assert row == {"metric": "pack_price", "claim_key": "catl|pack_price|packs|2025"}


def test_a_claim_key_lookup_uses_its_index(db_path):
    db = open_db(db_path)
    plan = " ".join(str(r) for r in db.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM figure_pairs WHERE claim_key = 'catl|pack_price|packs|2025'"))
    assert "claims_claim_key" in plan and "SCAN c" not in plan


def test_migration_adds_the_fields_to_an_older_database_keeping_rows_and_reviews(db_path, tmp_path):
    older = tmp_path / "migrations-0004"
    older.mkdir()
    for path in sorted((db_dir() / "migrations").glob("000[1-4]_*.sql")):
        shutil.copy(path, older)
    conn = sqlite3.connect(db_path, isolation_level=None)
    migrate(conn, older)
    conn.execute("INSERT INTO articles (url, canonical_url, fetched, text, content_hash) "
                 "VALUES ('https://cells.example/a', 'https://cells.example/a', '2026-01-08', ?, 'h')", [TEXT])
    conn.execute("INSERT INTO claims (article, kind, text, start, \"end\", value, unit, rule, rules_version, "
                 "review_status, reviewer, review_note) VALUES (1, 'quantity', '$98/kWh', 26, 33, 98, 'USD/kWh', "
                 "'quantity/money', 'r0', 'accepted', 'ana', 'in the filing')")
    conn.close()

    db = open_db(db_path)
    assert db.execute("SELECT max(version) FROM schema_version").fetchone()[0] >= 5
    row = db["claims"].get(1)
    assert (row["review_status"], row["reviewer"], row["review_note"], row["value"]) == (
        "accepted", "ana", "in the filing", 98)
    assert all(row[name] is None for name in TRACKED if name != "subject")
    indexes = {i.name for i in db["claims"].indexes}
    assert {"claims_claim_key", "claims_tracked_subject", "claims_tracked_metric"} <= indexes
    assert "claims_figure" not in indexes


def test_re_storing_an_article_fills_the_fields_and_keeps_the_review(db_path):
    db = open_db(db_path)
    save_article(db, article(), [figure()], rules_version="r1")
    [(old_id, old_key)] = db.execute("SELECT id, claim_key FROM claims").fetchall()
    db.execute("UPDATE claims SET review_status = 'accepted', reviewer = 'ana'")
    save_article(db, article(), [figure(**TRACKED)], rules_version="r2")
    row = next(db.query("SELECT id, review_status, reviewer, claim_key, canonical_unit FROM claims"))
    assert old_key is None
    assert row == {"id": old_id, "review_status": "accepted", "reviewer": "ana",
                   "claim_key": "catl|pack_price|packs|2025", "canonical_unit": "USD/kWh"}

"""The connection: schema by migration, WAL, transactions all or nothing, read-only readers."""

import sqlite3

import pytest

from monitor.storage.connection import connect_read_only, open_db, transaction


@pytest.fixture
def db(db_path):
    return open_db(db_path)


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


def test_transaction_rolls_back_on_error(db):
    with pytest.raises(RuntimeError):
        with transaction(db) as conn:
            conn.execute("INSERT INTO feeds (url, added) VALUES ('https://x.example/f', 'now')")
            raise RuntimeError("boom")
    assert db["feeds"].count == 0


def test_a_read_only_connection_reads_and_writes_nothing(db, db_path):
    db["feeds"].insert({"url": "https://news.example/feed.xml", "added": "2026-01-01T00:00:00Z"})
    reader = connect_read_only(db_path)
    try:
        assert reader.execute("SELECT url FROM feeds").fetchall() == [("https://news.example/feed.xml",)]
        with pytest.raises(sqlite3.OperationalError):
            reader.execute("DELETE FROM feeds")
    finally:
        reader.close()
    assert db["feeds"].count == 1

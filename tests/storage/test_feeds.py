"""Feeds in SQLite: added once, listed, removed, due by their next poll."""

import pytest

from monitor.storage.connection import open_db
from monitor.storage.feeds import add_feed, due_feeds, list_feeds, record_poll, remove_feed


@pytest.fixture
def db(db_path):
    return open_db(db_path)


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

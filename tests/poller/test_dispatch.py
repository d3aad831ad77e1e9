"""Dispatch: which pages of a feed a pass fetches, and requests let go per host as its gate allows,
their results and failures handed back to the pass's thread."""

from __future__ import annotations

import threading

import pytest

from monitor.config import Settings
from monitor.models import Article
from monitor.poller.dispatch import Dispatcher, FetchJob, due_pages
from monitor.poller.politeness import HostGate
from monitor.sources.feeds import FeedEntry
from monitor.storage import connection
from monitor.storage.articles import save_article
from monitor.storage import feeds as feed_rows
from monitor.storage.feeds import LOOKUP_CHUNK

SETTINGS = Settings(max_page_attempts=3, max_entries_per_feed=50)
SITE = "https://cells.example"


@pytest.fixture
def db(db_path):
    return connection.open_db(db_path)


@pytest.fixture
def feed_id(db):
    return feed_rows.add_feed(db, f"{SITE}/feed.xml")[0]


def store(db, url: str, *, feed_id=None, guid=None, canonical=None) -> None:
    article = Article(url=url, text=f"A cell maker opened a line at {url}.", canonical_url=canonical)
    save_article(db, article, [], rules_version="test", feed_id=feed_id, guid=guid)


def fail(db, link: str, *, hard: bool, times: int = 1) -> None:
    for _ in range(times):
        feed_rows.record_page_failure(
            db, link, feed_id=None, error="HTTP 503", hard=hard, now="2026-04-06T08:00:00Z"
        )


def test_pages_stored_queued_or_given_up_are_not_due_and_a_soft_failure_is_tried_again(db, feed_id):
    store(db, f"{SITE}/by-guid", feed_id=feed_id, guid="guid-1")
    store(db, f"{SITE}/moved-story", canonical=f"{SITE}/moved-story")
    fail(db, f"{SITE}/gone", hard=True)
    fail(db, f"{SITE}/flaky-for-good", hard=False, times=SETTINGS.max_page_attempts)
    fail(db, f"{SITE}/flaky-once", hard=False)
    entries = [
        FeedEntry(f"{SITE}/renamed-but-same-guid", guid="guid-1"),
        FeedEntry(f"{SITE}/moved-story?utm_source=rss&utm_medium=feed"),
        FeedEntry(f"{SITE}/gone"),
        FeedEntry(f"{SITE}/flaky-for-good"),
        FeedEntry(f"{SITE}/flaky-once"),
        FeedEntry(f"{SITE}/queued-by-another-feed"),
        FeedEntry(f"{SITE}/new-line", guid="a"),
        FeedEntry(f"{SITE}/new-line?utm_campaign=x", guid="b"),  # the same story twice
    ]
    due = due_pages(
        db, feed_id, entries, queued={f"{SITE}/queued-by-another-feed"}, settings=SETTINGS
    )
    assert [(p.entry.key, p.link, p.failed_before) for p in due.pages] == [
        (f"{SITE}/flaky-once", f"{SITE}/flaky-once", True),
        ("a", f"{SITE}/new-line", False),
    ]
    assert due.backlog == 0


def test_new_entries_past_the_most_a_pass_are_the_backlog_in_the_feeds_order(db, feed_id):
    entries = [FeedEntry(f"{SITE}/story-{n}") for n in range(7)]
    due = due_pages(
        db, feed_id, entries, queued=set(), settings=Settings(max_entries_per_feed=3)
    )
    assert [p.entry.link for p in due.pages] == [f"{SITE}/story-{n}" for n in range(3)]
    assert due.backlog == 4


def test_stored_entries_are_recognised_in_a_feed_longer_than_one_lookup(db, feed_id):
    count = 2 * LOOKUP_CHUNK + 101
    for n in range(0, count, 2):
        store(db, f"{SITE}/story-{n}", feed_id=feed_id, guid=f"g{n}")
    for n in range(1, count, 6):
        fail(db, f"{SITE}/story-{n}", hard=True)
    entries = [FeedEntry(f"{SITE}/story-{n}", guid=f"g{n}") for n in range(count)]
    due = due_pages(
        db, feed_id, entries, queued=set(), settings=Settings(max_entries_per_feed=count)
    )
    assert [p.entry.key for p in due.pages] == [
        f"g{n}" for n in range(1, count, 2) if (n - 1) % 6
    ]


def drain(dispatcher: Dispatcher) -> None:
    while dispatcher.busy:
        if (event := dispatcher.next_event()) is not None:
            event()


def test_a_host_gets_no_more_requests_at_once_than_its_connections():
    release = threading.Event()
    results: list[object] = []
    dispatcher = Dispatcher(HostGate(connections=2, delay=0), workers=8)
    try:
        for n in range(5):
            dispatcher.queue(
                FetchJob("cells.example", lambda n=n: release.wait() and n, results.append)
            )
        dispatcher.queue(FetchJob("other.example", lambda: "other", results.append))
        while "other" not in results:
            if (event := dispatcher.next_event()) is not None:
                event()
        assert dispatcher.in_flight == 2  # the other host went by; this one holds its two slots
        assert len(dispatcher.pending["cells.example"]) == 3
        release.set()
        drain(dispatcher)
    finally:
        dispatcher.close()
    assert sorted(r for r in results if r != "other") == [0, 1, 2, 3, 4]


def test_a_request_that_raises_hands_its_exception_to_the_pass():
    results: list[object] = []

    def refused():
        raise ConnectionRefusedError("connection refused")

    dispatcher = Dispatcher(HostGate(connections=1, delay=0), workers=1)
    try:
        dispatcher.queue(FetchJob("cells.example", refused, results.append))
        drain(dispatcher)
    finally:
        dispatcher.close()
    [error] = results
    assert isinstance(error, ConnectionRefusedError)

"""No entry lost: new entries past `max_entries_per_feed` are fetched by the next passes, and the
feed stays due, its validators unused, until the backlog is drained."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from support.loopback import Response
from support.newsroom import build_site

from monitor.config import Settings
from monitor.poller.run import poll
from monitor.sources.http import make_client
from monitor.storage import connection
from monitor.storage import feeds as feed_rows

NOW = datetime(2026, 4, 6, 8, 0, tzinfo=UTC)
SETTINGS = Settings(
    allow_private_hosts=("127.0.0.1",), per_host_delay_seconds=0, extract_processes=0
)


@pytest.fixture
def db(db_path):
    return connection.open_db(db_path)


def with_etag(server, path: str = "/feed.rss") -> None:
    """Make the feed answer 304 to its own ETag, as a real server would."""
    body = server.routes[path]

    def feed(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            return Response(304)
        return Response(body=body.body, content_type=body.content_type, headers={"ETag": '"v1"'})

    server.routes[path] = feed


def run(db, now):
    with make_client(SETTINGS) as client:
        return poll(db, client=client, settings=SETTINGS, now=now)


def is_due(db, feed_id, now) -> bool:
    return any(f["id"] == feed_id for f in feed_rows.due_feeds(db, now.strftime("%Y-%m-%dT%H:%M:%SZ")))


@pytest.mark.slow
def test_a_feed_of_200_new_entries_is_stored_whole_over_four_passes(db, server, caplog):
    paths = build_site(server, 200)
    with_etag(server)
    feed_id, _ = feed_rows.add_feed(db, server.url("/feed.rss"))
    assert SETTINGS.max_entries_per_feed == 50

    stored = []
    for n in range(4):
        now = NOW + timedelta(minutes=n)
        with caplog.at_level(logging.INFO, logger="monitor.poller.run"):
            report = run(db, now)
        stored.append(db["articles"].count)
        left = 150 - 50 * n
        if left:
            assert is_due(db, feed_id, now + timedelta(seconds=1))  # due again at once
            assert db["feeds"].get(feed_id)["etag"] is None  # and re-read in full next time
            assert db["feeds"].get(feed_id)["last_result"] == f"50 new, {left} left for the next pass"
            assert f"{left} new entries left for the next pass" in caplog.text
        assert report.new_articles == 50
        caplog.clear()
    assert stored == [50, 100, 150, 200]
    urls = {row["url"] for row in db["articles"].rows}
    assert urls == {server.url(path) for path in paths}  # none lost, none twice

    assert not is_due(db, feed_id, NOW + timedelta(minutes=4))  # drained: polled as usual again
    assert db["feeds"].get(feed_id)["etag"] == '"v1"'
    report = run(db, NOW + timedelta(days=1))
    assert (report.feeds_not_modified, report.new_articles) == (1, 0)

"""The poller against hostile or unlucky sources: feeds that redirect inside the network, pages
that claim another site's story, servers that trickle; each stays contained to its own feed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from support import FIXTURES
from support.loopback import Response, trickled_headers

from monitor.cli.main import cli
from monitor.config import Settings
from monitor.poller.run import poll
from monitor.sources.http import make_client
from monitor.storage import connection
from monitor.storage import feeds as feed_rows

NOW = datetime(2026, 4, 6, 8, 0, tzinfo=UTC)
SETTINGS = Settings(
    per_host_delay_seconds=0,
    connect_timeout=2,
    read_timeout=2,
    total_timeout=5,
    extract_processes=0,
)
NET = FIXTURES / "net"
INTERNAL_FEED = """<?xml version="1.0"?><rss version="2.0"><channel>
<title>INTERNAL ADMIN FEED token=s3cr3t</title><link>http://127.0.0.1/</link>
<item><title>admin</title><link>http://127.0.0.1/admin</link><guid>admin-1</guid></item>
</channel></rss>"""


@pytest.fixture
def db(db_path):
    return connection.open_db(db_path)


def run(db, settings=SETTINGS, now=NOW):
    with make_client(settings) as client:
        return poll(db, client=client, settings=settings, now=now, all_feeds=True)


def test_a_feed_redirecting_into_the_private_network_is_refused_and_never_moved(
    db, db_path, server, second_server
):
    """The public feed (127.0.0.2 here) answers 301 to an internal address (127.0.0.1)."""
    server.routes["/internal/feed.xml"] = Response(
        body=INTERNAL_FEED, content_type="application/rss+xml"
    )
    second_server.routes["/feed.xml"] = Response(
        301, headers={"Location": server.url("/internal/feed.xml")}
    )
    feed_id, _ = feed_rows.add_feed(db, second_server.url("/feed.xml"))
    for n in range(3):  # a 301 seen twice in a row would move a feed
        report = run(db, now=NOW + timedelta(hours=n))
        assert report.feeds_failed == 1
    row = db["feeds"].get(feed_id)
    assert row["url"] == second_server.url("/feed.xml") and row["moved_to"] is None
    assert row["title"] is None
    assert server.requests == []  # the internal server was never asked
    assert row["last_error"].startswith(
        "refusing a private or local address (127.0.0.1, reached by a redirect"
    )
    result = CliRunner().invoke(cli, ["--db", str(db_path), "status", "--format", "json"])
    (shown,) = json.loads(result.output)
    assert "refusing a private or local address" in shown["result"]
    assert "INTERNAL" not in result.output


def test_the_refused_redirect_is_logged(db, server, second_server, caplog):
    second_server.routes["/feed.xml"] = Response(
        301, headers={"Location": server.url("/internal/feed.xml")}
    )
    feed_rows.add_feed(db, second_server.url("/feed.xml"))
    with caplog.at_level("WARNING"):
        run(db)
    assert any("refusing a private or local address" in r.getMessage() for r in caplog.records)


def news_site(server) -> str:
    """An honest site: an RSS feed of two articles; returns the feed's URL."""
    body = (NET / "ev-news.rss").read_bytes().replace(b"{base}", server.url("").encode())
    server.routes["/feed.rss"] = Response(body=body, content_type="application/rss+xml")
    for path, page in [
        ("/2026/04/solid-state-pilot-line", "solid-state-pilot-line.html"),
        ("/2026/04/recycling-plant", "recycling-plant.html"),
    ]:
        server.routes[path] = Response(body=(NET / page).read_bytes())
    return server.url("/feed.rss")


def test_a_feed_trickling_its_headers_fails_alone_at_the_total_timeout(db, server, second_server):
    """One header line every 0.1 s would hold the request forever; other hosts go on meanwhile."""
    second_server.routes["/feed.xml"] = trickled_headers(every=0.1)
    slow_id, _ = feed_rows.add_feed(db, second_server.url("/feed.xml"))
    honest_id, _ = feed_rows.add_feed(db, news_site(server))
    settings = Settings(
        allow_private_hosts=("127.0.0.1",),
        per_host_delay_seconds=0,
        read_timeout=2,
        total_timeout=1,
        extract_processes=0,
    )
    report = run(db, settings)
    assert (report.feeds_failed, report.new_articles) == (1, 2)
    slow = db["feeds"].get(slow_id)
    assert slow["last_error"] == f"timed out after 1 s in total for {second_server.url('/feed.xml')}"
    assert slow["error_count"] == 1 and slow["next_poll"] > "2026-04-06T08:00:00Z"
    assert db["feeds"].get(honest_id)["last_result"] == "2 new"


PILOT = "/2026/04/solid-state-pilot-line"


def hostile_page(claims_canonical: str) -> bytes:
    """Another story, whose <link rel=canonical> names the real story's URL."""
    return (
        (NET / "recycling-plant.html")
        .read_bytes()
        .replace(
            b'href="https://cellwire.example/2026/04/recycling-plant"',
            b'href="' + claims_canonical.encode() + b'"',
        )
    )


def one_entry_feed(server, path: str) -> Response:
    return Response(
        body=f"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>story</title><link>{server.url(path)}</link><guid>{path}</guid>
<pubDate>Fri, 03 Apr 2026 10:00:00 GMT</pubDate></item></channel></rss>""",
        content_type="application/rss+xml",
    )


def test_a_page_claiming_another_sites_story_as_canonical_does_not_pre_empt_it(
    db, server, second_server
):
    real_url = server.url(PILOT)
    server.routes[PILOT] = Response(body=(NET / "solid-state-pilot-line.html").read_bytes())
    server.routes["/feed.rss"] = one_entry_feed(server, PILOT)
    second_server.routes["/story"] = Response(body=hostile_page(real_url))
    second_server.routes["/feed.rss"] = one_entry_feed(second_server, "/story")
    settings = Settings(
        allow_private_hosts=("127.0.0.1", "127.0.0.2"),
        per_host_delay_seconds=0,
        extract_processes=0,
    )
    feed_rows.add_feed(db, second_server.url("/feed.rss"))
    assert run(db, settings).new_articles == 1  # the hostile feed alone
    feed_rows.add_feed(db, server.url("/feed.rss"))
    report = run(db, settings, now=NOW + timedelta(hours=1))
    assert report.new_articles == 1  # the real story, not "stored already"
    stored = {r["canonical_url"]: r["text"] for r in db["articles"].rows}
    assert set(stored) == {second_server.url("/story"), real_url}
    assert "solid-state" in stored[real_url].lower()

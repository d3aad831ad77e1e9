"""Politeness: two connections and a pause per host, robots.txt for article pages, and one slow
host never holding up the others."""

from __future__ import annotations

import itertools
import threading
from datetime import UTC, datetime

import pytest
from support.loopback import Response
from support.newsroom import build_site

from monitor.config import Settings
from monitor.poller.politeness import HostGate, Politeness, RobotsRules
from monitor.poller.run import poll
from monitor.sources.http import make_client
from monitor.storage import connection
from monitor.storage import feeds as feed_rows

NOW = datetime(2026, 4, 6, 8, 0, tzinfo=UTC)
SETTINGS = Settings(
    allow_private_hosts=("127.0.0.1", "127.0.0.2"),
    per_host_delay_seconds=0,
    connect_timeout=2,
    read_timeout=5,
    total_timeout=10,
    extract_processes=0,
)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def run(db, settings=SETTINGS, **kw):
    with make_client(settings) as client:
        return poll(db, client=client, settings=settings, now=NOW, **kw)


@pytest.fixture
def db(db_path):
    return connection.open_db(db_path)


def test_gate_holds_a_host_to_its_connections_and_frees_a_slot_when_done():
    gate = HostGate(connections=2, delay=0)
    gate.start("cellwire.example")
    gate.start("cellwire.example")
    assert gate.wait_time("cellwire.example") is None and gate.wait_time("gridgarage.example") == 0
    gate.done("cellwire.example")
    assert gate.wait_time("cellwire.example") == 0


def test_gate_keeps_the_delay_between_two_starts_on_one_host():
    clock = Clock()
    gate = HostGate(connections=2, delay=1.0, clock=clock)
    gate.start("cellwire.example")
    clock.now += 0.25
    assert gate.wait_time("cellwire.example") == 0.75
    clock.now += 0.75
    assert gate.wait_time("cellwire.example") == 0


@pytest.mark.parametrize("crawl_delay, expected", [(5, 5), (0.5, 1.0), (600, 60)])
def test_crawl_delay_slows_a_host_within_bounds(crawl_delay, expected):
    clock = Clock()
    gate = HostGate(connections=2, delay=1.0, clock=clock)
    gate.slow_down("cellwire.example", crawl_delay)
    gate.start("cellwire.example")
    assert gate.wait_time("cellwire.example") == expected


def test_a_sites_pages_wait_for_its_robots_txt_then_keep_its_crawl_delay(server):
    server.routes["/robots.txt"] = Response(
        body="User-agent: ev-claims-monitor\nCrawl-delay: 5\n", content_type="text/plain"
    )
    clock = Clock()
    politeness = Politeness(SETTINGS, clock=clock)
    gate, site, host = politeness.gate(), server.url(""), "127.0.0.1"
    assert gate.may_start(host, site)
    gate.start(host, site)
    assert not gate.may_start(host, site)  # a free slot, but the Crawl-delay is not known yet
    assert gate.may_start(host)  # the feed itself asks no robots.txt
    with make_client(SETTINGS) as client:
        assert politeness.robots.check(server.url("/news/0"), client=client).allowed
    gate.done(host, site)
    assert not gate.may_start(host, site)
    clock.now += 5
    assert gate.may_start(host, site)
    assert politeness.gate().may_start(host, site)  # a new pass counts its own starts


def test_at_most_two_requests_at_once_to_one_host(db, server):
    paths = build_site(server, 6)
    for path in paths:
        server.routes[path].delay = 0.2
    feed_rows.add_feed(db, server.url("/feed.rss"))
    assert run(db).new_articles == 6
    assert server.most_active == 2


def test_requests_to_one_host_are_spaced_by_the_delay(db, server):
    build_site(server, 3)
    feed_rows.add_feed(db, server.url("/feed.rss"))
    run(db, Settings(**{**SETTINGS.__dict__, "per_host_delay_seconds": 0.5}))
    # the first page's slot opens with its site's robots.txt; the page follows at once. The times
    # are taken where the server's threads see each request, which a loaded machine can make late
    # by a scheduling slice or two: hence the margin below the 0.5 s asked
    starts = [t for t, path in server.started if path != "/news/0"]
    assert len(starts) == 4 and all(b - a >= 0.3 for a, b in itertools.pairwise(starts))


def test_one_slow_host_does_not_hold_up_another(db, server, second_server):
    """The slow host answers only once the fast host's pages were fetched: polled one after the
    other, the pass would time out on it."""
    fast_pages = build_site(server, 3)
    fast_done = threading.Event()
    last = server.routes[fast_pages[-1]]
    server.routes[fast_pages[-1]] = lambda handler: fast_done.set() or last
    build_site(second_server, 1)
    slow_feed = second_server.routes["/feed.rss"]

    def slow(handler):
        fast_done.wait(4)
        return slow_feed

    second_server.routes["/feed.rss"] = slow
    feed_rows.add_feed(db, second_server.url("/feed.rss"))  # polled first: added first
    feed_rows.add_feed(db, server.url("/feed.rss"))
    report = run(
        db, Settings(**{**SETTINGS.__dict__, "read_timeout": 3, "max_concurrent_feeds": 4})
    )
    assert fast_done.is_set()
    assert (report.feeds_failed, report.new_articles) == (0, 4)


ROBOTS = """User-agent: *
Disallow: /members/

User-agent: ev-claims-monitor
Disallow: /drafts/
"""


def test_robots_txt_keeps_article_pages_out_and_is_read_once_per_site(db, server):
    public = build_site(server, 2, feed="/feed.rss")
    server.routes["/robots.txt"] = Response(body=ROBOTS, content_type="text/plain")
    drafts = build_site(server, 1, feed="/drafts.rss", prefix="/drafts", first=10)
    feed_rows.add_feed(db, server.url("/feed.rss"))
    feed_rows.add_feed(db, server.url("/drafts.rss"))
    politeness = Politeness(SETTINGS)
    report = run(db, politeness=politeness)
    run(db, all_feeds=True, politeness=politeness)
    paths = [path for _, path, _ in server.requests]
    assert report.new_articles == 2 and drafts[0] not in paths and all(p in paths for p in public)
    assert paths.count("/robots.txt") == 1
    (error,) = report.errors
    assert error == f"disallowed by robots.txt for {server.url(drafts[0])}"
    assert db["page_failures"].get(server.url(drafts[0]))["hard"] == 1


@pytest.mark.parametrize(
    "reply, allowed",
    [
        pytest.param(Response(404), True, id="missing-means-no-rules"),
        pytest.param(Response(403), True, id="forbidden-means-no-rules"),
        pytest.param(Response(503), False, id="unreachable-means-keep-off"),
        pytest.param(Response(body=ROBOTS, content_type="text/plain"), False, id="disallowed"),
    ],
)
def test_robots_verdicts_follow_rfc_9309(server, reply, allowed):
    server.routes["/robots.txt"] = reply
    with make_client(SETTINGS) as client:
        verdict = RobotsRules(SETTINGS).check(server.url("/drafts/cells"), client=client)
    assert verdict.allowed is allowed


def test_a_crawl_delay_for_our_agent_spaces_the_pages_of_that_site(db, server):
    build_site(server, 3)
    server.routes["/robots.txt"] = Response(
        body="User-agent: ev-claims-monitor\nCrawl-delay: 1\n", content_type="text/plain"
    )
    feed_rows.add_feed(db, server.url("/feed.rss"))
    assert run(db).new_articles == 3
    pages = [t for t, path in server.started if path.startswith("/news/")]
    assert (
        len(pages) == 3 and pages[2] - pages[1] >= 0.6
    )  # 1 s between starts, less the server threads' scheduling on a loaded machine

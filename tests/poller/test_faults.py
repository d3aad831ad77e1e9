"""The poller against a loopback site full of faults: every one ends as a recorded state, a clear
one-line error and the right retry, never a crash, a hang or a duplicate."""

from __future__ import annotations

import gzip
import itertools
import logging
from datetime import UTC, datetime, timedelta

import pytest
from support import FIXTURES
from support.loopback import LoopbackServer, Response
from support.newsroom import article_html, rss

from monitor.config import Settings
from monitor.poller.run import poll
from monitor.sources.http import make_client
from monitor.storage import connection
from monitor.storage import feeds as feed_rows

NET = FIXTURES / "net"
NOW = datetime(2026, 4, 6, 8, 0, tzinfo=UTC)
SETTINGS = Settings(
    allow_private_hosts=("127.0.0.1", "127.0.0.2"),
    per_host_delay_seconds=0,
    connect_timeout=1,
    read_timeout=0.5,
    total_timeout=5,
    extract_processes=0,
)
RSS = "application/rss+xml"


@pytest.fixture
def db(db_path):
    return connection.open_db(db_path)


def run(db, now=NOW, **kw):
    with make_client(SETTINGS) as client:
        return poll(db, client=client, settings=SETTINGS, now=now, all_feeds=True, **kw)


def feed_of(server: LoopbackServer, *paths: str) -> Response:
    return Response(body=rss(server.url(""), list(paths)), content_type=RSS)


def bomb() -> bytes:
    return gzip.compress(b"<rss>" + b" " * (80 * 1024 * 1024), compresslevel=9)


FEED_FAULTS = [
    # id, reply, soft?, what the error says
    ("slow", lambda: Response(body=b"<rss/>", delay=1.5), True, "read timeout after 0.5 s"),
    ("500", lambda: Response(500), True, "HTTP 500 Internal Server Error"),
    (
        "429",
        lambda: Response(429, headers={"Retry-After": "5400"}),
        True,
        "HTTP 429 Too Many Requests",
    ),
    (
        "60-MB-body",
        lambda: Response(chunks=itertools.repeat(b"<item>" + b"x" * 65530, 960), content_type=RSS),
        False,
        "response too large (over 10.0 MB limit)",
    ),
    (
        "gzip-bomb",
        lambda: Response(body=bomb(), headers={"Content-Encoding": "gzip"}, content_type=RSS),
        False,
        "(compression bomb?)",
    ),
    (
        "malformed-xml",
        lambda: Response(body=(NET / "malformed.xml").read_bytes(), content_type=RSS),
        False,
        "is not a feed: mismatched tag at line 6",
    ),
    ("html-page", lambda: Response(body=article_html(1)), False, "is not a feed: got an HTML page"),
    (
        "pdf",
        lambda: Response(body=b"%PDF-1.7\n%%EOF\n", content_type="application/pdf"),
        False,
        "is not a feed",
    ),
    (
        "empty",
        lambda: Response(body=b""),
        False,
        "is not a feed: no RSS, Atom or RDF document found",
    ),
    ("404", lambda: Response(404), False, "HTTP 404 Not Found"),
    ("410", lambda: Response(410), False, "HTTP 410 Gone"),
]


@pytest.mark.parametrize(
    "reply, soft, says", [f[1:] for f in FEED_FAULTS], ids=[f[0] for f in FEED_FAULTS]
)
def test_a_faulty_feed_is_recorded_with_its_reason_and_backs_off(db, server, reply, soft, says):
    server.routes["/feed.rss"] = reply()
    feed_id, _ = feed_rows.add_feed(db, server.url("/feed.rss"))
    report = run(db)
    row = db["feeds"].get(feed_id)
    assert report.feeds_failed == 1 and says in row["last_error"] and "\n" not in row["last_error"]
    assert (row["error_count"], row["hard_errors"]) == (1, 0 if soft else 1)
    assert row["next_poll"] >= "2026-04-06T08:11:15Z"  # 15 minutes, less a quarter at most


def test_retry_after_sets_the_next_poll(db, server):
    server.routes["/feed.rss"] = Response(429, headers={"Retry-After": "5400"})
    feed_id, _ = feed_rows.add_feed(db, server.url("/feed.rss"))
    run(db)
    assert db["feeds"].get(feed_id)["next_poll"] == "2026-04-06T09:30:00Z"


def test_a_redirect_loop_is_a_hard_failure(db, server):
    server.routes["/feed.rss"] = Response(301, headers={"Location": "/feed.xml"})
    server.routes["/feed.xml"] = Response(302, headers={"Location": "/feed.rss"})
    feed_id, _ = feed_rows.add_feed(db, server.url("/feed.rss"))
    run(db)
    row = db["feeds"].get(feed_id)
    assert row["last_error"].startswith("redirect loop (back to ") and row["hard_errors"] == 1


@pytest.mark.parametrize("status, moves", [(301, True), (308, True), (302, False), (307, False)])
def test_a_repeated_permanent_redirect_moves_the_feed_and_a_temporary_one_never_does(
    db, server, status, moves
):
    build = feed_of(server, "/news/1")
    server.routes["/news/1"] = Response(body=article_html(1))
    server.routes["/old.rss"] = Response(status, headers={"Location": "/new.rss"})
    server.routes["/new.rss"] = build
    feed_id, _ = feed_rows.add_feed(db, server.url("/old.rss"))
    run(db)
    row = db["feeds"].get(feed_id)
    assert row["url"] == server.url("/old.rss")  # one redirect could be a mistake
    assert row["moved_to"] == (server.url("/new.rss") if moves else None)
    for hours in (1, 2):
        run(db, now=NOW + timedelta(hours=hours))
    assert db["feeds"].get(feed_id)["url"] == server.url("/new.rss" if moves else "/old.rss")
    assert db["articles"].count == 1


def test_a_permanent_redirect_onto_a_feed_already_subscribed_leaves_both(db, server):
    server.routes["/old.rss"] = Response(301, headers={"Location": "/new.rss"})
    server.routes["/new.rss"] = feed_of(server)
    old_id, _ = feed_rows.add_feed(db, server.url("/old.rss"))
    feed_rows.add_feed(db, server.url("/new.rss"))
    run(db)
    run(db, now=NOW + timedelta(hours=1))
    assert db["feeds"].get(old_id)["url"] == server.url("/old.rss") and db["feeds"].count == 2


def test_a_feed_in_a_wrong_charset_is_still_read(db, server):
    body = rss(server.url(""), ["/news/1"]).replace(
        "Story /news/1", "Université de Montréal lab doubles cell life"
    )
    server.routes["/feed.rss"] = Response(
        body=body.encode("latin-1"), content_type="application/rss+xml; charset=utf-8"
    )
    server.routes["/news/1"] = Response(
        body=article_html(1).replace("<title>", "<title>x").encode()
    )
    feed_rows.add_feed(db, server.url("/feed.rss"))
    assert run(db).new_articles == 1


PAGE_FAULTS = [
    (
        "pdf",
        Response(body=b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n", content_type="application/pdf"),
        "not an HTML page (application/pdf)",
        True,
    ),
    ("empty-page", Response(body=b""), "no article text could be extracted", True),
    (
        "shell-page",
        Response(body=(FIXTURES / "pages/empty-shell.html").read_bytes()),
        "no article text could be extracted",
        True,
    ),
    ("500-page", Response(500), "HTTP 500 Internal Server Error", False),
    ("slow-page", Response(body=article_html(2), delay=1.5), "read timeout after 0.5 s", False),
]


@pytest.mark.parametrize(
    "reply, says, hard", [f[1:] for f in PAGE_FAULTS], ids=[f[0] for f in PAGE_FAULTS]
)
def test_a_faulty_page_fails_alone(db, server, reply, says, hard):
    server.routes["/news/1"] = Response(body=article_html(1))
    server.routes["/news/bad"] = reply
    server.routes["/feed.rss"] = feed_of(server, "/news/bad", "/news/1")
    feed_id, _ = feed_rows.add_feed(db, server.url("/feed.rss"))
    report = run(db)
    assert (report.new_articles, report.articles_failed, report.feeds_failed) == (1, 1, 0)
    failure = db["page_failures"].get(server.url("/news/bad"))
    assert says in failure["error"] and failure["hard"] == hard
    assert (
        db["feeds"].get(feed_id)["body_hash"] is not None
    ) is hard  # a soft failure re-reads the feed


def test_a_feed_link_to_another_loopback_address_is_refused_and_logged(db, server, caplog):
    server.routes["/news/1"] = Response(body=article_html(1))
    port = server.port
    server.routes["/feed.rss"] = Response(
        body=rss(server.url(""), ["/news/1"]).replace(
            "</channel>",
            f"<item><title>Internal</title>"
            f"<link>http://127.0.0.3:{port}/admin</link></item></channel>",
        ),
        content_type=RSS,
    )
    feed_rows.add_feed(db, server.url("/feed.rss"))
    with caplog.at_level(logging.WARNING):
        report = run(db)
    assert report.new_articles == 1
    (error,) = report.errors
    assert error.startswith("refusing a private or local address (127.0.0.3;")
    assert any(error in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert db["page_failures"].get(f"http://127.0.0.3:{port}/admin")["hard"] == 1


def test_the_same_story_under_tracking_parameters_is_fetched_and_stored_once(db, server):
    server.routes["/news/1"] = Response(body=article_html(1))
    links = [
        "/news/1?utm_source=rss&utm_medium=feed",
        "/news/1?fbclid=IwAR2xYz",
        "/news/1#comments",
        "/news/1",
    ]
    server.routes["/feed.rss"] = Response(
        body=rss(server.url(""), links, guids=["a", "b", "c", "d"]), content_type=RSS
    )
    feed_rows.add_feed(db, server.url("/feed.rss"))
    report = run(db)
    assert report.new_articles == 1 and db["articles"].count == 1
    assert [path for _, path, _ in server.requests if path.startswith("/news/")] == [links[0]]
    assert db["articles"].get(1)["canonical_url"] == server.url("/news/1")
    feed_rows.add_feed(db, server.url("/other.rss"))
    server.routes["/other.rss"] = Response(
        body=rss(server.url(""), ["/news/1?utm_campaign=weekly"]), content_type=RSS
    )
    assert run(db, now=NOW + timedelta(hours=1)).new_articles == 0


def test_a_syndicated_copy_on_a_second_host_is_stored_linked_to_the_first(
    db, server, second_server
):
    story = (
        (NET / "solid-state-pilot-line.html")
        .read_text(encoding="utf-8")
        .replace(
            '<link rel="canonical" href="https://cellwire.example/2026/04/solid-state-pilot-line">',
            "",
        )
    )
    server.routes["/2026/04/pilot-line"] = Response(body=story)
    server.routes["/feed.rss"] = feed_of(server, "/2026/04/pilot-line")
    copy = story.replace(
        "<body>", '<body><p class="standfirst">Republished from Cell Wire with permission.</p>'
    )
    copy = copy.replace(
        "</article>",
        "<p>Reporting by Cell Wire; editing by the Grid &amp; Garage desk.</p></article>",
    )
    second_server.routes["/wire/pilot-line-samples"] = Response(body=copy)
    second_server.routes["/feed.rss"] = feed_of(second_server, "/wire/pilot-line-samples")
    feed_rows.add_feed(db, server.url("/feed.rss"))
    run(db)
    feed_rows.add_feed(db, second_server.url("/feed.rss"))
    run(db, now=NOW + timedelta(hours=1))
    rows = db.execute("SELECT id, url, duplicate_of, simhash FROM articles ORDER BY id").fetchall()
    assert [(r[1].split("/")[2], r[2]) for r in rows] == [
        (server.url("").split("/")[2], None),
        (second_server.url("").split("/")[2], rows[0][0]),
    ]
    assert all(r[3] is not None for r in rows)
    assert (
        db.execute(
            "SELECT count(DISTINCT article) FROM claim_details WHERE duplicate_of IS NULL"
        ).fetchone()[0]
        == 1
    )


def test_another_story_on_a_second_host_is_not_taken_for_a_copy(db, server, second_server):
    server.routes["/a"] = Response(body=(NET / "solid-state-pilot-line.html").read_bytes())
    server.routes["/feed.rss"] = feed_of(server, "/a")
    second_server.routes["/b"] = Response(body=(NET / "recycling-plant.html").read_bytes())
    second_server.routes["/feed.rss"] = feed_of(second_server, "/b")
    feed_rows.add_feed(db, server.url("/feed.rss"))
    feed_rows.add_feed(db, second_server.url("/feed.rss"))
    run(db)
    assert [r[0] for r in db.execute("SELECT duplicate_of FROM articles")] == [None, None]

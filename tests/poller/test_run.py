"""Polling: due feeds fetched conditionally, new entries ingested once, failures counted, never fatal."""

from __future__ import annotations

import gzip
import threading
from datetime import UTC, datetime, timedelta

import pytest
from support import FIXTURES
from support.loopback import Response

from monitor.config import Settings
from monitor.poller import dispatch as dispatch_module
from monitor.timestamps import parse_stamp
from monitor.poller.run import poll
from monitor.sources.http import make_client
from monitor.storage import connection
from monitor.storage import feeds as feed_rows

NET = FIXTURES / "net"
NOW = datetime(2026, 4, 6, 8, 0, tzinfo=UTC)
SETTINGS = Settings(
    allow_private_hosts=("127.0.0.1",),
    per_host_delay_seconds=0,
    connect_timeout=2,
    read_timeout=2,
    total_timeout=5,
    extract_processes=0,
)
PILOT = "/2026/04/solid-state-pilot-line"
RECYCLING = "/2026/04/recycling-plant"


def feed_body(server) -> bytes:
    return (NET / "ev-news.rss").read_bytes().replace(b"{base}", server.url("").encode())


@pytest.fixture
def db(db_path):
    return connection.open_db(db_path)


@pytest.fixture
def site(server):
    """A news site with an RSS feed (ETag and Last-Modified honoured) and its two articles."""

    def feed(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            return Response(304)
        return Response(
            body=feed_body(server),
            content_type="application/rss+xml",
            headers={"ETag": '"v1"', "Last-Modified": "Mon, 06 Apr 2026 07:00:00 GMT"},
        )

    server.routes["/feed.rss"] = feed
    server.routes[PILOT] = Response(body=(NET / "solid-state-pilot-line.html").read_bytes())
    server.routes[RECYCLING] = Response(body=(NET / "recycling-plant.html").read_bytes())
    return server


@pytest.fixture
def feed_id(db, site):
    return feed_rows.add_feed(db, site.url("/feed.rss"))[0]


def run(db, settings=SETTINGS, **kw):
    with make_client(settings) as client:
        return poll(db, client=client, settings=settings, now=kw.pop("now", NOW), **kw)


def page_requests(server) -> list[str]:
    return [path for _, path, _ in server.requests if path.startswith("/2026/")]


def feed_row(db, feed_id) -> dict:
    return db["feeds"].get(feed_id)


def minutes_to_next_poll(db, feed_id, now=NOW) -> float:
    return (parse_stamp(feed_row(db, feed_id)["next_poll"]) - now).total_seconds() / 60


def test_first_pass_stores_every_new_entry_with_its_feed_and_guid(db, site, feed_id):
    report = run(db)
    assert (report.feeds_polled, report.new_articles, report.articles_failed, report.errors) == (
        1,
        2,
        0,
        [],
    )
    rows = {r["guid"]: r for r in db["articles"].rows}
    assert set(rows) == {"cellwire-2026-0412", site.url(RECYCLING)}
    assert all(r["feed"] == feed_id for r in rows.values())
    assert rows["cellwire-2026-0412"]["title"].startswith("Solid-state pilot line")
    assert (
        gzip.decompress(rows["cellwire-2026-0412"]["raw_html"])
        == (NET / "solid-state-pilot-line.html").read_bytes()
    )
    assert db["claims"].count > 0


def test_feed_state_is_recorded_after_a_pass(db, site, feed_id):
    run(db)
    row = feed_row(db, feed_id)
    assert row["etag"] == '"v1"' and row["last_modified"] == "Mon, 06 Apr 2026 07:00:00 GMT"
    assert row["title"] == "Cell Wire: batteries" and row["site_url"] == "https://cellwire.example/"
    assert (row["last_polled"], row["error_count"], row["last_error"], row["last_status"]) == (
        "2026-04-06T08:00:00Z",
        0,
        None,
        200,
    )
    assert (row["last_result"], row["latest_entry"], row["publish_minutes"]) == (
        "2 new",
        "2026-04-03T10:00:00Z",
        1605,
    )


def test_second_pass_is_conditional_and_a_304_costs_no_parse(db, site, feed_id, monkeypatch):
    run(db)
    parsed = []
    monkeypatch.setattr(
        dispatch_module, "parse_feed", lambda *a, **kw: parsed.append(a) or pytest.fail("parsed")
    )
    report = run(db, all_feeds=True, now=NOW + timedelta(hours=1))
    assert (report.feeds_not_modified, report.new_articles, parsed) == (1, 0, [])
    headers = site.requests[-1][2]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Mon, 06 Apr 2026 07:00:00 GMT"
    row = feed_row(db, feed_id)
    assert (row["last_status"], row["last_result"]) == (304, "not modified")


@pytest.mark.parametrize(
    "hours_later, conditional", [(1, True), (11.9, True), (12, False), (30, False)]
)
def test_a_fetch_without_validators_at_least_every_twelve_hours(
    db, site, feed_id, hours_later, conditional
):
    run(db)
    run(db, all_feeds=True, now=NOW + timedelta(hours=hours_later))
    assert ("If-None-Match" in site.requests[-1][2]) is conditional


def test_unchanged_feed_without_validators_is_not_parsed_again(
    db, server, feed_id, site, monkeypatch
):
    server.routes["/feed.rss"] = Response(
        body=feed_body(server), content_type="application/rss+xml"
    )
    run(db)
    monkeypatch.setattr(dispatch_module, "parse_feed", lambda *a, **kw: pytest.fail("parsed"))
    report = run(db, all_feeds=True, now=NOW + timedelta(hours=13))
    assert report.feeds_not_modified == 1 and feed_row(db, feed_id)["last_result"] == "unchanged"


def test_stored_entries_are_not_fetched_again_when_the_feed_changes(db, site, feed_id):
    run(db)
    site.routes["/feed.rss"] = Response(body=feed_body(site).replace(b"<ttl>30", b"<ttl>45"))
    report = run(db, all_feeds=True)
    assert (report.new_articles, report.feeds_not_modified) == (0, 0)
    assert len(page_requests(site)) == 2


def test_only_due_feeds_are_polled_unless_all_are_asked_for(db, site, feed_id):
    run(db)
    wait = minutes_to_next_poll(db, feed_id)
    assert run(db, now=NOW + timedelta(minutes=wait - 1)).feeds_polled == 0
    assert run(db, now=NOW + timedelta(minutes=wait)).feeds_polled == 1
    assert run(db, now=NOW + timedelta(minutes=wait + 1), all_feeds=True).feeds_polled == 1


@pytest.mark.parametrize(
    "reply, message",
    [
        pytest.param(Response(404, "<html>gone</html>"), "HTTP 404 Not Found for ", id="404"),
        pytest.param(
            Response(body=b"%PDF-1.7\n%%EOF", content_type="application/pdf"),
            "not an HTML page (application/pdf)",
            id="pdf",
        ),
        pytest.param(
            Response(body=(FIXTURES / "pages/empty-shell.html").read_bytes()),
            "no article text could be extracted",
            id="no-text",
        ),
    ],
)
def test_a_failing_page_is_counted_and_the_pass_goes_on(db, site, feed_id, reply, message):
    site.routes[PILOT] = reply
    report = run(db)
    assert (report.new_articles, report.articles_failed, report.feeds_failed) == (1, 1, 0)
    (error,) = report.errors
    assert message in error and site.url(PILOT) in error and "\n" not in error
    assert feed_row(db, feed_id)["error_count"] == 0
    assert feed_row(db, feed_id)["last_result"] == "1 new, 1 page(s) failed"


def test_a_page_that_failed_for_good_is_not_fetched_again_when_the_feed_changes(db, site, feed_id):
    site.routes[PILOT] = Response(410, "<html>gone</html>")
    run(db)
    site.routes["/feed.rss"] = Response(body=feed_body(site).replace(b"<ttl>30", b"<ttl>45"))
    run(db, all_feeds=True)
    assert page_requests(site).count(PILOT) == 1
    (failure,) = db["page_failures"].rows
    assert (failure["hard"], failure["attempts"], failure["feed"]) == (1, 1, feed_id)


def test_a_page_failing_softly_is_retried_until_the_limit(db, site, feed_id):
    site.routes[PILOT] = Response(503, "busy")
    settings = Settings(**{**SETTINGS.__dict__, "max_page_attempts": 3})
    for hour in range(5):
        run(db, settings, all_feeds=True, now=NOW + timedelta(hours=hour))
    assert page_requests(site).count(PILOT) == 3
    assert db["page_failures"].get(site.url(PILOT))["attempts"] == 3


def test_a_page_worth_retrying_makes_the_next_poll_unconditional_then_is_stored(db, site, feed_id):
    site.routes[PILOT] = Response(503, "busy")
    run(db)
    assert feed_row(db, feed_id)["etag"] is None
    site.routes[PILOT] = Response(body=(NET / "solid-state-pilot-line.html").read_bytes())
    report = run(db, all_feeds=True)
    feed_requests = [headers for _, path, headers in site.requests if path == "/feed.rss"]
    assert report.new_articles == 1 and "If-None-Match" not in feed_requests[-1]
    assert db["page_failures"].count == 0


@pytest.mark.parametrize(
    "reply, message",
    [
        pytest.param(Response(500, "oops"), "HTTP 500 Internal Server Error for ", id="500"),
        pytest.param(
            Response(body=(NET / "malformed.xml").read_bytes(), content_type="application/rss+xml"),
            " is not a feed: mismatched tag at line 6",
            id="malformed",
        ),
    ],
)
def test_a_failing_feed_is_recorded_and_backs_off_with_jitter(db, site, feed_id, reply, message):
    site.routes["/feed.rss"] = reply
    report = run(db)
    assert (report.feeds_polled, report.feeds_failed, report.new_articles) == (1, 1, 0)
    row = feed_row(db, feed_id)
    assert (
        message in row["last_error"]
        and row["error_count"] == 1
        and row["last_result"] == row["last_error"]
    )
    first = minutes_to_next_poll(db, feed_id)
    assert 15 * 0.75 <= first <= 15 * 1.25
    later = NOW + timedelta(minutes=first)
    run(db, now=later)
    assert feed_row(db, feed_id)["error_count"] == 2
    assert 30 * 0.75 <= minutes_to_next_poll(db, feed_id, later) <= 30 * 1.25


def test_backoff_differs_between_feeds_that_failed_together(db, site):
    ids = [feed_rows.add_feed(db, site.url(f"/down-{n}.rss"))[0] for n in range(4)]
    for n in range(4):
        site.routes[f"/down-{n}.rss"] = Response(503)
    run(db)
    assert len({feed_row(db, i)["interval_minutes"] for i in ids}) == 4


def test_retry_after_on_429_delays_the_next_poll(db, site, feed_id):
    site.routes["/feed.rss"] = Response(429, "slow down", headers={"Retry-After": "7200"})
    run(db)
    assert minutes_to_next_poll(db, feed_id) == 120
    assert feed_row(db, feed_id)["last_status"] == 429


@pytest.mark.parametrize(
    "reply, failing_after",
    [
        pytest.param(Response(404, "<html>no feed here</html>"), 5, id="404-hard"),
        pytest.param(
            Response(body=b"<html><body>a page, not a feed</body></html>"), 5, id="not-a-feed-hard"
        ),
        pytest.param(Response(502), 10, id="502-soft"),
    ],
)
def test_a_feed_failing_again_and_again_is_marked_failing_then_recovers(
    db, site, feed_id, reply, failing_after
):
    site.routes["/feed.rss"], working = reply, site.routes["/feed.rss"]
    for n in range(failing_after):
        assert feed_row(db, feed_id)["state"] == "active", f"failing after {n} failures"
        run(db, all_feeds=True)
    assert feed_row(db, feed_id)["state"] == "failing"
    site.routes["/feed.rss"] = working
    run(db, all_feeds=True)
    row = feed_row(db, feed_id)
    assert (row["state"], row["error_count"], row["hard_errors"], row["last_error"]) == (
        "active",
        0,
        0,
        None,
    )


def test_one_feed_failing_does_not_stop_the_others(db, site, feed_id):
    feed_rows.add_feed(db, site.url("/missing.rss"))
    report = run(db)
    assert (report.feeds_polled, report.feeds_failed, report.new_articles) == (2, 1, 2)


def test_feed_links_into_a_private_network_are_refused(db, site, feed_id, caplog):
    report = run(
        db, Settings(per_host_delay_seconds=0, extract_processes=0)
    )  # 127.0.0.1 not listed as allowed
    assert (report.feeds_failed, report.new_articles, report.articles_failed) == (0, 0, 2)
    assert all("refusing a private or local address (127.0.0.1" in e for e in report.errors)
    assert page_requests(site) == []
    assert sum("refusing a private or local address" in r.getMessage() for r in caplog.records) == 2


def test_same_text_under_another_url_is_stored_as_a_linked_copy(db, site, feed_id):
    site.routes[RECYCLING] = site.routes[PILOT]  # a syndicated copy
    site.routes[PILOT] = Response(
        body=(NET / "solid-state-pilot-line.html")
        .read_bytes()
        .replace(
            b'<link rel="canonical" href="https://cellwire.example/2026/04/solid-state-pilot-line">',
            b"",
        )
    )
    report = run(db)
    assert report.new_articles == 2
    first, copy = db.execute("SELECT id, duplicate_of FROM articles ORDER BY id").fetchall()
    assert first[1] is None and copy[1] == first[0]


def test_stop_ends_the_pass_and_leaves_the_feed_due_at_once(db, site, feed_id):
    stop = threading.Event()
    page = site.routes[PILOT]
    site.routes[PILOT] = lambda handler: stop.set() or page
    report = run(db, stop=stop)
    assert report.stopped and report.new_articles < 2
    row = feed_row(db, feed_id)
    assert row["etag"] is None and row["next_poll"] == "2026-04-06T08:00:00Z"


def test_a_database_locked_by_another_writer_is_waited_for(db, site, feed_id, db_path, caplog):
    import sqlite3

    db.conn.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(1.0, lambda: other.execute("COMMIT"))
    release.start()
    report = run(db)
    release.join()
    other.close()
    assert report.new_articles == 2 and db["articles"].count == 2
    assert any("database is locked" in r.getMessage() for r in caplog.records)


def test_an_analysts_long_read_does_not_hold_up_the_poller(db, site, feed_id, db_path):
    import sqlite3

    reader = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM articles").fetchone()
    try:
        assert run(db).new_articles == 2
        assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 0  # its snapshot
    finally:
        reader.close()


UNDATED_STORY = (
    "<!doctype html><html lang='en'><head><title>Northvolt lifts output</title></head><body>"
    "<article><h1>Northvolt lifts output</h1><p>Northvolt said on Tuesday that its plant in "
    "Skelleftea will make 16 GWh of cells this year, up from 8 GWh last year, as a second line "
    "starts.</p><p>The company expects to hire about 500 people before the line runs at full "
    "speed.</p></article></body></html>"
)


def test_a_page_without_a_date_is_dated_by_its_feed_entry_before_the_rules_run(db, server):
    from support.newsroom import build_site

    [path] = build_site(server, 1, newest=datetime(2024, 5, 1, 9, 0, tzinfo=UTC))
    server.routes[path] = Response(body=UNDATED_STORY)
    feed_rows.add_feed(db, server.url("/feed.rss"))
    assert run(db).new_articles == 1
    [article] = db["articles"].rows
    assert article["published"] == "2024-05-01T09:00:00Z"
    periods = {row["text"]: row["period"] for row in db["claims"].rows}
    assert periods["16 GWh"] == "forecast 2024" and periods["8 GWh"] == "2023"  # not the poll's year


def test_an_unexpected_exception_while_polling_a_feed_is_a_soft_failure(db, site, feed_id, monkeypatch):
    def broken_parser(*args, **kwargs):
        raise RuntimeError("a bug in the feed parser")

    monkeypatch.setattr(dispatch_module, "parse_feed", broken_parser)
    report = run(db)
    assert report.feeds_failed == 1
    row = feed_row(db, feed_id)
    assert (row["error_count"], row["hard_errors"]) == (1, 0)  # soft: retried with backoff
    assert "unexpected error: a bug in the feed parser" in row["last_error"]


def test_an_unexpected_exception_while_extracting_a_page_is_a_soft_failure(db, site, feed_id, monkeypatch):
    from monitor.ingest import workers

    def broken_extractor(*args, **kwargs):
        raise RuntimeError("a bug in the extractor")

    monkeypatch.setattr(workers, "extract_page", broken_extractor)
    report = run(db)
    assert report.articles_failed == 2
    failures = list(db["page_failures"].rows)
    assert len(failures) == 2 and not any(f["hard"] for f in failures)  # soft: tried again
    assert all("unexpected error: a bug in the extractor" in f["error"] for f in failures)

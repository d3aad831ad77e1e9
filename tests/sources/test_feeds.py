"""Feeds: entries and polling hints out of RSS/Atom bytes; non-feeds refused in one line."""

from __future__ import annotations

import logging
import time

import pytest
from support import FIXTURES

from monitor.errors import FeedError
from monitor.sources.feeds import parse_feed

NET = FIXTURES / "net"
FEED_URL = "https://cellwire.example/feed.rss"


def rss(base: str = "https://cellwire.example") -> bytes:
    return (NET / "ev-news.rss").read_bytes().replace(b"{base}", base.encode())


def test_rss_entries_come_with_link_guid_title_date_and_summary():
    feed = parse_feed(rss(), url=FEED_URL)
    assert feed.title == "Cell Wire: batteries" and feed.link == "https://cellwire.example/"
    first, second = feed.entries
    assert first.link == "https://cellwire.example/2026/04/solid-state-pilot-line"
    assert first.guid == "cellwire-2026-0412" and first.key == "cellwire-2026-0412"
    assert first.title == "Solid-state pilot line starts sample shipments to two carmakers"
    assert first.published == "2026-04-02T07:15:00Z"
    assert first.summary.startswith("QuantumScape says B-sample cells")
    assert second.guid == second.link


def test_atom_dates_are_normalised_to_utc():
    feed = parse_feed((NET / "battery-atom.xml").read_bytes(), url="https://gridgarage.example/atom.xml")
    assert feed.title == "Grid & Garage Storage Notes"
    (entry,) = feed.entries
    assert entry.published == "2026-04-05T07:30:00Z"
    assert entry.guid == "tag:gridgarage.example,2026:sodium-home"


def test_relative_links_resolve_against_the_feed_url():
    feed = parse_feed(rss(base=""), url="https://cellwire.example/feeds/all.rss")
    assert feed.entries[0].link == "https://cellwire.example/2026/04/solid-state-pilot-line"


def test_ttl_and_update_period_become_interval_hints():
    feed = parse_feed(rss(), url=FEED_URL)
    assert feed.ttl_minutes == 30 and feed.update_minutes == 30  # hourly, twice
    assert feed.hint_minutes == 30


def test_feed_without_hints_has_none():
    assert parse_feed((NET / "battery-atom.xml").read_bytes(), url=FEED_URL).hint_minutes is None


def test_well_formed_feed_with_no_entries_is_empty_not_an_error():
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet week</title></channel></rss>'
    assert parse_feed(body, url=FEED_URL).entries == []


def test_entries_without_a_web_link_are_skipped():
    body = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            b"<item><title>Podcast only</title><guid isPermaLink=\"false\">ep-12</guid></item>"
            b"<item><title>Cells</title><link>https://cellwire.example/cells</link></item></channel></rss>")
    assert [e.link for e in parse_feed(body, url=FEED_URL).entries] == ["https://cellwire.example/cells"]


@pytest.mark.parametrize("body, reason", [
    pytest.param((NET / "malformed.xml").read_bytes(), "mismatched tag at line 6", id="malformed"),
    pytest.param((NET / "recycling-plant.html").read_bytes(), "got an HTML page", id="html-page"),
    pytest.param(b"", "no RSS, Atom or RDF document found", id="empty"),
    pytest.param(b'{"version": "https://jsonfeed.org/version/1.1"}', "got JSON, not RSS or Atom", id="json"),
])
def test_non_feeds_are_refused_with_a_reason(body, reason):
    with pytest.raises(FeedError) as info:
        parse_feed(body, url=FEED_URL)
    assert str(info.value) == f"{FEED_URL} is not a feed: {reason}"


def test_feed_with_errors_but_entries_is_read_with_a_warning(caplog):
    body = rss().replace(b"Recycler opens plant", b"Recycler & partner open plant")  # bare ampersand
    with caplog.at_level(logging.WARNING, logger="monitor.sources.feeds"):
        feed = parse_feed(body, url=FEED_URL)
    assert len(feed.entries) == 2 and feed.warning
    assert "not well-formed" in caplog.text


def test_charset_from_the_response_headers_is_used():
    body = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Batterie-Nachrichten</title>'
            "<item><title>Zellfabrik in Salzgitter gr\u00fcndet</title><link>https://akku.example/a</link>"
            "</item></channel></rss>").encode("latin-1")
    feed = parse_feed(body, url=FEED_URL, headers={"Content-Type": "application/rss+xml; charset=iso-8859-1"})
    assert feed.entries[0].title == "Zellfabrik in Salzgitter gr\u00fcndet"


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "cathode">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<rss version="2.0"><channel><title>t</title>
<item><title>&i;</title><link>https://cellwire.example/a</link></item></channel></rss>"""


def test_billion_laughs_is_never_expanded():
    started = time.monotonic()
    title = parse_feed(LAUGHS, url=FEED_URL).entries[0].title
    assert time.monotonic() - started < 2
    assert len(title) < 100 and "cathodecathode" not in title


def test_external_entities_are_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do-not-leak-4711")
    body = f"""<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY secret SYSTEM "{secret.as_uri()}"> ]>
<rss version="2.0"><channel><title>t</title>
<item><title>leak &secret;</title><link>https://cellwire.example/a</link></item></channel></rss>"""
    feed = parse_feed(body.encode(), url=FEED_URL)
    assert "do-not-leak" not in feed.entries[0].title

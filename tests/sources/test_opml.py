"""OPML: subscription lists in and out, nested folders flattened, hostile or broken files refused."""

from __future__ import annotations

import pytest
from support import FIXTURES, ROOT

from monitor.errors import FeedError
from monitor.sources.opml import read_opml, write_opml

NET = FIXTURES / "net"


def test_nested_outlines_give_every_feed_once_with_its_title():
    assert read_opml((NET / "subscriptions.opml").read_bytes()) == [
        ("https://cellwire.example/feed.rss", "Cell Wire: batteries"),
        ("https://gridgarage.example/atom.xml", "Grid & Garage"),
        ("https://chargingweekly.example/rss", "Charging Weekly"),
    ]


def test_attribute_names_are_matched_without_case():
    data = b'<opml version="1.0"><body><outline text="Volt" xmlurl="https://volt.example/rss"/></body></opml>'
    assert read_opml(data) == [("https://volt.example/rss", "Volt")]


def test_non_http_feed_urls_are_skipped():
    data = (b'<opml version="2.0"><body><outline text="Local" xmlUrl="file:///etc/passwd"/>'
            b'<outline xmlUrl="https://volt.example/rss"/></body></opml>')
    assert read_opml(data) == [("https://volt.example/rss", None)]


def test_the_default_feed_list_reads():
    default = ROOT / "db" / "default-feeds.opml"
    feeds = read_opml(default.read_bytes())
    assert len(feeds) >= 5 and all(url.startswith("https://") and title for url, title in feeds)


@pytest.mark.parametrize("data, reason", [
    pytest.param(b"<opml><body><outline text='x'></body>", "not an OPML file: mismatched tag", id="broken"),
    pytest.param(b"", "not an OPML file: no element found", id="empty"),
    pytest.param(b'<rss version="2.0"><channel/></rss>', "not an OPML file: the root element is <rss>", id="rss"),
    pytest.param(b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa">]><opml><body/></opml>',
                 "not an OPML file: forbidden XML construct (EntitiesForbidden)", id="entities"),
])
def test_bad_files_are_refused_in_one_line(data, reason):
    with pytest.raises(FeedError) as info:
        read_opml(data)
    assert str(info.value).startswith(reason) and "\n" not in str(info.value)


def test_written_opml_reads_back_the_same_feeds():
    feeds = [
        {"url": "https://cellwire.example/feed.rss", "title": "Cell Wire & Co", "site_url": "https://cellwire.example/"},
        {"url": "https://volt.example/rss?lang=en&x=1", "title": None, "site_url": None},
    ]
    text = write_opml(feeds)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    assert 'htmlUrl="https://cellwire.example/"' in text
    assert read_opml(text.encode()) == [
        ("https://cellwire.example/feed.rss", "Cell Wire & Co"),
        ("https://volt.example/rss?lang=en&x=1", "https://volt.example/rss?lang=en&x=1"),
    ]

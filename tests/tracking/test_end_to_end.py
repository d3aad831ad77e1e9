"""From feeds to tracked claims: four battery stories served on loopback, polled by the real
poller and read by the real rules, land as one claim told by three outlets (the syndicated copy
adds a figure, not a source) and the conflict between the two that agree and the one that does not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from support import FIXTURES
from support.loopback import Response
from support.newsroom import rss

from monitor.config import Settings
from monitor.poller.run import poll
from monitor.sources.http import make_client
from monitor.storage import connection
from monitor.storage import feeds as feed_rows
from monitor.tracking.claims import tracked_claims
from monitor.tracking.conflicts import conflicts

STORIES = FIXTURES / "tracking"
SETTINGS = Settings(allow_private_hosts=("127.0.0.1",), per_host_delay_seconds=0, connect_timeout=2,
                    read_timeout=2, total_timeout=5, extract_processes=0)
# outlet -> its page, and the day it published
OUTLETS = {
    "voltledger": ("cell-capacity-voltledger.html", datetime(2026, 3, 2, 8, 0, tzinfo=UTC)),
    "gridgazette": ("cell-capacity-gridgazette.html", datetime(2026, 3, 5, 11, 20, tzinfo=UTC)),
    "cathodecourier": ("cell-capacity-cathodecourier.html", datetime(2026, 3, 9, 14, 0, tzinfo=UTC)),
    "dailycharge": ("cell-capacity-dailycharge.html", datetime(2026, 3, 3, 6, 30, tzinfo=UTC)),
}
SYNDICATOR = "dailycharge"  # republishes Volt Ledger's story, polled after it


@pytest.fixture
def polled(db_path, server):
    """Each outlet's feed and story on the loopback server; the originals polled first, the
    syndicated copy on a later pass, as a copy turns up after its original."""
    for outlet, (page, published) in OUTLETS.items():
        path = f"/{outlet}/2026/03/china-cell-capacity"
        server.routes[path] = Response(body=(STORIES / page).read_bytes())
        server.routes[f"/{outlet}/feed.rss"] = Response(
            body=rss(server.url(""), [path], newest=published), content_type="application/rss+xml")
    db = connection.open_db(db_path)
    with make_client(SETTINGS) as client:
        for outlet in OUTLETS:
            if outlet != SYNDICATOR:
                feed_rows.add_feed(db, server.url(f"/{outlet}/feed.rss"))
        first = poll(db, client=client, settings=SETTINGS, now=datetime(2026, 3, 10, tzinfo=UTC))
        feed_rows.add_feed(db, server.url(f"/{SYNDICATOR}/feed.rss"))
        second = poll(db, client=client, settings=SETTINGS, now=datetime(2026, 3, 10, tzinfo=UTC) + timedelta(hours=1))
    assert (first.new_articles, second.new_articles, first.errors + second.errors) == (3, 1, [])
    return db


def china_capacity(db):
    """The tracked claim the four stories state: China's share of global cell-making capacity."""
    found = [c for c in tracked_claims(db, subject="China") if c.metric == "capacity_share"]
    assert len(found) == 1, [(c.claim_key, [f.text for f in c.figures]) for c in tracked_claims(db)]
    return found[0]


def test_the_copy_is_linked_to_the_story_it_repeats(polled):
    sources = {row["source"]: row for row in polled["articles"].rows}
    assert set(sources) == {"Volt Ledger", "Grid Gazette", "Cathode Courier", "Daily Charge"}
    assert sources["Daily Charge"]["duplicate_of"] == sources["Volt Ledger"]["id"]
    assert all(sources[s]["duplicate_of"] is None for s in ("Volt Ledger", "Grid Gazette", "Cathode Courier"))


def test_three_outlets_and_a_copy_land_as_one_claim_with_three_sources(polled):
    claim = china_capacity(polled)
    assert sorted(claim.sources) == ["Cathode Courier", "Grid Gazette", "Volt Ledger"]
    assert (claim.claims, claim.articles) == (4, 4)
    assert claim.first_seen.startswith("2026-03-02") and claim.last_seen.startswith("2026-03-09")
    assert {(v.value, v.sources) for v in claim.values} == {
        (83, ("Volt Ledger", "Grid Gazette")), (77, ("Cathode Courier",))}
    copy = next(f for f in claim.figures if f.source == "Daily Charge")
    assert copy.is_copy and copy.origin == "Volt Ledger"


def test_the_outlet_that_disagrees_conflicts_with_each_that_agrees(polled):
    claim = china_capacity(polled)
    found = conflicts(polled, claim_key=claim.claim_key)
    assert sorted((c.a.source, c.a.value, c.b.source, c.b.value) for c in found) == [
        ("Grid Gazette", 83, "Cathode Courier", 77),
        ("Volt Ledger", 83, "Cathode Courier", 77),
    ]
    assert all("International Energy Agency" in c.b.sentence for c in found)
    assert claim.conflicts == 2


def test_another_claim_in_the_same_story_is_not_grouped_with_it(polled):
    claim = china_capacity(polled)
    assert all(f.compared_value in (83, 77) for f in claim.figures)  # Europe's 7% is another claim

"""Claims tracked across articles: figures of one claim_key grouped with their outlets and values."""

import pytest
from support import analyst_db
from support.analyst_db import CATL_SHARE, CHINA_CELLS

from monitor.models import Article, Claim
from monitor.review import workflow as review
from monitor.storage.articles import save_article
from monitor.tracking.claims import tracked_claims


@pytest.fixture
def db(db_path):
    return analyst_db.build(db_path)


def claim(db, key, **kw):
    return next(c for c in tracked_claims(db, **kw) if c.claim_key == key)


def store(db, url, source, published, text, figures):
    """An article whose quantity claims are (text, fields) pairs located in `text`."""
    claims = []
    for written, fields in figures:
        start = text.index(written)
        claims.append(Claim(kind=fields.pop("kind", "quantity"), text=written, start=start,
                            end=start + len(written), rule="quantity/test", sentence=text, **fields))
    article = Article(url=url, text=text, title=text[:40], published=published, source=source)
    return save_article(db, article, claims, rules_version="test")


def test_one_claim_stated_by_two_outlets_is_one_tracked_claim(db):
    catl = claim(db, CATL_SHARE)
    assert (catl.subject, catl.metric, catl.scope, catl.period) == ("CATL", "market_share", "EV batteries", "2025")
    assert (catl.claims, catl.articles, catl.sources) == (2, 2, ["wire.example", "daily.example"])
    assert (catl.first_seen, catl.last_seen) == ("2026-01-12", "2026-01-20")
    assert [(str(v), v.sources) for v in catl.values] == [("37%", ("wire.example", "daily.example"))]
    assert catl.conflicts == 0


def test_a_syndicated_copy_adds_a_figure_but_not_a_source(db):
    china = claim(db, CHINA_CELLS)
    assert (china.claims, china.articles, china.sources) == (3, 3, ["wire.example", "daily.example"])
    copy = next(f for f in china.figures if f.source == "portal.example")
    assert copy.is_copy and copy.origin == "wire.example"
    assert [(str(v), v.sources, v.figures) for v in china.values] == [
        ("83%", ("wire.example",), 2),
        ("77%", ("daily.example",), 1),
    ]
    assert china.conflicts == 1


def test_widely_reported_claims_come_first_and_min_sources_filters(db):
    keys = [c.claim_key for c in tracked_claims(db)]
    assert keys[:2] == [CHINA_CELLS, CATL_SHARE] and len(keys) == 4
    assert [c.claim_key for c in tracked_claims(db, min_sources=2)] == [CHINA_CELLS, CATL_SHARE]


@pytest.mark.parametrize(
    "filters, keys",
    [
        ({"subject": "china"}, [CHINA_CELLS]),
        ({"metric": "market_share"}, [CATL_SHARE, "lg energy solution|market_share||2026-q1"]),
        ({"subject": "CATL", "metric": "jobs"}, []),
        ({"since": "2026-02-01"}, ["lg energy solution|market_share||2026-q1", "northvolt|jobs||2026"]),
        ({"since": "2026-01-15"}, [CHINA_CELLS, CATL_SHARE, "lg energy solution|market_share||2026-q1",
                                   "northvolt|jobs||2026"]),
    ],
)
def test_filters_pick_claims_by_subject_metric_and_date(db, filters, keys):
    assert [c.claim_key for c in tracked_claims(db, **filters)] == keys


def test_since_keeps_a_claims_whole_history(db):
    china = claim(db, CHINA_CELLS, since="2026-01-15")
    assert china.first_seen == "2026-01-12" and len(china.figures) == 3


def test_a_rejected_figure_leaves_its_claim(db):
    review.set_status(db, [7], "rejected", reviewer="ana")  # daily.example's 77%
    china = claim(db, CHINA_CELLS)
    assert (china.sources, china.conflicts) == (["wire.example"], 0)


def test_figures_in_two_units_of_one_claim_are_compared_in_the_canonical_unit(db):
    key = "byd|range|blade pack|2026"
    store(db, "https://a.example/range", "a.example", "2026-03-01", "The pack gives a range of 500 km.",
          [("500 km", dict(value=500, unit="km", canonical_value=500, canonical_unit="km", claim_key=key))])
    store(db, "https://b.example/range", "b.example", "2026-03-02", "Drivers get 310 miles from it.",
          [("310 miles", dict(value=310, unit="mi", canonical_value=498.9, canonical_unit="km", claim_key=key))])
    byd = claim(db, key)
    assert [str(v) for v in byd.values] == ["500 km", "498.9 km"]
    assert byd.conflicts == 0  # 0.2% apart
    assert [f.text for f in byd.figures] == ["500 km", "310 miles"]


def test_a_figure_inside_a_quote_carries_its_speaker(db):
    text = '"We now hold 38% of the market," said Robin Zeng on Tuesday.'
    key = CATL_SHARE
    store(db, "https://c.example/zeng", "c.example", "2026-03-05", text, [
        ("We now hold 38% of the market,", dict(kind="quote", speaker="Robin Zeng")),
        ("38%", dict(value=38, unit="%", claim_key=key)),
    ])
    figure = next(f for f in claim(db, key).figures if f.source == "c.example")
    assert figure.speaker == "Robin Zeng"
    assert all(f.speaker is None for f in claim(db, key).figures if f.source != "c.example")


def test_an_unknown_subject_tracks_nothing(db):
    assert tracked_claims(db, subject="Atlantis") == []


def test_claim_groups_spread_says_how_far_apart_a_claims_values_are(db):
    key = "catl|revenue||2025"
    store(db, "https://a.example/rev", "a.example", "2026-03-01", "Revenue reached 362 billion yuan.",
          [("362 billion yuan", dict(value=362, unit="CNY bn", claim_key=key))])
    store(db, "https://b.example/rev", "b.example", "2026-03-02", "Revenue reached $50 billion.",
          [("$50 billion", dict(value=50, unit="USD bn", claim_key=key))])
    spread = {r["claim_key"]: r["spread"] for r in db.query("SELECT claim_key, spread FROM claim_groups")}
    assert spread[CHINA_CELLS] == pytest.approx(6 / 83)
    assert spread[CATL_SHARE] == 0
    assert spread[key] is None  # two currencies are never compared

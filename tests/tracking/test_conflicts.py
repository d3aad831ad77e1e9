"""Where sources disagree: two figures of one claim that differ beyond the tolerance, each side
with its outlet, date, sentence and speaker; copies, other units and other claims never conflict."""

import pytest
from support import analyst_db
from support.analyst_db import CATL_SHARE, CHINA_CELLS

from monitor.config import Settings
from monitor.models import Article, Claim
from monitor.storage.articles import save_article
from monitor.tracking.conflicts import conflicts


@pytest.fixture
def db(db_path):
    return analyst_db.build(db_path)


def state(db, source, published, value, *, key=CATL_SHARE, unit="%", canonical=None, high=None,
          duplicate_of=None):
    text = f"CATL held {value:g}% of the global EV battery market, the tracker said."
    start = text.index(f"{value:g}%")
    figure = Claim(kind="quantity", text=f"{value:g}%", start=start, end=start + len(f"{value:g}%"),
                   rule="quantity/test", sentence=text, value=value, high=high, unit=unit,
                   canonical_value=canonical if canonical is not None else value,
                   canonical_unit=unit, claim_key=key, subject="CATL", metric="market_share")
    article = Article(url=f"https://{source}/{published}-{value}", text=text, title="CATL share",
                      published=published, source=source)
    article_id = save_article(db, article, [figure], rules_version="test")
    if duplicate_of is not None:
        db.execute("UPDATE articles SET duplicate_of = ? WHERE id = ?", [duplicate_of, article_id])
    return article_id


def test_two_outlets_disagreeing_is_a_conflict_with_both_sides(db):
    [conflict] = conflicts(db)
    assert (conflict.claim_key, conflict.subject, conflict.metric, conflict.unit) == (
        CHINA_CELLS, "China", "capacity_share", "%")
    a, b = conflict.a, conflict.b
    assert (a.text, a.value, a.source, a.seen) == ("83%", 83, "wire.example", "2026-01-12")
    assert (b.text, b.value, b.source, b.seen) == ("77%", 77, "daily.example", "2026-01-20")
    assert b.sentence == "China has 77% of global cell capacity, according to BloombergNEF."
    assert conflict.gap == pytest.approx(6 / 83)


def test_the_syndicated_copy_of_a_side_is_not_another_conflict(db):
    # portal.example repeats wire.example's 83%: still one pair, not two
    assert [(c.a.source, c.b.source) for c in conflicts(db, subject="China")] == [
        ("wire.example", "daily.example")]


@pytest.mark.parametrize(
    "value, found",
    [(37.1, False), (37.18, False), (37.2, True), (30, True)],  # 0.5% of 37.2 is 0.186
)
def test_figures_within_the_default_tolerance_agree(db, value, found):
    state(db, "tracker.example", "2026-02-01", value)
    assert bool(conflicts(db, claim_key=CATL_SHARE)) is found


def test_the_tolerance_is_a_setting(db):
    state(db, "tracker.example", "2026-02-01", 38)  # 2.6% above 37
    assert Settings().conflict_tolerance == 0.005
    assert len(conflicts(db, claim_key=CATL_SHARE)) == 2
    assert conflicts(db, claim_key=CATL_SHARE, tolerance=0.03) == []


def test_the_view_applies_the_default_tolerance(db):
    state(db, "tracker.example", "2026-02-01", 37.15)  # 0.4% above 37
    state(db, "other.example", "2026-02-02", 37.5)  # 1.3% above 37
    rows = list(db.query("SELECT claim_a, claim_b, gap FROM conflicting_figures WHERE claim_key = ?",
                         [CATL_SHARE]))
    assert len(rows) == len(conflicts(db, claim_key=CATL_SHARE)) == 3
    assert all(r["gap"] > Settings().conflict_tolerance for r in rows)


def test_a_copy_that_differs_from_its_original_is_no_second_source(db):
    original = state(db, "tracker.example", "2026-02-01", 37)
    state(db, "reprint.example", "2026-02-02", 39, duplicate_of=original)
    assert conflicts(db, claim_key=CATL_SHARE) == []


def test_figures_in_two_currencies_are_never_compared(db):
    key = "catl|revenue||2025"
    state(db, "a.example", "2026-03-01", 362, key=key, unit="CNY bn")
    state(db, "b.example", "2026-03-02", 50, key=key, unit="USD bn")
    assert conflicts(db, claim_key=key) == []


def test_a_ranges_top_is_what_is_compared(db):
    key = "sodium-ion|charge_time||"
    state(db, "a.example", "2026-03-01", 10, key=key, high=80)
    state(db, "b.example", "2026-03-02", 80, key=key)
    state(db, "c.example", "2026-03-03", 70, key=key)
    assert [(c.a.source, c.b.source) for c in conflicts(db, claim_key=key)] == [
        ("a.example", "c.example"), ("b.example", "c.example")]


def test_figures_of_other_claims_never_conflict(db):
    state(db, "a.example", "2026-03-01", 37, key="catl|market_share|ev batteries|2024")
    assert [c.claim_key for c in conflicts(db)] == [CHINA_CELLS]


@pytest.mark.parametrize(
    "filters, count",
    [({"subject": "CHINA"}, 1), ({"subject": "CATL"}, 0), ({"metric": "capacity_share"}, 1),
     ({"metric": "market_share"}, 0), ({"since": "2026-01-20"}, 1), ({"since": "2026-01-21"}, 0)],
)
def test_conflicts_filter_by_subject_metric_and_date(db, filters, count):
    assert len(conflicts(db, **filters)) == count


def test_the_views_default_tolerance_is_the_settings_default():
    import re

    from monitor.resources import db_dir

    views = (db_dir() / "views.sql").read_text(encoding="utf-8")
    view = re.search(r"CREATE VIEW conflicting_figures AS\s+SELECT \* FROM figure_pairs WHERE gap > ([0-9.]+);", views)
    assert view and float(view.group(1)) == Settings().conflict_tolerance


def test_a_side_stated_inside_a_quote_names_its_speaker(db):
    text = '"By our count China has 79% of global cell capacity," said Tim Gould, the agency\'s economist.'
    quote_end = text.index(',"') + 1
    start = text.index("79%")
    claims = [
        Claim(kind="quote", text=text[1:quote_end], start=1, end=quote_end, rule="quote/test", speaker="Tim Gould"),
        Claim(kind="quantity", text="79%", start=start, end=start + 3, rule="quantity/test", sentence=text,
              value=79, unit="%", subject="China", metric="capacity_share", claim_key=CHINA_CELLS),
    ]
    save_article(db, Article(url="https://agency.example/count", text=text, title="Count", published="2026-02-01",
                             source="agency.example"), claims, rules_version="test")
    sides = [(c.b.source, c.b.speaker) for c in conflicts(db, claim_key=CHINA_CELLS) if c.b.value == 79]
    assert sides == [("agency.example", "Tim Gould"), ("agency.example", "Tim Gould")]  # against 83% and 77%

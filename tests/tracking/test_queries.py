"""Claims tracked across articles: identical figures grouped, conflicting figures side by side."""

import pytest
from support import analyst_db

from monitor.review import workflow as review
from monitor.tracking import queries as tracking


@pytest.fixture
def db(db_path):
    return analyst_db.build(db_path)


def group(db, subject, value):
    return next(g for g in tracking.claim_groups(db, subject=subject) if g["value"] == value)


def test_identical_figures_in_two_outlets_form_one_group(db):
    catl = group(db, "CATL", 37)
    assert (catl["claims"], catl["articles"], catl["sources"]) == (2, 2, 2)
    assert (catl["first_seen"], catl["last_seen"]) == ("2026-01-12", "2026-01-20")


def test_a_syndicated_copy_is_not_another_source(db):
    china = group(db, "China", 83)
    assert (china["claims"], china["articles"], china["sources"], china["source_list"]) == (
        2,
        2,
        1,
        "wire.example",
    )


def test_grouping_ignores_the_case_of_subject_and_measure(db):
    db.execute(
        "UPDATE claims SET subject = 'catl', object = 'Global EV battery market' WHERE id = 8"
    )
    assert group(db, "catl", 37)["claims"] == 2


def test_min_sources_keeps_only_widely_reported_figures(db):
    assert [(g["subject"], g["value"]) for g in tracking.claim_groups(db, min_sources=2)] == [
        ("CATL", 37)
    ]


def test_conflicting_figures_are_listed_with_their_sources(db):
    rows = tracking.conflicting_figures(db)
    assert [(r["subject"], r["value"], r["source_list"]) for r in rows] == [
        ("China", 77, "daily.example"),
        ("China", 83, "wire.example"),
    ]
    assert {r["figures"] for r in rows} == {2}
    assert (
        "77% (daily.example)" in rows[0]["all_figures"]
        and "83% (wire.example)" in rows[0]["all_figures"]
    )


def test_a_rejected_figure_is_no_longer_a_conflict(db):
    review.set_status(db, [7], "rejected", reviewer="ana")  # the 77% claim
    assert tracking.conflicting_figures(db) == []


def test_one_figure_in_many_articles_is_no_conflict(db):
    assert tracking.conflicting_figures(db, subject="CATL") == []


def test_company_months_count_mentions_and_claims(db):
    rows = {
        (r["month"], r["company"]): (r["mentions"], r["claims"])
        for r in tracking.company_months(db)
    }
    assert rows[("2026-01", "CATL")] == (3, 2)
    assert rows[("2026-02", "Northvolt")] == (1, 1)


def test_speaker_quotes_count_quotes_and_sources(db):
    assert tracking.speaker_quotes(db) == [
        {
            "speaker": "Robin Zeng",
            "quotes": 2,
            "sources": 2,
            "first_quoted": "2026-02-03",
            "last_quoted": "2026-02-15",
        }
    ]


def test_market_shares_are_percentages_of_a_market(db):
    rows = list(db.query("SELECT company, value FROM market_shares ORDER BY claim"))
    assert rows == [
        {"company": "CATL", "value": 37},
        {"company": "CATL", "value": 37},
        {"company": "LG Energy Solution", "value": 12},
    ]

"""Companies and speakers over time, as the charts page reads them."""

import pytest
from support import analyst_db

from monitor.tracking import queries as tracking


@pytest.fixture
def db(db_path):
    return analyst_db.build(db_path)


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

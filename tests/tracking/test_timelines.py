"""A claim's timeline: each outlet's figures over time, copies left out, conflicts marked."""

import pytest
from support import analyst_db
from support.analyst_db import CATL_SHARE, CHINA_CELLS

from monitor.tracking.timelines import timeline


@pytest.fixture
def db(db_path):
    return analyst_db.build(db_path)


def test_each_outlet_has_its_figures_and_the_conflict_is_marked(db):
    line = timeline(db, CHINA_CELLS)
    assert {source: [(f.seen, f.compared_value) for f in figures] for source, figures in line.series.items()} == {
        "wire.example": [("2026-01-12", 83)],
        "daily.example": [("2026-01-20", 77)],
    }
    assert line.conflicting == {1, 7}
    assert line.claim.sources == ["wire.example", "daily.example"]


def test_an_agreed_claim_has_no_conflicts(db):
    line = timeline(db, CATL_SHARE)
    assert line.conflicts == [] and line.conflicting == set() and len(line.series) == 2


def test_an_unknown_key_has_no_timeline(db):
    assert timeline(db, "atlantis|sales||2025") is None

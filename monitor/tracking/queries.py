"""Who is named and quoted over time: the analyst views of db/views.sql the charts page reads.

The SQL views are the contract (Datasette, sqlite3 and pandas read them directly); these functions
are the same questions for a notebook or the web pages. Tracked claims live in claims.py.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils


def company_months(db: sqlite_utils.Database, *, companies: int = 8) -> list[dict[str, Any]]:
    """Mentions and claims per month for the most-mentioned companies (what the chart draws).

    The view is read once and the top companies picked here: it is an aggregate over every claim.
    """
    rows = list(db.query("SELECT * FROM company_months ORDER BY month, company"))
    totals: dict[str, int] = {}
    for row in rows:
        totals[row["company"]] = totals.get(row["company"], 0) + row["mentions"] + row["claims"]
    top = set(sorted(totals, key=lambda name: (-totals[name], name))[:companies])
    return [row for row in rows if row["company"] in top]


def speaker_quotes(db: sqlite_utils.Database, *, speakers: int = 15) -> list[dict[str, Any]]:
    """The most-quoted speakers."""
    return list(
        db.query("SELECT * FROM speaker_quotes ORDER BY quotes DESC, speaker LIMIT ?", [speakers])
    )

"""Claims tracked across articles and time: each claim (one `claim_key`) with the outlets that
stated it, first and last seen, and every figure stated. The `claim_groups` view asks the same
in SQL; these are the records the CLI, the web pages and a notebook read."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import sqlite_utils

from monitor.storage.filters import where_clause

from monitor.tracking.figures import DEFAULT_TOLERANCE, Figure, format_value

MAX_LISTED_KEYS = 30_000  # SQLite binds at most 32,766 values in one statement


@dataclass(frozen=True)
class StatedValue:
    """One value a claim was stated with, and the outlets that stated it."""

    value: float  # in the claim's unit
    unit: str | None
    sources: tuple[str, ...]  # outlets credited (syndicated copies as their original), first seen first
    first_seen: str
    figures: int  # how many times it was stated, copies included

    def __str__(self) -> str:
        return format_value(self.value, self.unit)


@dataclass
class TrackedClaim:
    """A claim as tracked: who, what, where and when it is about, and every figure stated for it."""

    claim_key: str
    subject: str | None
    metric: str | None
    scope: str | None
    period: str | None
    claims: int  # figures stated, copies included
    articles: int
    sources: list[str]  # outlets, syndicated copies counted as their original
    first_seen: str
    last_seen: str
    conflicts: int  # pairs of its figures that conflict at the tolerance asked for
    figures: list[Figure] = field(default_factory=list)  # oldest first

    @property
    def values(self) -> list[StatedValue]:
        """The distinct values stated, in the order they were first seen."""
        found: dict[tuple[float, str | None], list[Figure]] = {}
        for figure in self.figures:
            found.setdefault((figure.compared_value, figure.canonical_unit), []).append(figure)
        stated = []
        for (value, unit), figures in found.items():
            origins = tuple(dict.fromkeys(f.origin for f in figures if f.origin))
            stated.append(StatedValue(value, unit, origins, figures[0].seen, len(figures)))
        return stated


def tracked_claims(
    db: sqlite_utils.Database, *, subject: str | None = None, metric: str | None = None,
    since: str | None = None, claim_key: str | None = None, min_sources: int = 1,
    tolerance: float = DEFAULT_TOLERANCE, limit: int | None = None,
) -> list[TrackedClaim]:
    """Claims with their figures, most widely reported first. `subject` in any case; `since`:
    claims stated on or after that date, with their whole history."""
    where, params = where_clause({
        "subject = ? COLLATE NOCASE": subject, "metric = ?": metric, "seen >= ?": since,
        "claim_key = ?": claim_key,
    })
    groups = "SELECT claim_key, subject, metric, scope, period, claims, articles, first_seen, last_seen" \
             " FROM claim_groups WHERE sources >= ?"
    group_params: list = [min_sources]
    if where:
        # the keys first (indexed), then their groups by a list of values: SQLite pushes
        # `claim_key IN (?, ...)` into the grouping, not `IN (SELECT ...)`, which groups every claim
        keys = [row[0] for row in db.execute(
            f"SELECT DISTINCT claim_key FROM figure_claims{where}", params)]
        if not keys:
            return []
        if len(keys) > MAX_LISTED_KEYS:
            groups += " AND claim_key IN (SELECT value FROM json_each(?))"
            group_params.append(json.dumps(keys))
        else:
            groups += f" AND claim_key IN ({', '.join('?' for _ in keys)})"
            group_params += keys
    # the pairs are counted outside the ordered, limited groups: only for the claims returned
    sql = (
        "SELECT g.*, (SELECT count(*) FROM figure_pairs p WHERE p.claim_key = g.claim_key AND p.gap > ?)"
        f" AS conflicts FROM ({groups} ORDER BY sources DESC, claims DESC, first_seen, claim_key"
        + (f" LIMIT {int(limit)}" if limit else "")
        + ") g"
    )
    found = {
        row["claim_key"]: TrackedClaim(**row, sources=[])
        for row in db.query(sql, [tolerance, *group_params])
    }
    if not found:
        return []
    for row in db.query(
        "SELECT * FROM figure_claims WHERE claim_key IN (SELECT value FROM json_each(?)) ORDER BY seen, claim",
        [json.dumps(list(found))],
    ):
        found[row["claim_key"]].figures.append(Figure.from_row(row))
    for claim in found.values():
        claim.sources = list(dict.fromkeys(f.origin for f in claim.figures if f.origin))
    return list(found.values())

"""Where sources disagree: two figures of one claim whose values, in one unit, differ by more than a
tolerance. The `figure_pairs` view pairs the figures; the tolerance is applied here, as configured
(`conflict_tolerance`), while the `conflicting_figures` view applies the default."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils

from monitor.storage.filters import where_clause

from monitor.tracking.figures import DEFAULT_TOLERANCE


@dataclass(frozen=True)
class ConflictSide:
    """One side of a conflict: the figure, where and when it was seen, and who said it."""

    claim: int
    text: str  # as written
    value: float  # in the claim's unit (a range's top)
    source: str | None
    seen: str
    sentence: str | None
    speaker: str | None  # when the figure stands inside a quote
    article: int
    article_url: str


@dataclass(frozen=True)
class Conflict:
    """Two figures of one claim that disagree; `a` was seen first."""

    claim_key: str
    subject: str | None
    metric: str | None
    scope: str | None
    period: str | None
    unit: str | None
    gap: float  # |a - b| / max(|a|, |b|)
    a: ConflictSide
    b: ConflictSide

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Conflict:
        def side(letter: str) -> ConflictSide:
            return ConflictSide(
                claim=row[f"claim_{letter}"], text=row[f"text_{letter}"], value=row[f"value_{letter}"],
                source=row[f"source_{letter}"], seen=row[f"seen_{letter}"],
                sentence=row[f"sentence_{letter}"], speaker=row[f"speaker_{letter}"],
                article=row[f"article_{letter}"], article_url=row[f"url_{letter}"],
            )

        return cls(
            claim_key=row["claim_key"], subject=row["subject"], metric=row["metric"],
            scope=row["scope"], period=row["period"], unit=row["unit"], gap=row["gap"],
            a=side("a"), b=side("b"),
        )


def conflicts(
    db: sqlite_utils.Database, *, subject: str | None = None, metric: str | None = None,
    since: str | None = None, claim_key: str | None = None, tolerance: float = DEFAULT_TOLERANCE,
) -> list[Conflict]:
    """Conflicting pairs of figures, by claim, earliest first. `since`: pairs whose later figure
    was seen on or after that date."""
    where, params = where_clause({
        "gap > ?": tolerance, "subject = ? COLLATE NOCASE": subject, "metric = ?": metric,
        "seen_b >= ?": since, "claim_key = ?": claim_key,
    })
    sql = f"SELECT * FROM figure_pairs{where} ORDER BY claim_key, seen_a, claim_a, seen_b, claim_b"
    return [Conflict.from_row(row) for row in db.query(sql, params)]

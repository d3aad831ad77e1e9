"""A claim's timeline: each outlet's figures over time and the pairs that conflict, the data the
web page's chart draws (syndicated copies are left out: their original is on the line)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from monitor.tracking.claims import TrackedClaim, tracked_claims
from monitor.tracking.conflicts import Conflict, conflicts
from monitor.tracking.figures import DEFAULT_TOLERANCE, Figure


@dataclass
class Timeline:
    """One claim: its figures per outlet, oldest first, and its conflicts."""

    claim: TrackedClaim
    series: dict[str, list[Figure]]  # outlet -> its figures, oldest first, copies left out
    conflicts: list[Conflict]

    @property
    def conflicting(self) -> set[int]:
        """Ids of the figures on either side of a conflict."""
        return {side.claim for c in self.conflicts for side in (c.a, c.b)}


def timeline(
    db: sqlite_utils.Database, claim_key: str, *, tolerance: float = DEFAULT_TOLERANCE
) -> Timeline | None:
    """The timeline of one claim, or None when no figure states it."""
    found = tracked_claims(db, claim_key=claim_key, tolerance=tolerance)
    if not found:
        return None
    claim = found[0]
    series: dict[str, list[Figure]] = {}
    for figure in claim.figures:
        if not figure.is_copy:
            series.setdefault(figure.source or "unknown", []).append(figure)
    return Timeline(claim, series, conflicts(db, claim_key=claim_key, tolerance=tolerance))

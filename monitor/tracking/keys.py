"""Claim keys: one deterministic string per tracked claim, from its subject, metric, scope and
period (never its value), so that figures stating the same thing anywhere share it.

Pure functions of a claim's fields. Ingest calls `assign_claim_keys` on the rules' output, since
tracking sits above the nlp layer that reads the fields from the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from monitor.models import Claim

SEPARATOR = "|"
_SPACES = re.compile(r"\s+")


def normalise(part: str | None) -> str:
    """One spelling of a key part: case folded, accents and punctuation spacing evened out."""
    if not part:
        return ""
    folded = unicodedata.normalize("NFKC", part).casefold().replace(SEPARATOR, "/")
    items = sorted({_SPACES.sub(" ", item).strip() for item in folded.split(",")} - {""})
    return ",".join(items)


def claim_key(subject: str | None, metric: str | None, scope: str | None, period: str | None) -> str | None:
    """"subject|metric|scope|period", each part normalised (scope items in sorted order); None
    without a subject or a metric, which leave a figure nothing to be tracked by."""
    if not subject or not metric:
        return None
    return SEPARATOR.join(normalise(part) for part in (subject, metric, scope, period))


def assign_claim_keys(claims: Iterable[Claim]) -> None:
    """Set `claim_key` on every quantity that has a subject and a metric."""
    for claim in claims:
        if claim.kind == "quantity":
            claim.claim_key = claim_key(claim.subject, claim.metric, claim.scope, claim.period)

"""Code parts dedicated to recognising an article again: canonical URLs and near-duplicate texts.

A story comes back under tracking parameters (utm_*, fbclid), with a #fragment, or as a
syndicated copy on another site with its own boilerplate around the same text. The first two
are one canonical URL; the last is one 64-bit simhash (trafilatura's) within a few bits.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

from courlan import normalize_url, scrub_url
from trafilatura.deduplication import Simhash

log = logging.getLogger(__name__)

SIMHASH_BITS = 64
# Copies of one text measured on the corpus differ by 2-3 bits (90% within 8); different articles
# by 12 or more. Up to 6 bits counts as the same text.
MAX_DISTANCE = 6
MIN_WORDS = 80  # shorter texts give fingerprints too coarse to compare
_BANDS = MAX_DISTANCE + 1  # two hashes within MAX_DISTANCE bits agree exactly on at least one band


def canonical_url(url: str) -> str:
    """The URL without tracking parameters, fragment, default port or case differences in the host."""
    try:
        cleaned = normalize_url(scrub_url(url))
    except (AttributeError, ValueError):
        return url
    parts = urlsplit(cleaned)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def fingerprint(text: str) -> int | None:
    """The text's simhash as a signed 64-bit integer (what SQLite stores), or None for a short text."""
    if len(text.split()) < MIN_WORDS:
        return None
    value = Simhash(text, length=SIMHASH_BITS).hash
    return value - (1 << SIMHASH_BITS) if value >= 1 << (SIMHASH_BITS - 1) else value


def distance(a: int, b: int) -> int:
    """Bits in which two fingerprints differ."""
    return ((a ^ b) & ((1 << SIMHASH_BITS) - 1)).bit_count()


class NearDuplicates:
    """Fingerprints of stored originals, found again within MAX_DISTANCE bits without a full scan.

    Each fingerprint is cut into MAX_DISTANCE + 1 bands; two fingerprints that close agree on at
    least one whole band, so only the originals sharing a band are compared.
    """

    def __init__(self, items: Iterable[tuple[int, int]] = ()) -> None:
        self._bands: list[dict[int, list[tuple[int, int]]]] = [{} for _ in range(_BANDS)]
        for article_id, value in items:
            self.add(article_id, value)

    def add(self, article_id: int, value: int) -> None:
        for band, key in enumerate(_band_keys(value)):
            self._bands[band].setdefault(key, []).append((article_id, value))

    def find(self, value: int) -> int | None:
        """The id of the closest original within MAX_DISTANCE bits (the oldest on a tie), or None."""
        best: tuple[int, int] | None = None
        for band, key in enumerate(_band_keys(value)):
            for article_id, other in self._bands[band].get(key, ()):
                gap = distance(value, other)
                if gap <= MAX_DISTANCE and (best is None or (gap, article_id) < best):
                    best = (gap, article_id)
        return best[1] if best else None


def _band_keys(value: int) -> list[int]:
    unsigned = value & ((1 << SIMHASH_BITS) - 1)
    width, extra = divmod(SIMHASH_BITS, _BANDS)
    keys, shift = [], 0
    for band in range(_BANDS):
        size = width + (1 if band < extra else 0)
        keys.append((unsigned >> shift) & ((1 << size) - 1))
        shift += size
    return keys

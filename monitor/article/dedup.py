"""Recognising an article again: canonical URLs and near-duplicate texts.

A story comes back under tracking parameters (utm_*, fbclid), with a #fragment, or as a
syndicated copy on another site with its own boilerplate around the same text. The first two
are one canonical URL. The last is found in two steps: originals whose 64-bit simhash
(trafilatura's) is within a few bits are candidates, and a candidate is a copy when most of the
shorter text's word 4-grams are in the other. The fingerprint alone is not enough: among the 178
corpus articles (15,753 pairs) two different stories came within 10 bits, so over thousands of
stored articles some would be taken for copies.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from hashlib import blake2b
from urllib.parse import urlsplit, urlunsplit

from courlan import normalize_url, scrub_url
from trafilatura.deduplication import sample_tokens

log = logging.getLogger(__name__)

SIMHASH_BITS = 64
# Copies of one text measured on the corpus differ by 2-3 bits (90% within 8, a few up to 14).
MAX_DISTANCE = 10
MIN_WORDS = 80  # shorter texts give fingerprints too coarse to compare
SHINGLE = 4  # words per n-gram compared between a text and a candidate original
MIN_SHARED = 0.6  # share of the shorter text's n-grams found in the other for a copy
_WORDS = re.compile(r"\w+")
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
    """The text's simhash as a signed 64-bit integer (what SQLite stores), or None for a short text.

    The value is trafilatura's Simhash (its tokens, blake2b of each, a vote per bit), counted with
    numpy: trafilatura adds two 64-item lists in Python for every word, 1.4 ms a news article,
    against 0.4 ms here. tests/test_dedup.py checks that both give the same value.
    """
    if len(text.split()) < MIN_WORDS:
        return None
    import numpy  # imported here: the daemon's main process never fingerprints (its workers do)

    tokens = sample_tokens(text, SIMHASH_BITS)
    hashes = numpy.fromiter(map(_token_hash, tokens), dtype=numpy.uint64, count=len(tokens))
    bits = (hashes[:, None] >> numpy.arange(SIMHASH_BITS, dtype=numpy.uint64)) & numpy.uint64(1)
    votes = 2 * bits.sum(axis=0, dtype=numpy.int64) - len(tokens)  # words with the bit minus without
    value = sum(1 << bit for bit in range(SIMHASH_BITS) if votes[bit] >= 0)
    return value - (1 << SIMHASH_BITS) if value >= 1 << (SIMHASH_BITS - 1) else value


@lru_cache(maxsize=2**14)
def _token_hash(token: str) -> int:
    return int.from_bytes(blake2b(token.encode(), digest_size=8).digest(), "big")


def same_story(text: str, other: str) -> bool:
    """Whether most of the shorter text's word 4-grams appear in the other: a copy, give or take
    a standfirst, a sign-off or a trimmed last paragraph."""
    mine, theirs = _shingles(text), _shingles(other)
    if not mine or not theirs:
        return False
    return len(mine & theirs) / min(len(mine), len(theirs)) >= MIN_SHARED


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORDS.findall(text.lower())
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


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
        item = (article_id, value)
        for band, key in enumerate(_band_keys(value)):
            self._bands[band].setdefault(key, []).append(item)

    def candidates(self, value: int) -> list[int]:
        """Ids of the originals within MAX_DISTANCE bits, closest first (the oldest on a tie)."""
        found: dict[int, int] = {}
        for band, key in enumerate(_band_keys(value)):
            for article_id, other in self._bands[band].get(key, ()):
                if article_id not in found and (gap := distance(value, other)) <= MAX_DISTANCE:
                    found[article_id] = gap
        return sorted(found, key=lambda article_id: (found[article_id], article_id))


def _band_keys(value: int) -> list[int]:
    unsigned = value & ((1 << SIMHASH_BITS) - 1)
    width, extra = divmod(SIMHASH_BITS, _BANDS)
    keys, shift = [], 0
    for band in range(_BANDS):
        size = width + (1 if band < extra else 0)
        keys.append((unsigned >> shift) & ((1 << size) - 1))
        shift += size
    return keys

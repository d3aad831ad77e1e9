"""The backfill's gate: whether a page's raw bytes could be about EV batteries at all, decided
before trafilatura is spent on it.

It asks of the raw HTML what the relevance check (monitor/nlp/relevance.py) asks of the extracted
text, with the same vocabulary from rules/: a core term and `min_terms` different terms, whole
words, in the forms the vocabulary allows (a term of several words: each of its words). The markup holds all the text and more, so a page the full
check keeps passes, and nearly every other page is refused for the cost of one scan. The scan is
Hyperscan, every form of every term in one compiled database: on pages of the corpus (170 kB of
HTML on average) it ran 1,900 pages/s against 56 for pyahocorasick and 16 for one trie regex of
Python's `re`; the word-boundary check of its few hits is then done here in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import hyperscan

from monitor.nlp.relevance import BATTERY_TERMS, fold_term, term_forms
from monitor.nlp.rulebook import rulebook

LETTERS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
PLURAL = ord("s")


@dataclass(frozen=True)
class TermPart:
    """What a hit of one literal means: word `index` of a term of `words` words."""

    term: str  # the term's one folded form: "Batteries" and "battery" are one term
    core: bool
    index: int = 0
    words: int = 1


class BatteryGate:
    """The battery vocabulary compiled once into a Hyperscan database that scans raw bytes.

    A term of several words counts when each of its words is on the page, anywhere: markup
    writes "electric&nbsp;vehicle", "electric<br>vehicle" or "<b>electric</b> vehicle" where the
    text says "electric vehicle", and the gate must pass every page the text check keeps."""

    def __init__(self, core: list[str], general: list[str], *, min_terms: int = 2) -> None:
        self.min_terms = min_terms
        parts: dict[bytes, list[TermPart]] = {}
        for terms, is_core in ((core, True), (general, False)):
            for term in terms:
                words = term.split()
                for index, word in enumerate(words):
                    part = TermPart(fold_term(term), is_core, index, len(words))
                    for form in term_forms(word) if term == term.lower() else {word}:
                        parts.setdefault(form.encode("utf-8"), []).append(part)
        self._literals = list(parts)
        self._parts = [parts[literal] for literal in self._literals]
        self._database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self._database.compile(
            expressions=[b"".join(b"\\x%02x" % c for c in literal) for literal in self._literals],
            ids=list(range(len(self._literals))), elements=len(self._literals),
        )
        self._scratch = hyperscan.Scratch(self._database)

    @classmethod
    def load(cls, rules_dir: str | Path | None = None, *, min_terms: int = 2) -> BatteryGate:
        terms = rulebook(rules_dir).json(BATTERY_TERMS)
        return cls(terms["core"], terms["general"], min_terms=min_terms)

    def passes(self, body: bytes) -> bool:
        """Whether `body` uses a core term and `min_terms` different terms, each a whole word."""
        hits: list[tuple[int, int]] = []
        self._database.scan(
            body, match_event_handler=lambda literal, _start, end, _flags, _context: hits.append((literal, end)),
            scratch=self._scratch,
        )
        found: set[str] = set()
        words_seen: dict[str, set[int]] = {}
        core = False
        size = len(body)
        for literal, end in hits:
            start = end - len(self._literals[literal])
            if start > 0 and body[start - 1] in LETTERS:
                continue
            if end < size and body[end] in LETTERS:  # a plural "s" may follow, then no letter
                if body[end] != PLURAL or (end + 1 < size and body[end + 1] in LETTERS):
                    continue
            for part in self._parts[literal]:
                if part.words > 1:
                    seen = words_seen.setdefault(part.term, set())
                    seen.add(part.index)
                    if len(seen) < part.words:
                        continue
                found.add(part.term)
                core = core or part.core
            if core and len(found) >= self.min_terms:
                return True
        return False


@lru_cache(maxsize=4)
def battery_gate(rules_dir: str | None = None) -> BatteryGate:
    """The gate of a rules folder, compiled once per process (each backfill worker builds its own)."""
    return BatteryGate.load(rules_dir)

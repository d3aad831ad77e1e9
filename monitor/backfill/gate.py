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

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from monitor.nlp.relevance import BATTERY_TERMS, fold_term, term_forms
from monitor.nlp.rulebook import rulebook
from monitor.nlp.scanner import PatternScanner, literal

LETTERS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
PLURAL = ord("s")
NEVER_TEXT = re.compile(rb"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
TAG_WINDOW = 2048  # bytes looked back for the "<" of a tag a hit may stand in
TAG_OPENERS = frozenset(bytes([c]) for c in b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz/!?")
WHOLE_WORD = rb"(?:^|[^A-Za-z])%bs?(?:[^A-Za-z]|$)"  # a literal as a word, a plural "s" allowed
MAX_GAP = 64  # bytes of markup and space between two words of a term: "</b>&nbsp;", a line's indent


@dataclass(frozen=True)
class TermPart:
    """What a hit of one literal means: word `index` of a term of `words` words."""

    term: str  # the term's one folded form: "Batteries" and "battery" are one term
    core: bool
    index: int = 0
    words: int = 1


class BatteryGate:
    """The battery vocabulary compiled once into a Hyperscan database that scans raw bytes.

    A term of several words counts when its words come in order, each within MAX_GAP bytes of
    the last: markup writes "electric&nbsp;vehicle", "electric\n    vehicle" or
    "<b>electric</b> vehicle" where the text says "electric vehicle", and the gate must pass every
    page the text check keeps."""

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
        self._parts = [parts[word] for word in self._literals]
        self._scanner = PatternScanner([WHOLE_WORD % literal(word) for word in self._literals])

    @classmethod
    def load(cls, rules_dir: str | Path | None = None, *, min_terms: int = 2) -> BatteryGate:
        terms = rulebook(rules_dir).json(BATTERY_TERMS)
        return cls(terms["core"], terms["general"], min_terms=min_terms)

    def passes(self, body: bytes) -> bool:
        """Whether the text of `body` could use a core term and `min_terms` different terms, each
        a whole word: first over every byte, then, for the few pages that pass, again without what
        is never text (scripts, styles, comments, the inside of tags: CSS classes say "cell")."""
        hits = self._word_hits(body)
        if not self._enough(hits):
            return False
        text = TextPositions(body)
        return self._enough([hit for hit in hits if text.holds(hit[1])])

    def _word_hits(self, body: bytes) -> list[tuple[int, int, int]]:
        """(literal, start, end) of every literal standing as a whole word, plural "s" included.
        The database checks the boundaries itself (a hit takes the byte either side, or the
        buffer's edge), so only whole words reach this callback: "car" in "card" never does."""
        found: list[tuple[int, int, int]] = []
        size = len(body)
        literals = self._literals

        def on_hit(literal: int, _from: int, end: int, _flags: int, _context: object) -> None:
            if end < size or body[end - 1] not in LETTERS:
                end -= 1  # the byte after the word, taken to check the boundary
            word = literals[literal]
            start = end - len(word)
            if body[start:end] != word:
                start -= 1  # "cells": the word ends in the plural "s"
            found.append((literal, start, end))

        self._scanner.scan(body, on_hit)
        return found

    def _enough(self, hits: list[tuple[int, int, int]]) -> bool:
        found: set[str] = set()
        word_ends: dict[tuple[str, int], int] = {}  # (term, word index) -> where it last ended, in order
        core = False
        for literal, start, end in hits:  # Hyperscan reports them by where they end
            for part in self._parts[literal]:
                if part.words > 1:
                    if part.index:
                        before = word_ends.get((part.term, part.index - 1))
                        if before is None or not 0 < start - before <= MAX_GAP:
                            continue
                    word_ends[(part.term, part.index)] = end
                    if part.index < part.words - 1:
                        continue
                found.add(part.term)
                core = core or part.core
            if core and len(found) >= self.min_terms:
                return True
        return False


class TextPositions:
    """Which bytes of a page can be text: not inside a script, a style, a comment or a tag. Made
    only for pages that pass the first scan. The spans are found with bytes.find on a lower-cased
    copy (what NEVER_TEXT matches, a tenth of its time: the regex's lazy `.*?` over long scripts
    cost the gate half its time)."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        spans = never_text_spans(body)
        self._starts = [start for start, _ in spans]
        self._ends = [end for _, end in spans]

    def holds(self, position: int) -> bool:
        """Whether the byte at `position` may be text; unsure (a tag longer than TAG_WINDOW,
        markup broken past repair) counts as text, so the gate errs towards passing."""
        index = bisect_right(self._starts, position) - 1
        if index >= 0 and position < self._ends[index]:
            return False
        since = max(0, position - TAG_WINDOW)
        opened = self.body.rfind(b"<", since, position)
        closed = self.body.rfind(b">", since, position)
        return not (opened > closed and self.body[opened + 1 : opened + 2] in TAG_OPENERS)


SCRIPT, STYLE, COMMENT = 0, 1, 2
MARKUP = [  # (kind, opens, expression): the bounds of what NEVER_TEXT calls never text
    (SCRIPT, True, rb"<script\b"), (SCRIPT, False, rb"</script\s*>"),
    (STYLE, True, rb"<style\b"), (STYLE, False, rb"</style\s*>"),
    (COMMENT, True, rb"<!--"), (COMMENT, False, rb"-->"),
]
OPENER_BYTES = {SCRIPT: 7, STYLE: 6, COMMENT: 4}  # the length of "<script", "<style", "<!--"


@lru_cache(maxsize=1)
def _markup_scanner() -> PatternScanner:
    return PatternScanner([expression for _, _, expression in MARKUP], caseless=True)


def never_text_spans(body: bytes) -> list[tuple[int, int]]:
    """The (start, end) of every script, style and comment, left to right, as NEVER_TEXT finds
    them (an element without its closing tag, or a comment without "-->", is no span), from one
    Hyperscan pass over their bounds: the regex's lazy `.*?` over long scripts was half the
    gate's time."""
    bounds: list[tuple[int, int]] = []  # (where it ends, which of MARKUP), in order of their ends
    _markup_scanner().scan(body, lambda bound, _from, end, _flags, _context: bounds.append((end, bound)))
    return _spans(bounds, 0, 0, frozenset())


def _spans(bounds: list[tuple[int, int]], index: int, position: int, unclosed: frozenset[int]) -> list[tuple[int, int]]:
    """The spans from bounds[index:] whose openers start at or after `position`, left to right;
    a kind in `unclosed` has no closer left, so its openers are not spans (the regex moves on)."""
    spans: list[tuple[int, int]] = []
    while index < len(bounds):
        end, bound = bounds[index]
        kind, opens, _ = MARKUP[bound]
        start = end - OPENER_BYTES[kind]
        index += 1
        if not opens or kind in unclosed or start < position:
            continue
        for later in range(index, len(bounds)):
            close_end, close = bounds[later]
            close_kind, close_opens, _ = MARKUP[close]
            if close_kind == kind and not close_opens and (kind != COMMENT or close_end - 3 >= end):
                spans.append((start, close_end))
                position, index = close_end, later + 1
                break
        else:  # never closed: what lies after its opener is looked at again without it
            return spans + _spans(bounds, index, start + 1, unclosed | {kind})
    return spans


@lru_cache(maxsize=4)
def battery_gate(rules_dir: str | None = None) -> BatteryGate:
    """The gate of a rules folder, compiled once per process (each backfill worker builds its own)."""
    return BatteryGate.load(rules_dir)

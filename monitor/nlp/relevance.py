"""Whether text is about EV batteries: the battery vocabulary of rules/battery_terms.json, used by
the claim linker per sentence and by ingest (and the backfill gate) per article.

The linker asks of every sentence that holds a claim: the terms of a text are found in one
Hyperscan scan (as the backfill gate finds them in raw pages) and each sentence is answered from
those hits, with the same word boundaries as the regex that decides an article's relevance."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from monitor.nlp.patterns import trie_alternation
from monitor.nlp.rulebook import Rulebook, rulebook
from monitor.nlp.scanner import PatternScanner, literal

BATTERY_TERMS = "battery_terms.json"


class BatteryVocabulary:
    """Battery and EV terms: "core" ones belong to EVs and the battery industry ("LFP", "anode"),
    "general" ones are also said of phones and laptops ("battery", "charging"). A term written all
    in lower case matches in any case ("Lithium"), one with a capital only as written ("EV", "kWh");
    a plural "s" may follow any term."""

    def __init__(self, core: Iterable[str], general: Iterable[str]) -> None:
        core, general = list(core), list(general)
        self._core = re.compile(_NOT_AFTER_LETTER + _term_alternation(core))
        self._any = re.compile(_NOT_AFTER_LETTER + _term_alternation([*core, *general]))
        # every written form of every term as a literal of one Hyperscan database: one scan of
        # a text finds them all, where the trie regex costs a pass of Python's engine for each
        # sentence asked about
        self._forms = sorted(set().union(*map(term_forms, [*core, *general])))
        self._scanner = PatternScanner([literal(form) for form in self._forms])

    def hits(self, text: str) -> TermHits:
        """Where each form of a term stands in `text`, found in one scan, to ask of its spans."""
        data = text.encode("utf-8")
        found: list[tuple[int, int]] = []
        self._scanner.scan(data, lambda form, _start, end, _flags, _context: found.append((end, form)))
        if not text.isascii():  # byte offsets to character offsets
            found = [(len(data[:end].decode("utf-8")), form) for end, form in found]
        hits = sorted((end - len(self._forms[form]), end) for end, form in found)
        return TermHits(text, hits)

    def mentioned(self, text: str, start: int = 0, end: int | None = None) -> bool:
        """Whether text[start:end] uses any term (the character before `start` tells whether a
        term at `start` begins a word)."""
        return self.hits(text).mentioned(start, len(text) if end is None else end)

    def relevant(self, text: str, min_terms: int) -> bool:
        """Whether a text uses `min_terms` different terms, one of them core."""
        if self._core.search(text) is None:
            return False
        return len({fold_term(match.group()) for match in self._any.finditer(text)}) >= min_terms


def term_forms(term: str) -> set[str]:
    """The ways a term is matched as written: a lower-case one also capitalised, in title case and
    in capitals; any other only as it stands (the backfill's gate matches the same forms)."""
    if term == term.lower():
        return {term, term[:1].upper() + term[1:], term.title(), term.upper()}
    return {term}


_NOT_AFTER_LETTER = "(?<![A-Za-z])"


def _is_letter(char: str) -> bool:
    return ("A" <= char <= "Z") or ("a" <= char <= "z")


class TermHits:
    """The forms of battery terms found in one text: (start, end) of each, in text order."""

    def __init__(self, text: str, hits: list[tuple[int, int]]) -> None:
        self.text = text
        self.hits = hits

    def mentioned(self, start: int, end: int) -> bool:
        """Whether text[start:end] uses a term: a form inside the span that no letter stands
        before (outside the span too) and none after, save a plural "s", inside the span."""
        text, hits = self.text, self.hits
        for i in range(bisect_left(hits, (start, 0)), len(hits)):
            at, stop = hits[i]
            if at >= end:
                return False
            if stop > end or (at and _is_letter(text[at - 1])):
                continue
            if stop == end or not _is_letter(text[stop]):
                return True
            if text[stop] == "s" and (stop + 1 == end or not _is_letter(text[stop + 1])):
                return True
        return False


def _term_alternation(terms: Iterable[str]) -> str:
    # case variants spelt out: a case-sensitive trie runs several times faster than (?i:...)
    forms = set().union(*map(term_forms, terms))
    return rf"(?:{trie_alternation(forms)})s?(?![A-Za-z])"


def fold_term(term: str) -> str:
    """One form per term: "Batteries" -> "battery", "EVs" -> "ev"."""
    term = term.lower()
    if term.endswith("ies"):
        return term[:-3] + "y"
    return term.removesuffix("es") if term.endswith("ses") else term.removesuffix("s")


def battery_vocabulary(rules_dir: str | Path | None = None) -> BatteryVocabulary:
    """The battery vocabulary of a rules folder (the configured one by default), compiled once
    per folder for the claim linker and the relevance check alike."""
    return _compiled(rulebook(rules_dir))


@lru_cache(maxsize=8)
def _compiled(rules: Rulebook) -> BatteryVocabulary:
    terms = rules.json(BATTERY_TERMS)
    return BatteryVocabulary(terms["core"], terms["general"])


def is_battery_relevant(text: str, *, rules_dir: str | Path | None = None, min_terms: int = 2) -> bool:
    """Whether an article is about EV batteries: it uses `min_terms` different terms of the
    battery vocabulary, one of them core (a stray "cell", or a laptop's "battery" and "charging",
    is not)."""
    return battery_vocabulary(rules_dir).relevant(text, min_terms)


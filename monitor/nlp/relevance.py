"""Whether text is about EV batteries: the battery vocabulary of rules/battery_terms.json, used by
the claim linker per sentence and by ingest (and the backfill gate) per article."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from monitor.nlp.patterns import trie_alternation
from monitor.nlp.rulebook import Rulebook, rulebook

BATTERY_TERMS = "battery_terms.json"


class BatteryVocabulary:
    """Battery and EV terms: "core" ones belong to EVs and the battery industry ("LFP", "anode"),
    "general" ones are also said of phones and laptops ("battery", "charging"). A term written all
    in lower case matches in any case ("Lithium"), one with a capital only as written ("EV", "kWh");
    a plural "s" may follow any term."""

    def __init__(self, core: Iterable[str], general: Iterable[str]) -> None:
        self._core = _term_pattern(core)
        self._any = _term_pattern([*core, *general])

    def mentioned(self, text: str, start: int = 0, end: int | None = None) -> bool:
        """Whether text[start:end] uses any term."""
        return self._any.search(text, start, len(text) if end is None else end) is not None

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


def _term_pattern(terms: Iterable[str]) -> re.Pattern:
    # case variants spelt out: a case-sensitive trie runs several times faster than (?i:...)
    forms = set().union(*map(term_forms, terms))
    return re.compile(rf"(?<![A-Za-z])(?:{trie_alternation(forms)})s?(?![A-Za-z])")


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


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
        terms = _term_alternation([*core, *general])
        self._core = re.compile(_NOT_AFTER_LETTER + _term_alternation(core))
        self._any = re.compile(_NOT_AFTER_LETTER + terms)
        # the same terms as a match at the start of the text, and as a search that takes the
        # character before the term (not a letter) into the match: a pattern opening with a
        # character class lets the regex engine skip through the text to where a term can
        # start, where one opening with a lookbehind is tried at every character
        self._any_at_start = re.compile(terms)
        self._any_after = re.compile("[^A-Za-z]" + terms)

    def mentioned(self, text: str, start: int = 0, end: int | None = None) -> bool:
        """Whether text[start:end] uses any term (the character before `start` tells whether a
        term at `start` begins a word)."""
        end = len(text) if end is None else end
        if start == 0:
            return (
                self._any_at_start.match(text, 0, end) is not None
                or self._any_after.search(text, 0, end) is not None
            )
        return self._any_after.search(text, start - 1, end) is not None

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


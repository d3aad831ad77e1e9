"""The line of business of each known company, and the nouns that name one, from
rules/company_sectors.json: what lets "the Korean carmaker" stand for the carmaker named before
rather than the oil company named last.

One book for two stages: the companies finder says which sectors an article's companies are in
(the gazetteer's, or the one the text describes an unknown company with: "Kestrel, a
Shanghai-based battery maker"), and the claim describer reads which sector a definite description
names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from monitor.nlp.rulebook import rulebook

RULES_FILE = "company_sectors.json"
LONGEST_NOUN = 5  # words
_WORD = re.compile(r"[\w'’&]+")
_PUNCTUATION = re.compile(r"[,;:()\[\]\"“”]")


def noun_words(phrase: str) -> tuple[str, ...]:
    """The lower-case words of a phrase, a hyphen parting words as a space does ("battery-maker"
    is "battery maker")."""
    return tuple(_WORD.findall(phrase.lower()))


@dataclass(frozen=True)
class SectorBook:
    """Which sectors each canonical company is in, and which sector each noun names."""

    companies: dict[str, frozenset[str]]
    nouns: dict[tuple[str, ...], str]  # a noun's words -> its sector
    written: tuple[str, ...]  # the nouns as the rules write them
    endings: dict[str, str]  # a name's last word -> its sector: "Lithium", "Motors"
    others: frozenset[str]  # "rival", "another": the description is of some other company
    joins: frozenset[str]  # "to", "and": words that start another phrase

    @classmethod
    def load(cls, rules_dir: str | Path) -> SectorBook:
        """The book of a rules folder; a folder without the file knows no sectors."""
        rules = rulebook(rules_dir).json(RULES_FILE, optional=True)
        sectors = rules.get("sectors", {})
        companies: dict[str, set[str]] = {}
        nouns: dict[tuple[str, ...], str] = {}
        endings: dict[str, str] = {}
        for sector, entry in sectors.items():
            nouns.update((noun_words(noun), sector) for noun in entry["nouns"])
            endings.update((word, sector) for word in entry.get("name_endings", []))
            for name in entry["companies"]:
                companies.setdefault(name, set()).add(sector)
        written = tuple(noun for entry in sectors.values() for noun in entry["nouns"])
        return cls({name: frozenset(s) for name, s in companies.items()}, nouns, written, endings,
                   frozenset(rules.get("others", [])), frozenset(rules.get("joins", [])))

    def sectors_of(self, company: str) -> frozenset[str]:
        return self.companies.get(company, frozenset())

    def by_name(self, name: str) -> frozenset[str]:
        """The sector the last word of a company's name says it is in ("Kestrel Lithium")."""
        sector = self.endings.get(name.rsplit(None, 1)[-1]) if " " in name else None
        return frozenset({sector}) if sector else frozenset()

    def named_by(self, description: str, *, whole: bool = True) -> str | None:
        """The sector a description ends by naming ("Korea's biggest carmaker": carmaker), the
        longest noun first ("lithium producer", not "producer"); None where it names none, is
        two phrases ("the plant to a battery maker") or is of another company than one named
        ("rival carmaker"). Not `whole`: any words that end in the noun ("a deal with battery
        maker"), read for the noun alone."""
        if whole and _PUNCTUATION.search(description):
            return None
        words = noun_words(description)
        if whole and self.others.intersection(words):
            return None
        for size in range(min(LONGEST_NOUN, len(words)), 0, -1):
            sector = self.nouns.get(words[-size:])
            if sector is not None:
                return None if whole and self.joins.intersection(words[:-size]) else sector
        return None

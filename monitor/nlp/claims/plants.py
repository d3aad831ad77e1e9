"""Plant names: a plant's capacity, output or workforce is a claim of its own ("its Salzgitter
plant", "a factory in Sagunto", "the one in St. Thomas"), so the name narrows the figure; "the
plant" stands for the one named last. Regular expressions over the words of rules/claim_words.json.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.nlp.claims.periods import MONTHS

# a place's name: capitalised words ("Marshall", "St. Thomas", "Lower Saxony")
NAME = r"(?:St\.\s|Saint\s)?[A-Z][a-zà-ÿ]+(?:[\s-][A-Z][a-zà-ÿ]+)*"
# capitalised words that open a phrase rather than name a place
NOT_NAMES = frozenset({"The", "A", "An", "Its", "Their", "This", "That", "Our", "His", "Her", "New", "First",
                       "Second", "Third", "Largest", "Biggest", "Main", "Each", "Every", "One",
                       "I", "We", "It", *(m.capitalize() for m in MONTHS)})


@dataclass(frozen=True)
class PlantNames:
    """Finds the plant names a stretch of text gives: before a plant word or after "plant in"."""

    before: re.Pattern  # "its Salzgitter plant"
    after: re.Pattern  # "the plant in Salzgitter", "the one in Sagunto"
    anaphor: re.Pattern  # "the plant", "the site": the plant named last
    metrics: frozenset[str]  # the metrics a plant name narrows

    @classmethod
    def build(cls, words: list[str], metrics: list[str]) -> PlantNames:
        plant = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
        return cls(
            before=re.compile(rf"(?<![\w.])({NAME})\s+(?:(?:battery|cell|EV|car)\s+)?(?:{plant})\b"),
            after=re.compile(rf"\b(?:{plant}|one)\s+(?:in|at|near)\s+({NAME})"),
            anaphor=re.compile(rf"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?:new\s+)?(?:{plant})\b"),
            metrics=frozenset(metrics),
        )

    def names(self, text: str, start: int, end: int, taken: list[tuple[int, int]] = ()) -> list[tuple[int, str]]:
        """(offset, name) of each plant named in text[start:end], in text order; names within
        `taken` (companies, places the vocabulary knows) are no plant's own."""
        found = []
        for pattern in (self.before, self.after):
            for m in pattern.finditer(text, start, end):
                words = m.group(1).split()
                offset = m.start(1)
                while words and words[0] in NOT_NAMES:
                    offset += len(words[0]) + 1
                    words = words[1:]
                if not words or offset == start or any(s <= offset < e for s, e in taken):
                    continue  # a sentence's first word is capitalised whatever it is
                found.append((offset, " ".join(words).lower()))
        return sorted(found)

    def refers_back(self, text: str, start: int, end: int) -> bool:
        """Whether text[start:end] speaks of "the plant" without naming it."""
        return self.anaphor.search(text, start, end) is not None

"""The words that cannot be part of a company name found by the shape of the text, one test for
every shape rule (roles, descriptors, lists, tickers): places, days and months, the public bodies
of `not_within`, and, inside a name, generic business words and stop words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS


@dataclass(frozen=True)
class NameWords:
    places: set[str]
    calendar: frozenset[str]
    public: frozenset[str]  # lower case
    is_generic: Callable[[str], bool]
    titles: frozenset[str] = frozenset()  # a person's titles: "Mr", "Senator", "President"

    @classmethod
    def from_rules(cls, rules: dict, places: set[str], calendar: frozenset[str],
                   is_generic: Callable[[str], bool]) -> NameWords:
        return cls(places, calendar, frozenset(w.lower() for w in rules["not_within"]), is_generic,
                   frozenset(rules["person_titles"]))

    def is_place(self, name: str) -> bool:
        return name in self.places

    def foreign(self, word: str) -> bool:
        """A place, a day or month, or a word of a public body: 'Texas', 'May', 'Ministry'."""
        return word in self.places or word in self.calendar or word.lower() in self.public

    def is_title(self, word: str) -> bool:
        """A person's title ("Mr.", "Senator"): a name holding one is a person's."""
        return word.rstrip(".") in self.titles

    def excludes(self, word: str) -> bool:
        """No word of a name: foreign, or a generic business word or a stop word."""
        return self.foreign(word) or self.is_generic(word) or word.lower() in STOP_WORDS

"""The sectors of an article's companies: the gazetteer's (rules/company_sectors.json), else the
one the text describes the company with, right after its name ("Kestrel, a Shanghai-based battery
maker", "Orvan, Norway's biggest oil refiner") or right before it ("Swedish battery maker
Nordhav"), else the one the last word of its name says ("Kestrel Lithium").

News describes the companies a reader may not know by their trade; kept per company, that
description lets a later "the battery maker" find it (monitor/nlp/claims/subjects.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from monitor.nlp.patterns import trie_alternation
from monitor.nlp.sectors import SectorBook


class DescribedSectors:
    """Finds the sectors of the companies found in one article."""

    def __init__(self, book: SectorBook, rules: dict) -> None:
        self.book = book
        ends = trie_alternation(rules["appositive_ends"])
        # ", a Shanghai-based battery maker", ", Norway's biggest oil refiner": an article or a
        # possessive, then the shortest run of words up to punctuation or a word that ends it
        self._after = re.compile(
            r",[ \t]+(?:an?|the|[A-Z][\w.&-]*['’]s)[ \t]+(?P<words>[^,.;:()\n]{1,80}?)"
            rf"(?=[ \t]*(?:[,.;:)]|$)|[ \t]+(?:{ends})(?![\w-]))"
        )
        self._before = re.compile(r"(?:[\w'’&-]+[ \t]+){1,5}$")  # "Swedish battery maker "

    def of_article(self, text: str,
                   mentions: Iterable[tuple[int, int, str]]) -> dict[str, frozenset[str]]:
        """canonical name -> sectors, for every company of `mentions` (start, end, canonical)
        whose sector is known, described at one of its mentions, or said by its name."""
        sectors: dict[str, frozenset[str]] = {}
        names = set()
        for start, end, name in mentions:
            names.add(name)
            if name not in sectors:
                found = self.book.sectors_of(name) or self.described(text, start, end)
                if found:
                    sectors[name] = found
        for name in names - sectors.keys():
            if found := self.book.by_name(name):
                sectors[name] = found
        return sectors

    def described(self, text: str, start: int, end: int) -> frozenset[str]:
        """The sector the words right after or right before a mention say it is in."""
        after = self._after.match(text, end)
        before = self._before.search(text, max(0, start - 60), start)
        for words, whole in ((after.group("words") if after else "", True),
                             (before.group().strip() if before else "", False)):
            if words and words.split()[-1].islower():  # "the World Bank" names no bank
                sector = self.book.named_by(words, whole=whole)
                if sector is not None:
                    return frozenset({sector})
        return frozenset()

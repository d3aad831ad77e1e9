"""Unknown companies named with their stock ticker: "Kestrel (NYSE: KSTL)", "Kestrel Inc
(KSTL.O)", "Kestrel Cells (300999.SZ)".

Only a listed company has a ticker, and news writes it in brackets right after the name, with
the exchange before a colon or the exchange's code after a full stop (a Reuters instrument
code). The capitalised words right before the bracket are a candidate company (known=False).
What keeps the rule narrow: the bracket holds an exchange of `ticker_exchanges` or a code of
`ticker_suffixes` (company_words.json), never a bare abbreviation ("Nikkei 225 (N225)", "the
International Energy Agency (IEA)"); a legal tail before the bracket is no part of the name
("Kestrel Inc"); leading generic words go ("Rival Kestrel"); and a name with a place, a
public body or a day or a month in it is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.lang.en.stop_words import STOP_WORDS

from monitor.nlp.companies.name_words import NameWords
from monitor.nlp.patterns import trie_alternation

_WORD = r"[A-Z][\w&]*(?:[-.&'’][\w&]+)*"


class TickerCandidates:
    """Finds (start, end, name) of unknown companies written with their stock ticker."""

    def __init__(self, rules: dict, names: NameWords) -> None:
        exchanges = trie_alternation(rules["ticker_exchanges"])
        suffixes = trie_alternation(rules["ticker_suffixes"])
        # "(NYSE: KSTL)", "(Nasdaq:KSTL)", "(KSTL.O)", "(300999.SZ)"
        self._ticker = re.compile(
            rf"\([ \t]*(?:(?:{exchanges})[ \t]*:[ \t]*[\w.-]+|[A-Z0-9][A-Z0-9-]{{0,6}}\.(?:{suffixes}))"
            rf"[ \t]*\)"
        )
        legal = trie_alternation(rules["legal"])
        self._named = re.compile(
            rf"(?<![\w&.'’-])(?P<name>(?:{_WORD}[ \t]+(?:&[ \t]+)?){{0,3}}{_WORD})"
            rf"(?:,?[ \t]+(?:{legal}))?\.?[ \t]*$"
        )
        self._legal = {w.rstrip(".") for w in rules["legal"]}
        self._word = re.compile(_WORD)
        self._names = names

    def find(self, text: str) -> Iterator[tuple[int, int, str]]:
        """Every name right before a ticker: its span and the name."""
        for ticker in self._ticker.finditer(text):
            named = self._named.search(text, max(0, ticker.start() - 100), ticker.start())
            if named is None:
                continue
            words = list(self._word.finditer(text, named.start("name"), named.end("name")))
            while len(words) > 1 and words[-1].group().rstrip(".") in self._legal:
                words.pop()  # "Kestrel Cells Co" is named "Kestrel Cells"
            while words and (self._names.is_generic(words[0].group())
                             or words[0].group().lower() in STOP_WORDS):
                words.pop(0)  # "Rival Kestrel", "The Kestrel"
            plain = [w.group() for w in words]
            if not plain or self._names.is_place(" ".join(plain)) or any(map(self._names.foreign, plain)):
                continue
            yield words[0].start(), words[-1].end(), " ".join(plain)

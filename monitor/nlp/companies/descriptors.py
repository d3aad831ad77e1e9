"""Unknown companies introduced by what they are, right before the name: "beauty company
Voltaro", "Swedish battery maker Nordhav", "the Polish airline Aerolinea".

Where the reader may not know a company, news often says what it is first. A noun for a
business (`descriptor_heads` in company_words.json) right before a capitalised name makes the
name a candidate company (known=False). What keeps the rule narrow: the head is written in
lower case after a word that is not an article or a pronoun ("the company Jo Lee founded"
names the founder), and the name follows on the same line; nouns a person also is ("theatre
producer", "retail giant") are heads only after a word of an industry ("lithium producer",
"battery giant"); a word before the head that makes it a person or a
thing (`appositive_people`, `descriptor_not_business`: "policy maker", "aircraft carrier")
refuses it; a name followed by a verb in the past ("founded", "started") is the subject of a
clause about the company, not its name; and the name is not generic, a place or demonym, a
title ("company President Jo Lee"), a day or a month ("the company Monday said"), nor in a
headline written in title case. After a possessive ("his own company, Voltaro, ...") the name
counts only set off by commas (or a dash, a bracket, "which"), where no clause can follow it,
and not with a title in it ("his company, Mr. Lee said").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from monitor.nlp.companies.name_words import NameWords
from monitor.nlp.companies.roles import in_headline
from monitor.nlp.patterns import trie_alternation

_WORD = r"[A-Z][\w&]*(?:[-.&][\w&]+)*"
# a clause about the company whose subject is the capitalised name: "the firm Lee started"
CLAUSE_AFTER = re.compile(r"[ \t]+(?:[a-z]+ed|co-founded|built|ran|runs|leads|led|owns|heads|took"
                     r"|bought|sold|left|joined|began|set)(?![\w-])")


class DescriptorCandidates:
    """Finds (start, end, name) of unknown companies named right after a business noun."""

    def __init__(self, nlp: Language, rules: dict, names: NameWords) -> None:
        # the heads are spotted on the tokens first (fast), then the words around them read
        self._spots = PhraseMatcher(nlp.vocab, attr="ORTH")
        industry_heads = rules["descriptor_industry_heads"]
        self._spots.add("HEAD", [nlp.make_doc(head) for head in rules["descriptor_heads"] + industry_heads])
        heads = trie_alternation(rules["descriptor_heads"] + industry_heads)
        self._industry_heads = frozenset(industry_heads)  # "lithium producer", not "film producer"
        self._industries = frozenset(word.lower() for word in rules["descriptor_industries"])
        self._descriptor = re.compile(
            rf"(?P<head>{heads})[ \t]+"
            rf"(?P<name>{_WORD}(?:[ \t]+(?:&[ \t]+)?{_WORD}){{0,2}})(?![\w&-])"
        )
        # "his own company, Voltaro, ...": the name set off by commas after a possessive, which
        # no clause can follow ("his company Jo Lee ran" is refused above)
        self._owned = re.compile(
            r"(?<![\w'’-])(?:his|her|their|its|our|my)[ \t]+(?:(?:own|new|first)[ \t]+)?$",
            re.IGNORECASE,
        )
        self._set_off = re.compile(
            rf"(?P<head>{heads}),[ \t]+(?P<name>{_WORD}(?:[ \t]+(?:&[ \t]+)?{_WORD}){{0,2}})"
            rf"(?=[ \t]*[,;)—–]|[ \t]+(?:which|that|whose)[ \t])"
        )
        self._before = re.compile(r"(?<![\w'’-])([\w'’-]+)[ \t]+$")
        self._people = set(rules["appositive_people"])
        self._not_business = set(rules["descriptor_not_business"])
        self._word = re.compile(_WORD)
        self._names = names

    def find(self, doc: Doc, text: str) -> Iterator[tuple[int, int, str]]:
        """Every name a business noun introduces: its span and the name; `text` is doc.text."""
        for _, i, end in self._spots(doc):
            if end + 1 < len(doc) and doc[end].text == "," and doc[end + 1].text[:1].isupper():
                if (found := self._owned_name(text, doc[i].idx)) is not None:
                    yield found
                continue
            if end >= len(doc) or not doc[end].text[:1].isupper():
                continue
            match = self._descriptor.match(text, doc[i].idx)
            if match is None or (i > 0 and doc[i - 1].text in ("-", "/")):
                continue
            word = self._before.search(text, max(0, match.start() - 30), match.start())
            before = word.group(1).lower() if word else ""
            if before in self._people or f"{before} {match.group('head')}" in self._not_business:
                continue  # "a policy maker", "an aircraft carrier"
            if not before or before in STOP_WORDS:
                continue  # "the company Jo Lee founded", "his company", "manufacturer Jo Lee"
            if match.group("head") in self._industry_heads and before not in self._industries:
                continue  # "film producer Jo Lee", "software developer Ana Ruiz"
            words = list(self._word.finditer(text, match.start("name"), match.end("name")))
            words = self._name_words(words)
            if not words:
                continue
            start, end = words[0].start(), words[-1].end()
            name = text[start:end]
            if CLAUSE_AFTER.match(text, end) or in_headline(text, start):
                continue
            yield start, end, name

    def _owned_name(self, text: str, at: int) -> tuple[int, int, str] | None:
        """The name after "his own company," at `at` (the head), set off by commas, or None."""
        match = self._set_off.match(text, at)
        if match is None or not self._owned.search(text, max(0, at - 30), at):
            return None
        words = list(self._word.finditer(text, match.start("name"), match.end("name")))
        if any(self._names.is_title(w.group()) for w in words):
            return None  # "his company, Mr. Lee said"
        if len(self._name_words(words)) != len(words) or in_headline(text, match.start("name")):
            return None
        return match.start("name"), match.end("name"), match.group("name")

    def _name_words(self, words: list[re.Match]) -> list[re.Match]:
        """The words of the name, cut where a generic word, a place or a title starts."""
        for k, word in enumerate(w.group() for w in words):
            if self._names.excludes(word):
                return [] if k == 0 else words[:k]
        return [] if self._names.is_place(" ".join(w.group() for w in words)) else words

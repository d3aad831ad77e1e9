"""Unknown companies introduced by an appositive: "Altris, a Swedish start-up", "Enchem, an
electrolyte maker", "Li-Cycle, the Toronto-based recycler".

News names a company the reader may not know by saying what it is, right after its name. Where
that description ends in a noun for a business (`appositive_heads` in company_words.json), the
capitalised words before the comma are a candidate company (known=False), like the names the
suffix rule finds. What keeps the rule narrow: the description is a short noun phrase (no
preposition or relative word before its head), "the company" needs a word between ("the Belgian
materials group", but not "In December, the company said"), the head ends the description, and
the name is not a month, a generic word, or the tail of a longer name ("Alliance for American
Manufacturing"). So does a clause of what only a business does ("Tarvo, which makes sodium-ion cells":
`appositive_business_verbs`). A description that is part of a company ("a unit of Brennhaus", "a subsidiary of Japan's
Brennhaus": `appositive_parts`) names the parent as a candidate too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.lang.en.stop_words import STOP_WORDS

from monitor.nlp.companies.name_words import NameWords

_NAME_WORD = re.compile(r"[A-Z][\w&'’.-]*")
_INSIDE = ("of", "with", "in", "for", "at", "on", "by", "from", "to", "that", "which", "who", "and")


class AppositiveCandidates:
    """Finds (start, end, name) of unknown companies described by an appositive."""

    def __init__(self, rules: dict, months: frozenset[str], names: NameWords) -> None:
        heads = "|".join(sorted(map(re.escape, rules["appositive_heads"]), key=len, reverse=True))
        ends = "|".join(map(re.escape, rules["appositive_ends"]))
        modifier = rf"(?:(?!(?:{'|'.join(_INSIDE)})\b)[\w'’&$.-]+\s+)"
        # ", a Swedish start-up", ", the Toronto-based recycler": an article, up to five
        # modifiers, then the head, which ends the description
        self._description = re.compile(
            rf",\s+(?P<article>an?|the)\s+(?P<mods>{modifier}{{0,5}}?)(?P<head>{heads})"
            rf"(?=[,.;:)]|\s+(?:{ends})\b)"
        )
        self._people = set(rules["appositive_people"])  # "a policy maker" is a person
        self._collectives = set(rules["appositive_collectives"])  # "a group of lawmakers"
        self._name = re.compile(r"(?:[A-Z][\w&'’.-]*[ \t]+){0,3}[A-Z][\w&'’.-]*$")
        self._joined = re.compile(r"[A-Z][\w&'’-]*[ \t]+(?:for|of|de|and|&)[ \t]+$")
        self._months = months
        self._is_generic = names.is_generic
        self._names = names
        self._dotted_legal = tuple(w for w in rules["legal"] if w.endswith("."))  # "Kestrel Co."
        # the parent a description names: "Solvera, a unit of Brennhaus" (not "a Danish unit":
        # before the noun a capital may be a demonym)
        parts = "|".join(map(re.escape, rules["appositive_parts"]))
        name = r"[A-Z][\w&'’.-]*(?:[ \t]+[A-Z][\w&'’.-]*){0,2}"
        # "Tarvo, which makes sodium-ion cells": what only a business does, said of the name
        verbs = "|".join(map(re.escape, rules["appositive_business_verbs"]))
        self._business_clause = re.compile(
            rf",\s+which\s+(?:also\s+)?(?:{verbs})\s+(?!up\b|sense\b|it\b|for\b|out\b)(?=[a-z$])"
        )
        self._works = frozenset(rules["appositive_not_businesses"])  # "Gigafactory Nevada, which makes"
        self._parent = re.compile(
            rf",\s+(?:an?|the)\s+(?:[\w-]+\s+){{0,2}}(?:{parts})\s+of\s+"
            rf"(?:(?:[A-Z][\w.-]*\s+){{0,2}}[A-Z][\w.-]*['’]s\s+)?(?P<of>{name})(?![\w&'’-])"
        )

    def find(self, text: str) -> Iterator[tuple[int, int, str]]:
        """Every described name: its span and the name (a leading sentence opener trimmed)."""
        for match in self._description.finditer(text):
            mods, head = match.group("mods").split(), match.group("head")
            if match.group("article") == "the" and not mods:
                continue  # "In December, the company said": a clause, not a description
            if (mods and mods[-1].lower() in self._people) or (
                head in self._collectives and text.startswith(" of", match.end())
            ):
                continue
            if (found := self._name_before(text, match.start())) is not None:
                yield found
        for match in self._business_clause.finditer(text):
            found = self._name_before(text, match.start())
            if found is not None and not self._works.intersection(found[2].split()):
                yield found
        yield from self.parents(text)

    def _name_before(self, text: str, comma: int) -> tuple[int, int, str] | None:
        """The name that the description after `comma` describes, or None."""
        named = self._name.search(text, max(0, comma - 80), comma)
        if named is None:
            return None
        words = list(_NAME_WORD.finditer(text, named.start(), comma))
        ends_sentence = [i for i, w in enumerate(words[:-1]) if w.group().endswith(".")]
        if ends_sentence:  # "Norway. Umicore, the Belgian materials group"
            words = words[ends_sentence[-1] + 1 :]
        if not words:
            return None
        if self._joined.search(text, max(0, words[0].start() - 40), words[0].start()):
            return None  # "Alliance for American Manufacturing, a group ..."
        # sentence openers go ("Meanwhile AESC"); generic words stay part of the name
        while words and (words[0].group().lower() in STOP_WORDS or words[0].group() in self._months):
            words.pop(0)
        if not words or words[-1].group() in self._months:
            return None
        name = " ".join(w.group() for w in words)
        if all(self._is_generic(w.group()) for w in words) or self._names.is_place(name):
            return None
        return words[0].start(), comma, name

    def parents(self, text: str) -> Iterator[tuple[int, int, str]]:
        """Every parent company a description names, a place's possessive before it left out
        ("a unit of Japan's SoftBank"): only a company has units and subsidiaries."""
        for match in self._parent.finditer(text):
            start, end = match.span("of")
            if text[end - 1] == "." and not text[start:end].endswith(self._dotted_legal):
                end -= 1  # the full stop ends the sentence, not "Co."
            words = text[start:end].split()
            if self._names.is_place(" ".join(words)) or any(map(self._names.excludes, words)):
                continue  # "a Danish unit of", "a unit of Monday's ..."
            yield start, end, " ".join(words)

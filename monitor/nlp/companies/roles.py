"""Unknown companies named before a corporate role or a market noun, or after one: "Voltrana CEO
Jo Lee", "Voltrana's founder", "Kestrel investors", "Kestrel shares rose", "Shares of Kestrel and
Nordhav fell", "Kestrel and Nordhav shares rose".

Only a company has a chief executive, a founder, shareholders or a share price, so the
capitalised name right before such a noun (company_words.json: `role_nouns`, `plain_role_nouns`,
`market_nouns`) is a candidate company (known=False). What keeps the rule narrow: roles that a
person, a party or an agency also has (a spokesperson, a chairman, employees) are not in the
lists; a person has investors, so those nouns count only without a possessive; "shares" is also
a verb, so it counts only before a market word ("rose", "were"); names already known (an agency
such as NASA, an outlet, a place) are taken before this rule runs; a generic word, a place or
demonym (subjects.jsonl), a public body ("State Department") or a title in the name refuses it;
a name right after a possessive ("Dick's Sporting Goods") or in a headline written in title
case is not trusted; and a one-word name at a sentence start ("Retail investors") counts only
where the article also writes it capitalised inside a sentence, or is a coined word with a
capital inside ("WeWork"). Shares and stock are each company's of a pair or list written right
before them or after "shares of" (before a market word); every name of it must pass the checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from monitor.nlp.companies.name_words import NameWords
from monitor.nlp.openers import SentenceOpeners
from monitor.nlp.patterns import trie_alternation

_WORD = r"[A-Z][\w&]*(?:[-.&][\w&]+)*"
_OPENS = re.compile(r"(?:^|[\n.!?:;\"“”(]\s*|\s[-–—]\s*)$")
_AFTER_POSSESSIVE = re.compile(r"\w['’]s?[ \t]+$")
# a coined name, a capital inside its word ("WeWork", "SpaceX"): no common word opening a sentence
_COINED = re.compile(r"[a-z][A-Z]")
# what parts the names of a pair or a list before a market noun: "Kestrel and Nordhav shares"
_LIST_GAP = re.compile(r"(?:,[ \t]+(?:and[ \t]+)?|[ \t]+and[ \t]+)$")


class RoleCandidates:
    """Finds (start, end, name) of unknown companies named before a role or market noun."""

    def __init__(self, nlp: Language, rules: dict, names: NameWords, openers: SentenceOpeners) -> None:
        # the nouns are spotted on the tokens first (fast; they are rare), then the name before
        nouns = rules["role_nouns"] + rules["plain_role_nouns"] + rules["market_nouns"]
        self._spots = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._spots.add("ROLE", [nlp.make_doc(noun) for noun in nouns])
        # "Shares of Kestrel rose": the market noun opening a sentence, before the name
        self._spots.add("MARKET", [nlp.make_doc(noun.capitalize()) for noun in rules["market_nouns"]])
        markets = trie_alternation(rules["market_nouns"] + [n.capitalize() for n in rules["market_nouns"]])
        market_words = trie_alternation(rules["market_words"])
        self._market_of = re.compile(
            rf"(?:{markets})[ \t]+(?:of|in)[ \t]+(?P<names>{_WORD}(?:(?:[ \t]+|,?[ \t]+and[ \t]+|,[ \t]+)"
            rf"{_WORD}){{0,5}})[ \t]+(?:{market_words})(?![\w-])"
        )
        self._noun = re.compile(
            rf"(?<![\w-])(?:(?P<role>{trie_alternation(rules['role_nouns'])})"
            rf"|(?P<plain>{trie_alternation(rules['plain_role_nouns'])})"
            rf"|(?P<market>{trie_alternation(rules['market_nouns'])})"
            rf"(?=[ \t]+(?:{market_words})(?![\w-])))(?![\w-])"
        )
        self._gap = re.compile(r"(?P<own>['’]s?)?[ \t]+$")
        self._name = re.compile(rf"(?<![\w&.'’-])(?:{_WORD}[ \t]+){{0,2}}{_WORD}$")
        self._word = re.compile(_WORD)
        self._names = names
        self._openers = openers

    def find(self, doc: Doc, text: str) -> Iterator[tuple[int, int, str]]:
        """Every name before a role noun, or after "shares of": its span and the name (a
        leading article trimmed); `text` is doc.text."""
        for at in sorted({doc[i].idx for _, i, _ in self._spots(doc)}):
            if (match := self._market_of.match(text, at)) is not None:
                yield from self._listed(text, match.start("names"), match.end("names"))
                continue
            if (match := self._noun.match(text, at)) is None:
                continue
            gap = self._gap.search(text, max(0, match.start() - 8), match.start())
            if gap is None or (gap.group("own") and match.group("plain")):
                continue  # "Jo Lee's investors": a person has investors too
            named = self._name.search(text, max(0, gap.start() - 80), gap.start())
            if named is None or (found := self._named(text, named.start(), named.end())) is None:
                continue
            yield found
            if match.group("market") and not gap.group("own"):
                # "Kestrel and Nordhav shares rose": the shares are each one's
                yield from self._listed_before(text, found[0])

    def _named(self, text: str, lo: int, hi: int) -> tuple[int, int, str] | None:
        """The name written in text[lo:hi], leading articles and openers trimmed, or None."""
        words = list(self._word.finditer(text, lo, hi))
        while words and words[0].group().lower() in STOP_WORDS:
            words.pop(0)  # "The", "A", "Its": the name starts after them
        if len(words) > 1 and self._openers.opens(words[0].group(), at_sentence_start=bool(
                _OPENS.search(text, max(0, words[0].start() - 3), words[0].start()))):
            words.pop(0)  # "Ousted Kestrel CEO", "Reportedly Kestrel shares"
        if not words or not self._is_name([w.group() for w in words]):
            return None
        start, end = words[0].start(), words[-1].end()
        if _AFTER_POSSESSIVE.search(text, max(0, start - 4), start) or in_headline(text, start):
            return None
        name = text[start:end]
        if len(words) == 1 and _OPENS.search(text, max(0, start - 3), start) \
                and not _COINED.search(name) and not self._inside_a_sentence(text, name, start):
            return None  # "Retail investors ...": a capital that may only open the sentence
        return start, end, name

    def _listed(self, text: str, lo: int, hi: int) -> Iterator[tuple[int, int, str]]:
        """Each name of a pair or list in text[lo:hi] ("Kestrel and Nordhav"); none where one
        of them is no name."""
        spans, at = [], lo
        for gap in re.finditer(r",?[ \t]+and[ \t]+|,[ \t]+", text[lo:hi]):
            spans.append((at, lo + gap.start()))
            at = lo + gap.end()
        spans.append((at, hi))
        found = [self._named(text, a, b) for a, b in spans]
        if all(found):
            yield from found

    def _listed_before(self, text: str, start: int) -> Iterator[tuple[int, int, str]]:
        """The names listed before the one at `start`: "Kestrel, Voltaro and" + "Nordhav"."""
        while (gap := _LIST_GAP.search(text, max(0, start - 8), start)) is not None:
            named = self._name.search(text, max(0, gap.start() - 80), gap.start())
            if named is None or (found := self._named(text, named.start(), named.end())) is None:
                return
            yield found
            start = found[0]

    def _is_name(self, words: list[str]) -> bool:
        """No place, public body, day or stop word; a generic business word only after the first
        word ("Kestrel Power shares", not "Energy shares"), and no person's title."""
        if self._names.is_place(" ".join(words)) or self._names.excludes(words[0]):
            return False
        return not any(self._names.foreign(w) or w.lower() in STOP_WORDS or self._names.is_title(w)
                       for w in words[1:])

    @staticmethod
    def _inside_a_sentence(text: str, name: str, first: int) -> bool:
        """Whether the name is written capitalised somewhere that does not open a sentence."""
        for match in re.finditer(rf"(?<![\w&-]){re.escape(name)}(?![\w&-])", text):
            if match.start() != first and not _OPENS.search(
                text, max(0, match.start() - 3), match.start()
            ):
                return True
        return False


def in_headline(text: str, at: int) -> bool:
    """Whether the line around `at` is a headline in title case ("Warren Hammers Bank CEO"),
    where every word is capitalised and a verb can pass for part of a name; a line that ends
    in a full stop is a sentence, however many names it lists."""
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    line = text[line_start : line_end if line_end >= 0 else len(text)].rstrip()
    if line.endswith((".", ".\"", ".”")):
        return False
    long_words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line) if len(w) > 3]
    return len(long_words) >= 3 and sum(w[0].isupper() for w in long_words) >= 0.8 * len(long_words)

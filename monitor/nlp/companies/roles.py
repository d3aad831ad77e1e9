"""Unknown companies named before a corporate role or a market noun: "Voltrana CEO Jo Lee",
"Voltrana's founder", "Kestrel investors", "Kestrel shares rose".

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
where the article also writes it capitalised inside a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from monitor.nlp.openers import SentenceOpeners
from monitor.nlp.patterns import trie_alternation

_WORD = r"[A-Z][\w&]*(?:[-.&][\w&]+)*"
_OPENS = re.compile(r"(?:^|[\n.!?:;\"“”(]\s*|\s[-–—]\s*)$")
_AFTER_POSSESSIVE = re.compile(r"\w['’]s?[ \t]+$")


class RoleCandidates:
    """Finds (start, end, name) of unknown companies named before a role or market noun."""

    def __init__(self, nlp: Language, rules: dict, places: set[str], calendar: frozenset[str],
                 openers: SentenceOpeners, is_generic: Callable[[str], bool]) -> None:
        # the nouns are spotted on the tokens first (fast; they are rare), then the name before
        nouns = rules["role_nouns"] + rules["plain_role_nouns"] + rules["market_nouns"]
        self._spots = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._spots.add("ROLE", [nlp.make_doc(noun) for noun in nouns])
        self._noun = re.compile(
            rf"(?<![\w-])(?:(?P<role>{trie_alternation(rules['role_nouns'])})"
            rf"|(?P<plain>{trie_alternation(rules['plain_role_nouns'])})"
            rf"|(?P<market>{trie_alternation(rules['market_nouns'])})"
            rf"(?=[ \t]+(?:{trie_alternation(rules['market_words'])})(?![\w-])))(?![\w-])"
        )
        self._gap = re.compile(r"(?P<own>['’]s?)?[ \t]+$")
        self._name = re.compile(rf"(?<![\w&.'’-])(?:{_WORD}[ \t]+){{0,2}}{_WORD}$")
        self._word = re.compile(_WORD)
        self._public = {w.lower() for w in rules["not_within"]}
        self._places = places
        self._calendar = calendar
        self._openers = openers
        self._is_generic = is_generic

    def find(self, doc: Doc, text: str) -> Iterator[tuple[int, int, str]]:
        """Every name before a role noun: its span and the name (a leading article trimmed);
        `text` is doc.text."""
        for at in sorted({doc[i].idx for _, i, _ in self._spots(doc)}):
            if (match := self._noun.match(text, at)) is None:
                continue
            gap = self._gap.search(text, max(0, match.start() - 8), match.start())
            if gap is None or (gap.group("own") and match.group("plain")):
                continue  # "Jo Lee's investors": a person has investors too
            named = self._name.search(text, max(0, gap.start() - 80), gap.start())
            if named is None:
                continue
            words = list(self._word.finditer(text, named.start(), named.end()))
            while words and words[0].group().lower() in STOP_WORDS:
                words.pop(0)  # "The", "A", "Its": the name starts after them
            if len(words) > 1 and self._openers.opens(words[0].group(), at_sentence_start=bool(
                    _OPENS.search(text, max(0, words[0].start() - 3), words[0].start()))):
                words.pop(0)  # "Ousted Kestrel CEO", "Reportedly Kestrel shares"
            if not words or not self._is_name([w.group() for w in words]):
                continue
            start, end = words[0].start(), words[-1].end()
            if _AFTER_POSSESSIVE.search(text, max(0, start - 4), start) or in_headline(text, start):
                continue
            name = text[start:end]
            if len(words) == 1 and _OPENS.search(text, max(0, start - 3), start) \
                    and not self._inside_a_sentence(text, name, start):
                continue  # "Retail investors ...": a capital that may only open the sentence
            yield start, end, name

    def _is_name(self, words: list[str]) -> bool:
        if " ".join(words) in self._places:
            return False
        return not any(
            self._is_generic(w) or w in self._places or w.lower() in self._public
            or w in self._calendar or w.lower() in STOP_WORDS
            for w in words
        )

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

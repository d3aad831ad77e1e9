"""The words that open a sentence in capitals without being part of the name after them: "Yet
Ortiz said", "Meanwhile Kestrel", "Ousted Kestrel CEO", "Reportedly Kestrel shares".

One mechanism for the speaker and the company rules, read from rules/speech.json: the adverbs and
conjunctions of `sentence_openers` are never the first word of a name, wherever they stand; a
capitalised word of one of the shapes of `sentence_opener_endings` (a participle, an -ly adverb)
is one only where it opens a sentence, as elsewhere it may be a name ("Kelly", "Sterling").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from monitor.nlp.patterns import trie_alternation
from monitor.nlp.rulebook import rulebook

RULES_FILE = "speech.json"


@dataclass(frozen=True)
class SentenceOpeners:
    """The listed opener words (lower case) and the shape of an opener by its ending."""

    words: frozenset[str]
    shape: re.Pattern[str]

    @classmethod
    def load(cls, rules_dir: str | Path) -> SentenceOpeners:
        speech = rulebook(rules_dir).json(RULES_FILE)
        endings = trie_alternation(speech["sentence_opener_endings"])
        return cls(frozenset(speech["sentence_openers"]), re.compile(rf"[A-Z][a-z]+(?:{endings})"))

    def opens(self, word: str, *, at_sentence_start: bool) -> bool:
        """Whether `word`, first of a capitalised run, opens the sentence rather than the name."""
        if word.lower() in self.words:
            return True
        return at_sentence_start and self.shape.fullmatch(word) is not None

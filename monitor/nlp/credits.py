"""Lines of an article that are not its text: picture credits and captions ("Image: Opel"),
copyright lines and image file names, which pages and feeds leave among the paragraphs.

They are blanked (same length, so every offset stays exact) before the rules read the text:
a credit line names the photographer's agency or the carmaker that lent the picture, not a
company the story is about. The words are data, `rules/layout.json`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from monitor.nlp.patterns import trie_alternation
from monitor.nlp.rulebook import rulebook

RULES_FILE = "layout.json"


class CreditLines:
    """Finds the credit, caption and file-name lines of a text, built once per rules folder."""

    def __init__(self, rules: dict) -> None:
        words = trie_alternation(rules["credit_words"], space=r"[ \t]+")
        trailing = trie_alternation(rules["trailing_credit_words"], space=r"[ \t]+")
        marks = "|".join(re.escape(m) for m in rules["copyright_marks"])
        files = trie_alternation(rules["file_extensions"])
        most = self._most = int(rules["caption_max_chars"])
        self._line = re.compile(
            rf"[ \t]*(?:"
            rf"\(?(?:{words})[ \t]*[:|][^\n]{{0,120}}"  # "Image: Opel", "(Photo credit | Reuters)"
            rf"|(?:{marks})[ \t][^\n]{{1,120}}"  # "© Reuters 2025"
            rf"|[^\s]{{1,150}}\.(?:{files})"  # "astra-electric-1200x800.jpg"
            rf"|[^\n]{{0,{most}}}?[.!?)][ \t]+\(?(?:{trailing})[ \t]*:[^\n.]{{1,60}}"
            rf")[ \t]*",
            re.IGNORECASE,
        )

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every credit line, caption with its credit, or file name; only short
        lines are tried (credits and captions are; paragraphs of text seldom)."""
        out, start = [], 0
        for line in text.split("\n"):
            end = start + len(line)
            if len(line) <= self._most and self._line.fullmatch(text, start, end):
                out.append((start, end))
            start = end + 1
        return out

    def blank(self, text: str) -> str:
        """The text with those lines' characters turned into spaces."""
        spans = self.spans(text)
        if not spans:
            return text
        parts, pos = [], 0
        for start, end in spans:
            parts += [text[pos:start], " " * (end - start)]
            pos = end
        parts.append(text[pos:])
        return "".join(parts)


@lru_cache(maxsize=8)
def credit_lines(rules_dir: str | None = None) -> CreditLines:
    """The credit-line finder of one rules folder (the configured one when none is given)."""
    return CreditLines(rulebook(rules_dir).json(RULES_FILE))

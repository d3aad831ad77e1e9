"""Where the paragraphs and sentences of an article's text start and end, for the quote finder.

Attribution asks about a few positions per quotation, so a compiled regex over the plain text is
far cheaper here than reading spaCy's sentences; it knows that "Mr." and "U.S." end no sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_PARA_BREAK = re.compile(r"\n\s*")
# a sentence ends at a line break, or at a stop followed by a capital (it starts with a character
# class so that the regex engine can skip ahead quickly)
SENT_END = re.compile(
    r"[.!?…\n](?:(?<=\n)\n*"  # line breaks
    r"|[.!?…]*[\"”’']*\s+(?=[\"“‘'(]?[A-Z0-9]))"  # stops, closing marks, space, a capital
)


def paragraph_end(text: str, i: int) -> int:
    """Offset of the line break ending the paragraph that holds `i` (or the end of the text)."""
    j = text.find("\n", i)
    return len(text) if j < 0 else j


def next_paragraph_start(text: str, para_end: int) -> int:
    """Offset of the first character of the paragraph after the one ending at `para_end`."""
    m = _PARA_BREAK.match(text, para_end)
    return m.end() if m else para_end


def opens_paragraph(text: str, i: int) -> bool:
    """Whether only blanks stand between the start of the paragraph and `i`."""
    j = i - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    return j < 0 or text[j] == "\n"


def rstrip_end(text: str, end: int) -> int:
    """`end` moved back over trailing whitespace."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def is_abbreviation(text: str, dot: int, abbreviations: frozenset[str]) -> bool:
    """Whether the full stop at `dot` ends an abbreviation ("Mr.", "Corp.", "U.S.", an initial)
    rather than a sentence."""
    if text[dot : dot + 1] != "." or not text[dot - 1 : dot].isalpha():
        return False
    word = text[text.rfind(" ", max(0, dot - 12), dot) + 1 : dot]
    word = word[word.rfind("\n") + 1 :].lstrip("(\"“‘'")
    if word in abbreviations:
        return True
    if word[1:2] not in ("", "."):
        return False  # a word of two letters or more before its first stop: no initial
    return all(len(p) == 1 and p.isupper() for p in word.split("."))  # "J." and "U.S."


class Sentences:
    """Sentence boundaries of one text, found once on first use; a sentence reaches at most
    `window` characters either side of a position, so a text without stops is never read whole."""

    def __init__(self, text: str, abbreviations: frozenset[str], window: int) -> None:
        self.text = text
        self.abbreviations = abbreviations
        self.window = window
        self._bounds: tuple[list[int], list[int]] | None = None

    @property
    def bounds(self) -> tuple[list[int], list[int]]:
        """Where sentences end and where the next ones start."""
        if self._bounds is None:
            ends, starts = [], []
            text, abbreviations = self.text, self.abbreviations
            for m in SENT_END.finditer(text):
                i = m.start()
                if text[i] != "." or not is_abbreviation(text, i, abbreviations):
                    ends.append(i + 1)
                    starts.append(m.end())
            self._bounds = (ends, starts)
        return self._bounds

    def starts_between(self, lo: int, hi: int) -> list[int]:
        """Starts of the sentences beginning in [lo, hi)."""
        starts = self.bounds[1]
        return starts[bisect_left(starts, lo) : bisect_left(starts, hi)]

    def is_start(self, pos: int) -> bool:
        """Whether a sentence starts at `pos`."""
        if pos == 0 or self.text[pos - 1] == "\n":
            return True
        starts = self.bounds[1]
        k = bisect_left(starts, pos)
        return k < len(starts) and starts[k] == pos

    def start(self, pos: int) -> int:
        """Start of the sentence holding `pos`, at most a window back."""
        starts = self.bounds[1]
        k = bisect_right(starts, pos) - 1
        return max(starts[k] if k >= 0 else 0, pos - self.window, 0)

    def end(self, pos: int) -> int:
        """End of the sentence holding `pos`, at most a window ahead."""
        ends = self.bounds[0]
        k = bisect_left(ends, pos + 1)
        return min(ends[k] if k < len(ends) else len(self.text), pos + self.window)

"""One sentence as the claim rules read it: its vocabulary terms, its clauses, the stretches that
name a source rather than a subject ("according to SNE Research"), its companies and its times.

Built once per sentence that holds a figure (or that a figure's subject is carried from).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date

from monitor.nlp.claims.lexicon import BLOCKER, BREAK, Term
from monitor.nlp.claims.periods import TimeMention, find_times



@dataclass(frozen=True)
class Company:
    start: int
    end: int
    name: str


@dataclass
class SentenceReading:
    """The terms, clause breaks, blocked stretches, companies and times of text[start:end]."""

    start: int
    end: int
    terms: list[Term]
    breaks: list[int]  # offsets where a clause break starts: the lexicon's punctuation and words
    blocked: list[tuple[int, int]]
    companies: list[Company]
    text: str
    published: date | None
    quoted: list[tuple[int, int]] = field(default_factory=list)  # the quotes in the sentence
    _times: list[TimeMention] | None = None

    def times(self) -> list[TimeMention]:
        """The times the sentence names, looked for on first use (a sentence a subject is only
        carried from never needs them)."""
        if self._times is None:
            self._times = find_times(self.text, self.start, self.end, self.published)
        return self._times

    def is_quoted(self, position: int) -> bool:
        return any(s <= position < e for s, e in self.quoted)

    @classmethod
    def read(cls, text: str, start: int, end: int, terms: list[Term], companies: list[Company],
             published: date | None, quotes: list[tuple[int, int]] = (),
             figures: list[tuple[int, int]] = ()) -> SentenceReading:
        """`terms` and `companies`: the lexicon's terms and the company mentions of the sentence;
        `figures`: its quantities' spans, whose own words ("fewer than 25,000") block nothing."""
        breaks = [t.start for t in terms if BREAK in t.roles]
        blocked = []
        for term in terms:
            if BLOCKER in term.roles and not any(s <= term.start < e for s, e in figures):
                i = bisect.bisect_left(breaks, term.end)
                stop = breaks[i] if i < len(breaks) else end
                colon = text.find(":", term.end, stop)  # "than its weight in supply: it bought ..."
                blocked.append((term.start, colon if colon >= 0 else stop))
        quoted = [(s, e) for s, e in quotes if s < end and e > start]
        return cls(start, end, terms, breaks, blocked, companies, text, published, quoted)

    def is_blocked(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.blocked)

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """The clause around text[start:end]: from the break before it to the break after it."""
        i = bisect.bisect_right(self.breaks, start - 1)
        left = self.breaks[i - 1] + 1 if i > 0 else self.start
        j = bisect.bisect_left(self.breaks, end)
        right = self.breaks[j] if j < len(self.breaks) else self.end
        return left, right

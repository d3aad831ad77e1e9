"""Quotation marks found in article text and paired into quotations.

Straight, curly, single, doubled and guillemet marks are told from apostrophes by their
neighbours, then paired with nesting and paragraph rules, so that "it's" or the "'90s" never open a
quotation and a stray mark never swallows the rest of the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from monitor.nlp.text_layout import next_paragraph_start, paragraph_end, rstrip_end

# Every character that can open or close a quotation, plus the two-apostrophe and two-backtick
# forms of old archives: those are paired so the single marks inside them are not misread, but
# what they enclose is not reported (they are typewriter stand-ins, not the marks of the text).
_MARK_CHARS = re.compile(r"[\"“”„‟«»‘’‚'`]")
_DOUBLE_OPEN = frozenset("“„‟«") | {"``"}
_DOUBLE_CLOSE = frozenset("”»")
_DOUBLE_EITHER = frozenset({'"', "''"})
_OPEN_CONTEXT = frozenset(" \t\n([{—–-/\u00a0")
# apostrophes that open an elision, not a quotation: 'em, '90s, 'til, 'n'
_ELISION = re.compile(r"(?:\d0s|\d\d\b|em\b|til\b|cause\b|tis\b|twas\b|n\b|round\b)", re.IGNORECASE)


@dataclass
class Quotation:
    """One quotation: the spans of its pieces' words, without the marks."""

    pieces: list[tuple[int, int]]
    opens: int  # offset of the opening mark of the first piece
    closes: int  # offset just past the closing mark of the last piece

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


def _classify(text: str, i: int, mark: str) -> str:
    """'open', 'close', 'either' or '' (an apostrophe) for the mark at `i`, by its neighbours."""
    prev = text[i - 1] if i > 0 else "\n"
    j = i + len(mark)
    nxt = text[j] if j < len(text) else "\n"
    open_side = prev in _OPEN_CONTEXT or prev in "“\"‘'" and not nxt.isspace()
    close_side = not prev.isspace() and (nxt.isspace() or not nxt.isalnum())
    if mark == "“" and close_side and not open_side and prev not in "“\"‘'":
        return "close"  # an opening mark typed where the closing one belongs: 'he asked?“ she'
    if mark in _DOUBLE_OPEN:
        return "open"
    if mark in _DOUBLE_CLOSE:
        return "close"
    if mark in _DOUBLE_EITHER:
        if open_side and not nxt.isspace() and not close_side:
            return "open"
        if close_side and not open_side:
            return "close"
        return "either"
    # single marks: apostrophes inside or at the edge of words are not quotation marks
    if prev.isalnum() and nxt.isalnum():
        return ""
    if (prev in _OPEN_CONTEXT or prev in '“"') and (nxt.isalnum() or nxt in "…."):
        if mark in "‘'‚" and _ELISION.match(text, j):
            return ""
        return "s-open" if mark != "’" else ""
    if not prev.isspace() and not nxt.isalnum() and mark in "’'":
        return "s-close"
    return ""


def _find_marks(text: str) -> list[tuple[int, str]]:
    """Offsets of the quotation-mark characters, doubled apostrophes as one mark, and without the
    apostrophes inside words (it's, CATL's), which are most of them."""
    out: list[tuple[int, str]] = []
    last = len(text) - 1
    skip = -1
    for m in _MARK_CHARS.finditer(text):
        i = m.start()
        if i <= skip:
            continue
        ch = text[i]
        if ch in "'`" and i < last and text[i + 1] == ch:
            out.append((i, ch + ch))
            skip = i + 1
        elif ch in "'’" and 0 < i < last and text[i - 1].isalnum() and text[i + 1].isalnum():
            continue
        elif ch != "`":
            out.append((i, ch))
    return out


def _family(mark: str) -> str:
    """Marks that pair with each other: curly, straight, doubled apostrophes, guillemets, single."""
    if mark in "“”„‟":
        return "curly"
    if mark == '"':
        return "straight"
    if mark in ("''", "``"):
        return "doubled"
    if mark in "«»":
        return "guillemet"
    return "single"


@dataclass
class _Open:
    """The quotation being read: where its current piece opened and what has been read so far."""

    family: str
    at: int  # offset of the current piece's opening mark
    width: int  # length of that mark
    para_end: int
    pieces: list[tuple[int, int]] = field(default_factory=list)
    first: int = -1  # offset of the first piece's opening mark
    nested: str = ""  # family of a quotation of another style open inside this one

    @property
    def single(self) -> bool:
        return self.family == "single"


def scan_quotations(text: str) -> list[Quotation]:
    """Pair quotation marks into quotations.

    Double marks at the outer level hold single ones (and marks of another style) nested inside; a
    quotation left open at the end of a paragraph continues only where the next paragraph opens
    with a mark, otherwise it is dropped, so a stray mark never swallows the rest of the text.
    """
    marks = _find_marks(text)
    out: list[Quotation] = []
    cur: _Open | None = None

    def start(i: int, mark: str) -> _Open:
        return _Open(_family(mark), i, len(mark), paragraph_end(text, i), first=i)

    for k, (i, mark) in enumerate(marks):
        role = _classify(text, i, mark)
        if not role:
            continue
        fam = _family(mark)
        opener = role in ("open", "either", "s-open")
        if cur is not None and i > cur.para_end:
            # crossed a paragraph break with the quotation still open: it goes on only where the
            # next paragraph opens with a mark of the same kind
            if opener and fam == cur.family and next_paragraph_start(text, cur.para_end) == i:
                cur.pieces.append((cur.at + cur.width, rstrip_end(text, cur.para_end)))
                cur.at, cur.width, cur.para_end, cur.nested = (
                    i,
                    len(mark),
                    paragraph_end(text, i),
                    "",
                )
                continue
            cur = None
        if cur is None:
            if opener:
                cur = start(i, mark)
            continue
        if cur.nested:
            if fam == cur.nested and role in ("close", "either"):
                cur.nested = ""
            continue
        if cur.single:
            if fam != "single" and role in ("open", "either"):
                cur = start(i, mark)  # the single mark was an apostrophe after all
                continue
            if role != "s-close" or i == cur.at + 1:
                continue
            if text[i - 1] in "sS" and _later_single_close(text, marks, k, cur.para_end):
                continue  # plural possessive: the workers' union
        elif fam == "single":
            continue  # a quotation inside the quotation
        elif fam != cur.family:
            if role == "open":
                cur.nested = fam
                continue
        elif role == "open":
            cur = start(i, mark)  # the earlier mark was never closed
            continue
        elif role not in ("close", "either"):
            continue
        cur.pieces.append((cur.at + cur.width, i))
        if cur.family != "doubled":
            out.append(Quotation(pieces=cur.pieces, opens=cur.first, closes=i + len(mark)))
        cur = None
    quotes = (_trim(q, text) for q in out)
    return [q for q in quotes if q.pieces]


def joined(a: Quotation, b: Quotation) -> Quotation:
    """One quotation made of the pieces of two, as when an attribution breaks a sentence."""
    return Quotation(pieces=a.pieces + b.pieces, opens=a.opens, closes=b.closes)


def _later_single_close(text: str, marks: list[tuple[int, str]], k: int, para_end: int) -> bool:
    """Whether a closing single mark follows mark `k` in its paragraph (so `k` is a possessive)."""
    for i, mark in marks[k + 1 :]:
        if i > para_end:
            return False
        if _classify(text, i, mark) == "s-close":
            return True
    return False


def _trim(q: Quotation, text: str) -> Quotation:
    """Pieces without surrounding blanks; empty pieces dropped."""
    pieces = []
    for s, e in q.pieces:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            pieces.append((s, e))
    return Quotation(pieces=pieces, opens=q.opens, closes=q.closes)


"""Direct quotations and who said them, found by rules over the article text.

Quotation marks are scanned once with a compiled regex; each quotation is attributed from a small
window of text around it (speech verbs, titles, appositives, pronouns), and short speaker forms are
resolved to the fullest name the article gives. The vocabulary lives in `rules/speech.json`.
"""

from __future__ import annotations

import json
import logging
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from .models import Claim
from .nlp import doc_text, start_claims
from .resources import rules_dir as default_rules_dir

log = logging.getLogger(__name__)

RULES_FILE = "speech.json"

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
_WORD = re.compile(r"[^\W_]+(?:[’'.\-][^\W_]+)*")
_PARA_BREAK = re.compile(r"\n\s*")
# a sentence ends at a line break, or at a stop followed by a capital (it starts with a character
# class so that the regex engine can skip ahead quickly)
_SENT_END = re.compile(
    r"[.!?…\n](?:(?<=\n)\n*"  # line breaks
    r"|[.!?…]*[\"”’']*\s+(?=[\"“‘'(]?[A-Z0-9]))"  # stops, closing marks, space, a capital
)
_CAP = "A-ZÀ-ÖØ-ÞĀ-Ž"
# one word of a name: an initial, a title abbreviation, or a capitalised word (O'Brien, McKay)
_NAME_TOKEN = (
    r"(?:[A-Z]\.(?:[A-Z]\.)*|(?:{titles})\."
    rf"|(?:Mc|Mac|O['’])?[{_CAP}][\w\-]*(?:['’][{_CAP}][\w\-]*)?)"
)
_COURTESY = re.compile(r"(Mr|Mrs|Ms|Mx)\.?\s")
_HAS_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")  # "LFP", "BYD": not part of a personal name
_COURTESY_NAME = re.compile(r"\b(Mr|Mrs|Ms)\.?\s+[A-Z]")
# what pronouns and courtesy titles tell of a person, so "she" skips a man named just before
_GENDER = {"he": "m", "mr": "m", "she": "f", "mrs": "f", "ms": "f"}
# a finite verb right after a subject: "Obama is", "She summed", "Trump has long"
_FINITE = re.compile(
    r"\s+(?:(?:also|then|later|once|now|long|never|often|has|had|is|was)\s+)?"
    r"(?:is|was|are|were|has|had|have|will|would|can|could|did|does|[a-z]+ed|[a-z]+[^s\W]s"
    r"|said|told|put|wrote|spoke|sang)\b"
)
# where a speaker phrase after an inverted verb ends: "said Rep. Jo Lee of Ohio, who ..."
_PHRASE_STOP = re.compile(
    r"[,;:()]|\.(?=\s|$)|(?<=\s)(?:who|which|that|at|of|for|from|with|in|on|during|after|before"
    r"|to|as|when|while|and)(?=\s)"
)
_NAME_AFTER_COMMA = re.compile(r",\s+([^,;:()]{2,60}?)\s*(?:[,;:()]|\.(?:\s|$)|$)")
_COORDINATION = re.compile(r"\s(?:and|but)$")
# a verb after these is in a clause of its own: "when I asked him"
_SUBORDINATE = re.compile(
    r"\b(?:when|as|while|after|before|because|if|since|although|though|until)\s+\S+(?:\s+\S+)?\s*$"
)
_PIECE_ENDS = frozenset(",?!.…-—–")  # how the first half of a quote broken by "he said" ends
_SHORT_ATTRIBUTION = 80  # characters of "he said." after a quote that can end its paragraph
# a reported clause after a speech verb ("said members would meet"), which a bare attribution
# ("Smith said on Monday.") does not have
_REPORTED_CLAUSE = re.compile(
    r"\s(?:that|would|will|is|was|are|were|has|had|have|could|should|can)\s"
)
_PREPOSITION = re.compile(r"\b(?:at|of|for|in|with|from|on|by|to)\b")
_BRACKET_END = re.compile(r"\s*\([^()]{1,40}\)$")
_LOOKBACK_STEP = 400  # characters read back at a time when looking for a pronoun's antecedent
_NEXT_WORD = re.compile(r"\s+([a-z][\w-]*)")
_CLOSING_MARK = re.compile(r"''|[\"”’']")
_LEADING_PUNCTUATION = re.compile(r"[\s,;:—–\-]*")
_GERUND_AFTER = re.compile(r"\b(?:by|in|while|after|before)\s*$")  # "by saying": no speaker
_SHORT_NAME_INTRO = re.compile(r"[\w.' -]{1,60}[,:]\s*")  # "Said Ellis: "
_COLON_END = re.compile(r":\s*$")
_LAST_WORD = re.compile(r"([A-Za-z]+)$")
_PLAIN_WORD = re.compile(r"\b([A-Za-z]+)\b")
_INITIAL = re.compile(r"[A-Z]\.")
_NOT_WORD_CHARS = re.compile(r"[^\w-]")
# a role phrase ending a clause ("a BYD spokesperson", "the company") and where its head ends
_ROLE_PHRASE_END = re.compile(
    r"(?:^|[\s,(])((?:the|a|an|one|another|two|three|several|some|its|his|her|their)"
    r"\s+[^,;:()]{0,60})$",
    re.IGNORECASE,
)
_ROLE_PHRASE_CUT = re.compile(r"\s(?:in|at|of|for|from|with|on|who|which|that)\s")
_ROLE_SUBJECT = re.compile(
    r"((?:the|a|an|one|another)\s+[^,;:()]{0,60}?)(?=" + _FINITE.pattern + ")", re.IGNORECASE
)
_APPOSITION = re.compile(r",\s[^,;:()]{1,120},")
_POSSESSIVE_END = re.compile(r"\w['’]s\s+$")


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


@dataclass
class Speaker:
    """Who a quotation is attributed to, as found next to it."""

    kind: str  # "name", "pronoun", "org", "anaphor", "unnamed"
    text: str | None
    start: int
    rule: str


@dataclass
class Vocabulary:
    """The word lists of rules/speech.json, turned into sets and compiled patterns once."""

    verbs: re.Pattern
    verb_forms: frozenset[str]  # one-word forms, lower-case
    participles: frozenset[str]
    nominal: re.Pattern
    titles: frozenset[str]
    honorifics: frozenset[str]
    particles: frozenset[str]
    suffixes: frozenset[str]
    pronouns: dict[str, str]
    person_nouns: frozenset[str]
    someone: re.Pattern
    roles: frozenset[str]  # person nouns and titles
    org_voice: frozenset[str]
    org_nouns: dict[str, str]  # noun -> "company" or "body"
    org_words: frozenset[str]
    adverbs: frozenset[str]
    lead_ins: tuple[str, ...]
    work_cues: frozenset[str]
    naming_verbs: frozenset[str]
    name_run: re.Pattern
    keep_courtesy: bool
    abbreviations: frozenset[str]
    function_words: frozenset[str]
    not_nouns: frozenset[str]
    calendar: frozenset[str]
    dash_name: re.Pattern
    appositive: re.Pattern
    thresholds: dict[str, int] = field(default_factory=dict)


def _trie_pattern(words: list[str]) -> str:
    """One regex alternation shaped as a letter trie (Python's re tries plain alternatives one by
    one, which is slow for hundreds of words)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        end = "" in node
        branches = [
            (r"\s+" if ch == " " else re.escape(ch)) + emit(sub)
            for ch, sub in sorted(node.items())
            if ch
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return "(?:" + emit(trie) + ")"


def load_vocabulary(rules_dir: str | Path) -> Vocabulary:
    """Read rules/speech.json and compile what the finder needs."""
    data = json.loads((Path(rules_dir) / RULES_FILE).read_text(encoding="utf-8"))
    forms = sorted({f for fs in data["speech_verbs"].values() for f in fs}, key=len, reverse=True)
    # lower-case and sentence-initial forms spelt out: a case-blind regex is much slower
    verbs = re.compile(r"\b" + _trie_pattern(forms + [f[0].upper() + f[1:] for f in forms]) + r"\b")
    phrases = sorted(data["attribution_phrases"], key=len, reverse=True)
    nominal = re.compile(
        r"\b(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases) + r")\b",
        re.IGNORECASE,
    )
    particles = frozenset(data["name_particles"])
    particle_alt = "|".join(sorted(particles, key=len, reverse=True))
    token = _NAME_TOKEN.replace("{titles}", "|".join(data["abbreviations"]["titles"]))
    name_run = re.compile(rf"{token}(?:\s+(?:(?:{particle_alt})\s+)*{token})*")
    function_words = frozenset(data["function_words"])
    log.debug("quote rules: %d speech verb forms from %s", len(forms), rules_dir)
    return Vocabulary(
        verbs=verbs,
        verb_forms=frozenset(f for f in forms if " " not in f),
        participles=frozenset(f for f in forms if f.endswith("ing")),
        nominal=nominal,
        titles=frozenset(data["titles"]),
        honorifics=frozenset(data["honorifics"]),
        particles=particles,
        suffixes=frozenset(data["name_suffixes"]),
        pronouns=dict(data["pronouns"]),
        person_nouns=frozenset(data["person_nouns"]),
        roles=frozenset(data["person_nouns"] + data["titles"]),
        someone=re.compile(
            r"\b(?:one|an?|another)\s+(?:[a-z-]+\s+){0,2}?"
            + _trie_pattern(sorted(set(data["person_nouns"]) - set(data["org_voice_nouns"])))
            + r"\b"
        ),
        org_voice=frozenset(data["org_voice_nouns"]),
        org_nouns={noun: kind for kind, nouns in data["org_nouns"].items() for noun in nouns},
        org_words=frozenset(data["org_words"]),
        adverbs=frozenset(data["adverbs"]),
        lead_ins=tuple(sorted(data["verb_lead_ins"], key=len, reverse=True)),
        work_cues=frozenset(data["work_cues"]),
        naming_verbs=frozenset(data["naming_verbs"]),
        name_run=name_run,
        keep_courtesy=bool(data.get("keep_courtesy_titles", True)),
        abbreviations=frozenset(data["abbreviations"]["titles"] + data["abbreviations"]["other"]),
        function_words=function_words,
        not_nouns=function_words | frozenset(data["not_nouns"]),
        calendar=frozenset(data["calendar_words"]),
        dash_name=re.compile(rf"\s*[―—–-]{{1,2}}\s*({name_run.pattern})\W*$"),
        appositive=re.compile(
            r",\s+(?:who\s|(?:a|an|the)\s+(?:[\w'’-]+\s+){0,4}?"
            + _trie_pattern([w for w in data["person_nouns"] + data["titles"] if w.isalpha()])
            + r"\b)"
        ),
        thresholds={k: v for k, v in data["thresholds"].items() if not k.startswith("_")},
    )


@Language.factory("monitor_quotes", default_config={"rules_dir": None})
def make_quotes_finder(nlp: Language, name: str, rules_dir: str | None) -> QuoteFinder:
    return QuoteFinder(load_vocabulary(rules_dir or default_rules_dir()))


class QuoteFinder:
    """Appends a `Claim(kind="quote")` for every direct quotation with its speaker."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab

    def __call__(self, doc: Doc) -> Doc:
        claims = start_claims(doc)
        claims.extend(find_quotes(doc_text(doc), self.vocab, doc._.company_mentions or []))
        return doc


def find_quotes(text: str, vocab: Vocabulary, companies: list[tuple] | None = None) -> list[Claim]:
    """Every direct quotation in `text` as a quote claim."""
    reader = _Reader(text, vocab, companies or [])
    return reader.claims()


# ---------------------------------------------------------------------------------------------
# scanning quotation marks


def _classify(text: str, i: int, mark: str) -> str:
    """'open', 'close', 'either' or '' (an apostrophe) for the mark at `i`, by its neighbours."""
    prev = text[i - 1] if i > 0 else "\n"
    j = i + len(mark)
    nxt = text[j] if j < len(text) else "\n"
    open_side = prev in _OPEN_CONTEXT or prev in "“\"‘'" and not nxt.isspace()
    close_side = not prev.isspace() and (nxt.isspace() or not nxt.isalnum())
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
        return _Open(_family(mark), i, len(mark), _paragraph_end(text, i), first=i)

    for k, (i, mark) in enumerate(marks):
        role = _classify(text, i, mark)
        if not role:
            continue
        fam = _family(mark)
        opener = role in ("open", "either", "s-open")
        if cur is not None and i > cur.para_end:
            # crossed a paragraph break with the quotation still open: it goes on only where the
            # next paragraph opens with a mark of the same kind
            if opener and fam == cur.family and _next_paragraph_start(text, cur.para_end) == i:
                cur.pieces.append((cur.at + cur.width, _rstrip(text, cur.para_end)))
                cur.at, cur.width, cur.para_end, cur.nested = (
                    i,
                    len(mark),
                    _paragraph_end(text, i),
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


def _is_abbreviation(text: str, dot: int, abbreviations: frozenset[str]) -> bool:
    """Whether the full stop at `dot` ends an abbreviation ("Mr.", "Corp.", "U.S.", an initial)
    rather than a sentence."""
    if text[dot : dot + 1] != "." or not text[dot - 1 : dot].isalpha():
        return False
    word = text[text.rfind(" ", max(0, dot - 12), dot) + 1 : dot]
    word = word[word.rfind("\n") + 1 :].lstrip("(\"“‘'")
    if word in abbreviations:
        return True
    return all(len(p) == 1 and p.isupper() for p in word.split("."))  # "J." and "U.S."


def _joined(a: Quotation, b: Quotation) -> Quotation:
    return Quotation(pieces=a.pieces + b.pieces, opens=a.opens, closes=b.closes)


def _paragraph_end(text: str, i: int) -> int:
    j = text.find("\n", i)
    return len(text) if j < 0 else j


def _next_paragraph_start(text: str, para_end: int) -> int:
    m = _PARA_BREAK.match(text, para_end)
    return m.end() if m else para_end


def _opens_paragraph(text: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    return j < 0 or text[j] == "\n"


def _rstrip(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _later_single_close(text: str, marks: list[tuple[int, str]], k: int, para_end: int) -> bool:
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


# ---------------------------------------------------------------------------------------------
# reading one article


class _Reader:
    """Everything needed to find the quotes of one text; lives for one call."""

    def __init__(self, text: str, vocab: Vocabulary, companies: list[tuple]) -> None:
        self.text = text
        self.v = vocab
        self.companies = sorted(companies)
        self.t = vocab.thresholds
        self._names: dict[str, str] = {}
        self._runs: dict[str, list[tuple[int, str]]] = {}
        self._subjects: dict[int, Speaker | None] = {}
        self._genders: dict[str, str] = {}  # full name -> "m" or "f", as pronouns revealed it
        self._words: dict[tuple[int, int], int] = {}
        self._bounds: tuple[list[int], list[int]] | None = None
        self.m = text  # the text with quoted words blanked out, once the quotations are known
        self._asides_and_quotes: list[Quotation] = []

    # -- top level -----------------------------------------------------------------------------

    def claims(self) -> list[Claim]:
        """Pair the marks, join what attributions interrupt, then keep and attribute each quote."""
        quotes = self.join_broken(scan_quotations(self.text))
        self.m = self.masked(quotes)
        self._asides_and_quotes = quotes
        out: list[Claim] = []
        for q in quotes:
            if not self.may_be_quote(q):
                continue
            found = self.attribute(q)
            if self.is_quote(q, found):
                out.append(self.claim(q, *self.resolve(found)))
        return out

    def masked(self, quotes: list[Quotation]) -> str:
        """The text with every quotation's words blanked, so that attribution never reads what
        someone is quoted as saying."""
        parts, pos = [], 0
        for s, e in sorted(piece for q in quotes for piece in q.pieces):
            parts.append(self.text[pos:s])
            parts.append(" " * (e - s))
            pos = e
        parts.append(self.text[pos:])
        return "".join(parts)

    def claim(self, q: Quotation, speaker: str | None, rule: str) -> Claim:
        words = " ".join(self.text[s:e] for s, e in q.pieces)
        return Claim(
            kind="quote",
            text=words,
            start=q.start,
            end=q.end,
            rule=rule,
            speaker=speaker,
            extra={"parts": [[s, e] for s, e in q.pieces]} if len(q.pieces) > 1 else {},
        )

    # -- joining a quotation broken by its attribution ------------------------------------------

    def join_broken(self, quotes: list[Quotation]) -> list[Quotation]:
        """ "A," she said, "B." is one quotation whose pieces are A and B."""
        out: list[Quotation] = []
        for q in quotes:
            if out and self._is_interruption(out[-1], q):
                out[-1] = _joined(out[-1], q)
            elif len(out) > 1 and self._is_aside(out[-1]) and self._is_interruption(out[-2], q):
                # a show or paper named in the attribution stays apart
                out[-2] = _joined(out[-2], q)
            elif out and self._goes_on_next_paragraph(out[-1], q):
                out[-1] = _joined(out[-1], q)
            else:
                out.append(q)
        return out

    def _goes_on_next_paragraph(self, a: Quotation, b: Quotation) -> bool:
        """'"A," he said.' closing one paragraph and '"B."' filling the next: the speaker goes
        on."""
        a_end = _paragraph_end(self.text, a.closes)
        tail = self.text[a.closes : a_end]
        return (
            _opens_paragraph(self.text, a.opens)
            and _opens_paragraph(self.text, b.opens)
            and not self.text[a_end : b.opens].strip()
            and not self.text[b.closes : _paragraph_end(self.text, b.closes)].strip()
            and len(tail) <= _SHORT_ATTRIBUTION
            and len(self.v.verbs.findall(tail)) == 1
            and self.text[a.start : a.end].rstrip("'’\"”")[-1:] in (",", "?", "!")
        )

    def _is_aside(self, q: Quotation) -> bool:
        """A short quoted name inside a sentence, such as the show an interview was given to."""
        return len(q.pieces) == 1 and self.is_partial(q) and self.n_words(q) <= 4

    def _is_interruption(self, a: Quotation, b: Quotation) -> bool:
        """Whether the text between two quotations is only their attribution ('he said,')."""
        gap = self.text[a.closes : b.opens]
        if not gap.strip() or "\n" in gap or len(gap) > self.t["join_gap_chars"]:
            return False
        ending = self.text[a.start : a.end].rstrip("'’\"”")[-1:]
        if ending not in _PIECE_ENDS or self.is_partial(a):
            return False  # a title or scare quote before the gap, not the first half of a sentence
        if len(self.v.verbs.findall(gap)) != 1:
            return False  # no attribution, or a second one introducing a new utterance ("adding,")
        ends = [
            m
            for m in _SENT_END.finditer(gap)
            if not _is_abbreviation(gap, m.start(), self.v.abbreviations)
        ]
        if any(m.end() != len(gap) for m in ends):
            return False  # a sentence of narrative between the two
        if ends and not self.text[b.start].isupper():
            return False
        # the second piece must not be a fragment inside a longer sentence
        m = _NEXT_WORD.match(self.text, b.closes, b.closes + 30)
        return not m or m.group(1) in self.v.pronouns or bool(self.v.verbs.fullmatch(m.group(1)))

    # -- deciding what is a quote -----------------------------------------------------------------

    def n_words(self, q: Quotation) -> int:
        key = (q.start, q.end)
        if key not in self._words:
            self._words[key] = sum(len(_WORD.findall(self.text, s, e)) for s, e in q.pieces)
        return self._words[key]

    def is_partial(self, q: Quotation) -> bool:
        """A fragment inside a sentence rather than a quoted sentence of its own."""
        before = self.text[max(0, q.opens - 3) : q.opens]
        first = self.text[q.start]
        if _opens_paragraph(self.text, q.opens) or not before.strip():
            return False
        last = before.rstrip()[-1:]
        # after a colon, or a capital after a comma, dash or full stop, it is a sentence of its own
        if last == ":" or (last and last in ",—–.!?" and first.isupper()):
            return False
        # so is a capitalised sentence right after a speech verb: 'Protesters chanted "What now?"'
        return not (
            first.isupper()
            and self.text[q.end - 1] in ".?!"
            and self.text[max(0, q.opens - 20) : q.opens].rstrip().split(" ")[-1]
            in self.v.verb_forms
        )

    def may_be_quote(self, q: Quotation) -> bool:
        """What can be told without the attribution: headlines, scare quotes and titles are out."""
        n = self.n_words(q)
        if n == 0 or self._in_headline(q):
            return False
        if self.is_partial(q):
            return (
                n >= self.t["partial_min_words"]
                and not self._is_title(q)
                and not self._modifies_noun(q)
            )
        return True

    def is_quote(self, q: Quotation, found: Speaker | None) -> bool:
        """A fragment inside a sentence counts only with a speech verb before it; a quoted sentence
        counts unless it is too short or a title and nobody is said to have said it."""
        if self.is_partial(q):
            return found is not None and found.rule.endswith("-before")
        if found is not None:
            return True
        return self.n_words(q) >= self.t["standalone_min_words"] and not self._is_title(q)

    def _in_headline(self, q: Quotation) -> bool:
        """Quoted words in a title-cased line (a headline or subheading) are not reported speech."""
        lo = self.text.rfind("\n", 0, q.opens) + 1
        hi = _paragraph_end(self.text, q.closes)
        if hi - lo > 200:
            return False
        words = [
            w
            for w in _WORD.findall(self.text[lo:hi])
            if w.lower() not in self.v.function_words and w[0].isalpha()
        ]
        return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)

    def _is_title(self, q: Quotation) -> bool:
        """A work's name: after 'titled' or 'dubbed', title-cased words next to a cue such as
        'report' or 'show', or a short run of capitalised words standing alone."""
        words = _WORD.findall(self.text[q.start : q.end])
        caps = sum(1 for w in words if w[0].isupper())
        before = self.text[max(0, q.opens - 40) : q.opens].lower().split()
        last = before[-1].strip(",.:") if before else ""
        if last in self.v.naming_verbs:
            return True
        after = self.text[q.closes : q.closes + 25].lower().split()
        cue = last in self.v.work_cues or bool(after) and after[0].strip(",.:") in self.v.work_cues
        if cue and 2 * caps >= len(words):
            return True
        return len(words) <= 6 and caps == len(words) and self.text[q.end - 1] not in ".?!,"

    def _modifies_noun(self, q: Quotation) -> bool:
        """'a "super-gap" product': the quoted words are part of a noun phrase."""
        if self.n_words(q) > 3 or self.text[q.end - 1] in ".,?!;:":
            return False
        m = _NEXT_WORD.match(self.text, q.closes, q.closes + 30)
        return (
            bool(m)
            and m.group(1) not in self.v.not_nouns
            and not self.v.verbs.fullmatch(m.group(1))
        )

    # -- attribution ------------------------------------------------------------------------------

    @property
    def boundaries(self) -> tuple[list[int], list[int]]:
        """Where sentences end and the next ones start, outside quotations; found once."""
        if self._bounds is None:
            ends, starts = [], []
            text, abbreviations = self.m, self.v.abbreviations
            for m in _SENT_END.finditer(text):
                i = m.start()
                if text[i] != "." or not _is_abbreviation(text, i, abbreviations):
                    ends.append(i + 1)
                    starts.append(m.end())
            self._bounds = (ends, starts)
        return self._bounds

    def sentence_start(self, pos: int) -> int:
        """Start of the sentence holding `pos`, at most a window back."""
        starts = self.boundaries[1]
        k = bisect_right(starts, pos) - 1
        return max(starts[k] if k >= 0 else 0, pos - self.t["window_chars"], 0)

    def sentence_end(self, pos: int) -> int:
        """End of the sentence holding `pos`, at most a window ahead."""
        ends = self.boundaries[0]
        k = bisect_left(ends, pos + 1)
        return min(ends[k] if k < len(ends) else len(self.m), pos + self.t["window_chars"])

    def attribute(self, q: Quotation) -> Speaker | None:
        """The speaker named right after the quotation, else before it in the same sentence, else
        in the paragraph that introduces a quoted paragraph."""
        for (_, e), (s, _) in zip(q.pieces, q.pieces[1:]):
            inner = Quotation(pieces=[(0, e)], opens=0, closes=self._closing_end(e))
            found = self._after(inner, limit=s)
            if found:
                return found
        after = self._after(q)
        before = self._before(q)
        if after and before:
            # the one closer to the quotation marks wins
            gap_after = after.start - q.closes
            gap_before = q.opens - before.start
            return after if gap_after <= gap_before or before.kind == "unnamed" else before
        found = after or before
        if found is None and _opens_paragraph(self.m, q.opens) and not self._has_own_verb(q):
            found = self._introduced(q)
        return found

    def _closing_end(self, e: int) -> int:
        """Offset just past the closing mark(s) after a piece ending at `e`."""
        m = _CLOSING_MARK.match(self.text, e, e + 2)
        return m.end() if m else e

    def _after(self, q: Quotation, limit: int | None = None) -> Speaker | None:
        end = self.sentence_end(q.closes)
        if limit is not None:
            end = min(end, limit)
        nxt = self.m.find("\n", q.closes)
        if 0 <= nxt < end:
            end = nxt
        # stop before the next quotation in the sentence, reading past a short quoted aside
        # such as a nickname or the name of a show
        for other in self._asides_and_quotes:
            if q.closes <= other.opens < end and not self._is_aside(other):
                end = other.opens
                break
        post = self.m[q.closes : end]
        if not post.strip():
            return None
        dash = self.v.dash_name.match(post)
        if dash:
            name = self.clean_name(dash.group(1))
            if name:
                return Speaker("name", name, q.closes + dash.start(1), "quote/dash-name")
        lead = _LEADING_PUNCTUATION.match(post).end()
        if lead == 0 and post[:1].isalnum():
            return None  # the sentence goes on ("...," which ...)
        new_sentence = self.text[q.end - 1] == "." and post[lead : lead + 1].isupper()
        for m in self.v.verbs.finditer(post):
            head = post[lead : m.start()]
            if head.split()[:1] and head.split()[0] in self.v.function_words:
                return None  # "..." when Clinton blasted him: another clause, not the attribution
            if new_sentence and _REPORTED_CLAUSE.search(post, m.end()):
                return None  # '..."." A spokesperson said members would meet.': news of its own
            if not head.strip():
                sp = self._subject_after(q.closes + m.end(), end)
                if sp:
                    sp.rule = "quote/said-after-inverted"
                return sp
            sp = self._subject_before(q.closes + lead, q.closes + m.start())
            if sp:
                sp.rule = "quote/said-after"
                return sp
            return None
        m = self.v.nominal.search(post)
        if m and not post[lead : m.start()].strip(" ,"):
            sp = self._subject_after(q.closes + m.end(), end)
            if sp:
                sp.rule = "quote/according-to-after"
            return sp
        return None

    def _before(self, q: Quotation) -> Speaker | None:
        start = self.sentence_start(q.opens)
        pre = self.m[start : q.opens]
        if "\n" in pre:
            start += pre.rfind("\n") + 1
            pre = self.m[start : q.opens]
        verbs = list(self.v.verbs.finditer(pre))
        nom = list(self.v.nominal.finditer(pre))
        if nom and (not verbs or nom[-1].start() > verbs[-1].start()):
            m = nom[-1]
            sp = self._subject_after(start + m.end(), q.opens)
            if sp:
                sp.rule = "quote/according-to-before"
            return sp
        for m in reversed(verbs):
            form = m.group().lower()
            if (
                _SUBORDINATE.search(pre, 0, m.start())
                and m.start() > 0
                and any(v.start() < m.start() for v in verbs)
            ):
                continue  # "Ruiz put it this way when I asked him: ..." - not the asking
            if form in self.v.participles and not _GERUND_AFTER.search(pre, 0, m.start()):
                # "footage of Trump saying" names the speaker right before; "..., saying" means
                # the subject of the clause
                sp = (
                    None
                    if pre[: m.start()].rstrip().endswith(",")
                    else self._noun_phrase_ending(start, start + m.start())
                )
                if sp is None or sp.kind not in ("name", "org"):
                    sp = self._sentence_subject(start, start + m.start())
            else:
                sp = self._subject_before(start, start + m.start())
            if sp is None and _SHORT_NAME_INTRO.fullmatch(self.m, start + m.end(), q.opens):
                sp = self._subject_after(start + m.end(), q.opens)  # "Said Ellis: ..."
            if (
                sp is None
                and self.text[q.start].isupper()
                and not self.m[start + m.end() : q.opens].strip(" ,:")
            ):
                # the verb introduces the quote but its subject is no name: "protesters chanted"
                sp = Speaker("unnamed", None, start + m.start(), "")
            if sp:
                sp.rule = "quote/said-before"
                return sp
        m = _COLON_END.search(pre)
        if m:
            sp = self._sentence_subject(start, start + m.start())
            if sp:
                sp.rule = "quote/colon-before"
            return sp
        return None

    def _has_own_verb(self, q: Quotation) -> bool:
        """Whether the quotation's paragraph holds a speech verb outside the quotation."""
        return bool(self.v.verbs.search(self.m, q.closes, _paragraph_end(self.m, q.closes)))

    def _introduced(self, q: Quotation) -> Speaker | None:
        """The speaker of a quoted paragraph with no attribution of its own, from the paragraph
        that introduces it ("Wu told journalists that ...")."""
        j = self.m.rfind("\n", 0, q.opens)
        if j <= 0:
            return None
        prev_end = _rstrip(self.m, j)
        k = self.m.rfind("\n", 0, prev_end)
        prev_start = k + 1
        para = self.m[prev_start:prev_end]
        if not para or para.lstrip()[:1] in "“\"'‘":
            return None
        start = self.sentence_start(prev_end - 1)
        start = max(start, prev_start)
        sent = self.m[start:prev_end]
        for m in reversed(list(self.v.verbs.finditer(sent))):
            sp = self._subject_before(start, start + m.start())
            if sp:
                sp.rule = "quote/introduced"
                return sp
        if sent.rstrip().endswith(":"):
            sp = self._sentence_subject(start, prev_end)
            if sp:
                sp.rule = "quote/introduced"
            return sp
        return None

    # -- speaker phrases ---------------------------------------------------------------------------

    def _subject_before(self, lo: int, hi: int) -> Speaker | None:
        """The speaker standing right before a speech verb at `hi` (its subject)."""
        seg = self.m[lo:hi]
        # drop adverbs and auxiliaries between subject and verb: "he has long argued"
        words = seg.rstrip()
        while words:
            low = words.lower()
            lead = next(
                (
                    p
                    for p in self.v.lead_ins
                    if low.endswith(p) and low[-len(p) - 1 : -len(p)] in ("", " ")
                ),
                "",
            )
            if lead:
                words = words[: -len(lead)].rstrip()
                continue
            last = low[low.rfind(" ") + 1 :]
            if last not in self.v.adverbs:
                break
            words = words[: -len(last)].rstrip()
        if _COORDINATION.search(words):
            # "He declined to name customers but said": the subject of the first verb
            return self._sentence_subject(lo, lo + len(words))
        # a party or place in brackets after a name: "Sen. Claire McCaskill (D-Mo.) said"
        if words.endswith(")"):
            words = _BRACKET_END.sub("", words)
        end = lo + len(words)
        if not words.strip():
            return None
        tail = words.rstrip()
        if tail.endswith(","):
            return self._subject_with_apposition(lo, lo + len(tail) - 1)
        return self._noun_phrase_ending(lo, end)

    def _subject_with_apposition(self, lo: int, comma: int) -> Speaker | None:
        """ "Robin Zeng, CATL's chairman, said" and "CATL's chairman, Robin Zeng, said"."""
        seg = self.m[lo:comma]
        opener = seg.rfind(",")
        if opener < 0:
            return self._noun_phrase_ending(lo, comma)
        inner_lo = lo + opener + 1
        inner = self.m[inner_lo:comma].strip()
        name = self._pure_name(_BRACKET_END.sub("", inner))
        if name:
            start = inner_lo + self.m[inner_lo:comma].find(inner)
            return Speaker("name", name, start, "")
        if not _PREPOSITION.search(inner):
            # "his niece, state Del. Marcia Price (D-Va.), said": a titled name between the commas
            bracket = _BRACKET_END.search(self.m, inner_lo, comma)
            sp = self._noun_phrase_ending(inner_lo, bracket.start() if bracket else comma)
            if sp is not None and sp.kind == "name":
                return sp
        # an appositive describing the speaker: look before it, skipping further appositive pieces
        hi = lo + opener
        while True:
            bracket = _BRACKET_END.search(self.m[lo:hi])
            if bracket:
                hi = lo + bracket.start()
            sp = self._noun_phrase_ending(lo, hi)
            if sp:
                return sp
            prev = self.m[lo:hi].rfind(",")
            if prev < 0:
                return None
            hi = lo + prev

    def _pure_name(self, s: str) -> str | None:
        """The name when `s` is nothing but a (titled) name: "Chuck Thelen", "Mr. King"."""
        m = self.v.name_run.fullmatch(s)
        if not m:
            return None
        return self.clean_name(s)

    def _noun_phrase_ending(self, lo: int, hi: int) -> Speaker | None:
        """The speaker at the end of text[lo:hi]: a pronoun, a name, 'the company', 'a BYD
        spokesperson'."""
        seg = self.m[lo:hi].rstrip()
        if not seg:
            return None
        hi = lo + len(seg)
        m = _LAST_WORD.search(seg)
        last = m.group(1) if m else ""
        low = last.lower()
        if low in self.v.pronouns and (len(seg) == len(last) or not seg[-len(last) - 1].isalnum()):
            return Speaker("pronoun", low, hi - len(last), "")
        run = None
        for r in self.v.name_run.finditer(seg):
            if r.end() == len(seg) or r.end() == len(seg.rstrip(".")):
                run = r
        if run is not None:
            name = self.clean_name(run.group())
            if name:
                start = lo + run.start()
                if self._is_org(name, start, start + len(run.group())):
                    return Speaker("org", self.org_name(name, start), start, "")
                return Speaker("name", name, start, "")
        # a role noun phrase: "a BYD spokesperson", "the company", "one executive at a rival maker"
        np = _ROLE_PHRASE_END.search(seg)
        if np:
            return self._role_phrase(np.group(1), lo + np.start(1))
        if self._is_role(low):  # "Analysts said", "ministers said"
            return Speaker("unnamed", None, hi - len(last), "")
        return None

    def _role_phrase(self, phrase: str, start: int) -> Speaker | None:
        """A speaker named by role: 'a BYD spokesperson' (BYD), 'the company' (to resolve),
        'one executive at a rival maker' (nobody named)."""
        phrase = _ROLE_PHRASE_CUT.split(phrase, maxsplit=1)[0]
        words = phrase.split()
        head = _NOT_WORD_CHARS.sub("", words[-1].lower()) if words else ""
        det = words[0].lower()
        caps = self.v.name_run.search(phrase)
        if head in self.v.org_voice and caps:
            name = self.clean_name(caps.group())
            if name:
                return Speaker("org", self.org_name(name, start + caps.start()), start, "")
        if head in self.v.org_nouns and caps:
            # "the United Auto Workers union": the organisation is named in the phrase
            name = self.clean_name(caps.group())
            if name:
                return Speaker("org", self.org_name(name, start + caps.start()), start, "")
        if head in self.v.org_nouns and det in ("the", "its"):
            return Speaker("anaphor", head, start, "")
        if head in self.v.person_nouns or head in self.v.org_voice:
            return Speaker("unnamed", None, start, "")
        return None

    def _subject_after(self, lo: int, hi: int) -> Speaker | None:
        """The speaker right after an inverted verb: 'said CATL chairman Robin Zeng, ...'."""
        seg = self.m[lo:hi]
        cut = len(seg)
        for stop in _PHRASE_STOP.finditer(seg):
            if stop.group() != "." or not _is_abbreviation(seg, stop.start(), self.v.abbreviations):
                cut = stop.start()
                break
        phrase = seg[:cut]
        words = phrase.strip()
        if not words:
            return None
        start = lo + seg.find(words)
        low = words.lower()
        if low in self.v.pronouns:
            return Speaker("pronoun", low, start, "")
        runs = list(self.v.name_run.finditer(words))
        if runs:
            r = runs[-1]
            name = self.clean_name(r.group())
            if name and not words[r.end() :].strip():
                if self._is_org(name, start + r.start(), start + r.end()):
                    return Speaker(
                        "org", self.org_name(name, start + r.start()), start + r.start(), ""
                    )
                return Speaker("name", name, start + r.start(), "")
        role = self._role_phrase(words, start)
        if role is not None and role.kind == "unnamed" and seg[cut : cut + 1] == ",":
            # "said the company's chief executive, Lena Frisk."
            named = _NAME_AFTER_COMMA.match(seg, cut)
            name = self._pure_name(named.group(1)) if named else None
            if name:
                return Speaker("name", name, lo + named.start(1), "")
        return role

    def _sentence_subject(self, lo: int, hi: int) -> Speaker | None:
        """The subject of the clause before a colon or a participle: the last name, pronoun or
        role phrase followed by a finite verb ('President Obama is rolling out a message: ...')."""
        seg = self.m[lo:hi]
        best: Speaker | None = None
        for p in _PLAIN_WORD.finditer(seg):
            low = p.group(1).lower()
            if (
                low in self.v.pronouns
                and _FINITE.match(seg, p.end())
                and (low != "i" or p.group(1) == "I")
            ):
                best = Speaker("pronoun", low, lo + p.start(), "")
        for r in self.v.name_run.finditer(seg):
            appos = _APPOSITION.match(seg, r.end())
            if (_FINITE.match(seg, r.end()) or appos and _FINITE.match(seg, appos.end())) and (
                best is None or lo + r.start() > best.start
            ):
                name = self.clean_name(r.group())
                if name:
                    start = lo + r.start()
                    kind = "org" if self._is_org(name, start, start + len(r.group())) else "name"
                    best = Speaker(
                        kind, self.org_name(name, start) if kind == "org" else name, start, ""
                    )
        if best is None:
            np = _ROLE_SUBJECT.search(seg)
            if np:
                return self._role_phrase(np.group(1), lo + np.start(1))
        return best

    # -- names ----------------------------------------------------------------------------------

    def clean_name(self, run: str) -> str | None:
        """A capitalised run without the titles before the name ('Ford CEO Jim Farley' -> 'Jim
        Farley'), or None where it is no one's name (a role, a weekday, a pronoun)."""
        tokens = run.split()
        while tokens and (
            tokens[0].lower() in self.v.function_words or tokens[0].lower() in ("the", "a", "an")
        ):
            tokens = tokens[1:]
        if any(t.rstrip(".") in self.v.calendar for t in tokens):
            return None
        courtesy = bool(tokens) and _COURTESY.match(tokens[0] + " ") is not None
        cut = 0
        for i, tok in enumerate(tokens[:-1]):
            if tok.lower() in self.v.titles or tok.lower().rstrip(".") + "." in self.v.honorifics:
                cut = i + 1
        rest = tokens[cut:]
        if not rest:
            return None
        name = " ".join(rest)
        if (
            name.endswith(".")
            and rest[-1].lower() not in self.v.suffixes
            and not _INITIAL.fullmatch(rest[-1])
        ):
            name = name[:-1]
        low = name.lower()
        if (self._is_role(low) and not courtesy) or low in self.v.pronouns:
            return None  # "Ministers", "Analysts": a role, not a name
        if len(rest) == 1 and (
            rest[0].lower() in self.v.adverbs
            or rest[0].lower()
            in ("the", "a", "an", "this", "that", "but", "and", "so", "in", "on", "at", "as")
        ):
            return None
        return name

    def _is_role(self, word: str) -> bool:
        """A job or kind of person ('analyst', 'ministers') rather than a name."""
        return word in self.v.roles or (word.endswith("s") and word[:-1] in self.v.roles)

    def _is_org(self, name: str, start: int, end: int) -> bool:
        if self._company_at(start, end):
            return True
        tokens = name.split()
        if any(t.lower().strip(".,") in self.v.org_words for t in tokens):
            return True
        return len(tokens) == 1 and len(name) > 1 and name.isupper()

    def _company_at(self, start: int, end: int) -> tuple | None:
        for c in self.companies:
            if c[0] < end and start < c[1]:
                return c
            if c[0] >= end:
                break
        return None

    def org_name(self, name: str, start: int) -> str:
        """The canonical company name where the companies component found one here."""
        c = self._company_at(start, start + len(name))
        return c[2] if c else name

    def names_with(self, word: str) -> list[tuple[int, str]]:
        """The capitalised runs around each use of `word`, without their titles, as (start,
        name); found once per word."""
        if word in self._runs:
            return self._runs[word]
        out = []
        text, n = self.m, len(word)
        i = text.find(word)
        while i >= 0:
            if (i == 0 or not text[i - 1].isalnum()) and not text[i + n : i + n + 1].isalnum():
                start = self._run_start(i)
                r = self.v.name_run.match(text, start)
                if r and r.end() >= i + n:
                    name = self.clean_name(r.group())
                    if name:
                        out.append((start, name))
            i = text.find(word, i + n)
        self._runs[word] = out
        return out

    def _run_start(self, i: int) -> int:
        """Where the capitalised run holding offset `i` begins (up to four words back)."""
        start = i
        for _ in range(4):
            j = start - 1
            if j < 1 or self.m[j] != " ":
                break
            lo = max(0, j - 30)
            k = max(self.m.rfind(" ", lo, j), self.m.rfind("\n", lo, j)) + 1
            word = self.m[k:j]
            if (
                not word
                or not (word[0].isupper() or word in self.v.particles)
                or not word.rstrip(".").replace("-", "").isalpha()
            ):
                break
            start = k
        return start

    def fullest(self, name: str) -> str:
        """The fullest form of `name` in the article: 'Farley' -> 'Jim Farley', 'Mr. King' ->
        'Larry King', 'Choi' -> 'Choi Yoon-ho'."""
        if name in self._names:
            return self._names[name]
        core = [t for t in name.split() if t.lower() not in self.v.honorifics] or name.split()
        best = " ".join(core)
        if len(core) <= 2:
            counts: dict[str, int] = {}
            first: dict[str, int] = {}
            bare = -1
            n = len(core)
            for start, full in self.names_with(core[-1] if n == 1 else core[0]):
                toks = full.split()
                if toks == core and bare < 0:
                    bare = start
                if not n < len(toks) <= 4 or (toks[-n:] != core and toks[:n] != core):
                    continue
                if any(t.lower() in self.v.org_words for t in toks[n:] + toks[:-n]):
                    continue
                counts[full] = counts.get(full, 0) + 1
                first.setdefault(full, start)
            # 'Choi Yoon-ho' for 'Choi' only where the full form comes first, not 'Northvolt Ett'
            counts = {
                f: c
                for f, c in counts.items()
                if f.split()[-n:] == core or bare < 0 or first[f] < bare
            }
            if counts:
                ranked = sorted(
                    counts,
                    key=lambda f: (f.split()[-n:] == core, counts[f], -first[f]),
                    reverse=True,
                )
                # two people share the surname ("Ann Lee", "Bo Lee"): only a clear favourite
                rivals = [
                    f for f in ranked[1:] if not f.endswith(ranked[0]) and not ranked[0].endswith(f)
                ]
                if not rivals or counts[ranked[0]] >= 2 * counts[rivals[0]]:
                    best = ranked[0]
        self._names[name] = best
        return best

    def resolve(self, found: Speaker | None) -> tuple[str | None, str]:
        """The speaker's fullest name, and the rule that found it."""
        if found is None:
            return None, "quote/unattributed"
        if found.kind == "name":
            full = self.fullest(found.text or "")
            # the article's own courtesy title stays: "Mr. Alexander" is "Mr. Lamar Alexander"
            h = _COURTESY.match(self.m, found.start) if self.v.keep_courtesy else None
            return (f"{h.group().strip()} {full}" if h else full), found.rule
        if found.kind == "org":
            return self.fullest_org(found.text or ""), found.rule
        if found.kind == "unnamed":
            return None, found.rule
        if found.kind == "pronoun":
            return self.antecedent(found.start, found.text or ""), found.rule + "/pronoun"
        if found.kind == "anaphor":
            return self.org_antecedent(found.start, found.text or ""), found.rule + "/anaphor"
        return None, found.rule

    def fullest_org(self, name: str) -> str:
        """'LGES' -> 'LG Energy Solution' and 'Rio' -> 'Rio Tinto' where the article spells the name
        out before using the short form."""
        if len(name.split()) != 1:
            return name
        if name.isupper() and 2 <= len(name) <= 6:
            for r in self.v.name_run.finditer(self.m):
                toks = r.group().split()
                if len(toks) > 1 and "".join(t if t.isupper() else t[0] for t in toks) == name:
                    return self.clean_name(r.group()) or name
            return name
        return self.fullest(name)

    def antecedent(self, pos: int, pronoun: str) -> str | None:
        """The person (or organisation, for 'it') a pronoun speaker refers to: the latest one named
        before it as a speaker, with an appositive, or by role ('one engineer'). Read back a
        stretch at a time, since the antecedent is nearly always close."""
        want = self.v.pronouns.get(pronoun, "any")
        if want == "none":
            return None
        gender = _GENDER.get(pronoun)
        lo = max(0, pos - self.t["pronoun_lookback_chars"])
        hi = pos
        while hi > lo:
            a = max(lo, hi - _LOOKBACK_STEP)
            found: list[tuple[int, str | None]] = []
            for m in self.v.verbs.finditer(self.m, a, hi):
                sp = self._verb_subject(m.start())
                cand = self._mention(sp, want) if sp else False
                if cand is not False and sp and sp.start >= a:
                    found.append((sp.start, cand))
            if want != "org":
                found += self.person_mentions(a, hi)
            for _, who in sorted(found, key=lambda x: x[0], reverse=True):
                # "he" after a woman was named: skip her for the man named before
                if gender and who and self._genders.setdefault(who, gender) != gender:
                    continue
                return who
            hi = a
        return self.org_antecedent(pos, "company") if want == "org" else None

    def _verb_subject(self, verb: int) -> Speaker | None:
        """The subject of the speech verb at `verb`, worked out once per verb."""
        if verb not in self._subjects:
            s0 = max(self.sentence_start(verb), self.m.rfind("\n", 0, verb) + 1)
            self._subjects[verb] = self._subject_before(s0, verb)
        return self._subjects[verb]

    def _mention(self, sp: Speaker, want: str) -> str | None | bool:
        """A candidate antecedent from a speaker phrase, or False when it cannot be one."""
        if sp.kind == "name" and want in ("person", "any"):
            return self.fullest(sp.text or "")
        if sp.kind == "org" and want in ("org", "any"):
            return self.fullest_org(sp.text or "")
        if sp.kind == "name" and want == "org" and len((sp.text or "").split()) == 1:
            return self.fullest_org(sp.text or "")  # "Volkswagen said ... it said"
        if sp.kind == "unnamed" and want in ("person", "any"):
            return None
        return False

    def person_mentions(self, lo: int, hi: int) -> list[tuple[int, str | None]]:
        """People introduced in text[lo:hi] by an appositive ('Marta Kowalczyk, a senior analyst')
        or only by role ('one engineer')."""
        out: list[tuple[int, str | None]] = []
        for m in self.v.appositive.finditer(self.m, lo, hi):
            start = self._run_start(self.m.rfind(" ", max(0, m.start() - 40), m.start()) + 1)
            r = self.v.name_run.fullmatch(self.m, start, m.start())
            name = self.clean_name(r.group()) if r else None
            if name and not self._is_org(name, start, m.start()):
                out.append((start, self.fullest(name)))
        starts = self.boundaries[1]
        for at in [lo] + starts[bisect_left(starts, lo) : bisect_left(starts, hi)]:
            # a personal name as the subject of a sentence: "Tomas Varga runs the plant."
            r = self.v.name_run.match(self.m, at)
            name = self.clean_name(r.group()) if r and _FINITE.match(self.m, r.end()) else None
            if name and not self._is_org(name, at, r.end()) and not _HAS_ACRONYM.search(name):
                full = self.fullest(name)
                if " " in full:
                    out.append((at, full))
        for m in _COURTESY_NAME.finditer(self.m, lo, hi):  # "Mr Kanda", "Ms. Ortiz"
            r = self.v.name_run.match(self.m, m.start())
            name = self.clean_name(r.group()) if r else None
            if name:
                full = self.fullest(name)
                self._genders.setdefault(full, _GENDER[m.group(1).lower()])
                out.append((m.start(), full))
        for m in self.v.someone.finditer(self.m, lo, hi):
            if not self.m[max(0, m.start() - 2) : m.start()].strip().endswith(","):
                out.append((m.start(), None))  # "one engineer", not an appositive
        return out

    def org_antecedent(self, pos: int, noun: str) -> str | None:
        """'the company said' refers to the company named most recently before; 'the agency said'
        to the latest organisation that is not a company."""
        lo = max(0, pos - self.t["pronoun_lookback_chars"])
        want_company = self.v.org_nouns.get(noun) == "company"
        best = None
        for c in self.companies:
            if lo <= c[0] < pos and (c[3] == "company") == want_company:
                best = c[2]
        if best:
            return best
        for r in self.v.name_run.finditer(self.m, lo, pos):
            start = r.start()
            company = self._company_at(start, r.end())
            if company is not None and not want_company:
                continue
            name = self.clean_name(r.group())
            if not name:
                continue
            after_possessive = _POSSESSIVE_END.search(self.m, max(0, start - 4), start)
            # a one-word subject with no fuller personal name in the article: "Volkswagen posted"
            lone_subject = (
                " " not in name
                and self.sentence_start(start) == start
                and _FINITE.match(self.m, r.end())
                and self.fullest(name) == name
            )
            if after_possessive or lone_subject or self._is_org(name, start, r.end()):
                best = company[2] if company else name
        return best

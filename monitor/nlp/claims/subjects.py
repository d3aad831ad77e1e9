"""Whom a figure is about, from the sentence that states it: a company, a country or region, a
technology or a material, never a source ("according to X") or an employer ("a former X
executive"); "the company", "it" and a sentence naming no one take the subject carried from before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from monitor.nlp.claims.lexicon import ANAPHOR, PRONOUN, SUBJECT, ClaimLexicon
from monitor.nlp.claims.reading import SentenceReading

# how strongly a kind of candidate claims a figure: lower wins, then the left side, then nearness
RANKS = {"company": 0, "technology": 1, "material": 1, "place": 2, "world": 3, "scope": 4}
DETERMINERS = frozenset({"the", "its", "our", "their", "this", "that"})
DEFINITE = frozenset({"the", "this", "that"})  # what opens a description of a company named before
WORD = re.compile(r"\S+")
# how many words a description naming a sector may hold before its noun: "the world's second
# largest lithium producer"
DESCRIPTION_WORDS = 5


class Candidate(NamedTuple):
    start: int
    end: int
    name: str | None  # None: an anaphor, resolved to the company carried from before
    kind: str  # a key of RANKS, or "pronoun"
    possessive: bool = False  # followed by "'s"
    quoted: bool = False  # inside a quote: the speaker's words, not the article's
    described: bool = False  # a description naming the company's sector: "the Chinese carmaker"


SectorOwner = Callable[[int, int, str], "str | None"]  # (start, end, sector) -> the company


def sentence_owners(lexicon: ClaimLexicon, text: str, reading: SentenceReading,
                    of_sector: SectorOwner | None = None) -> list[Candidate]:
    """Every possible owner a sentence names that is not a source or an employer; a definite
    description naming a sector ("the Korean carmaker") names the company that
    `of_sector(start, end, sector)` says it stands for, where it says one."""
    found = [Candidate(c.start, c.end, c.name, "company", is_possessive(text, c.end), reading.is_quoted(c.start))
             for c in reading.companies if not reading.is_blocked(c.start, c.end)]
    taken = [(c.start, c.end) for c in found]
    for term in reading.terms:
        roles = term.roles
        subject = roles.get(SUBJECT)
        if subject is None and ANAPHOR not in roles and PRONOUN not in roles:
            continue
        if reading.is_blocked(term.start, term.end):
            continue
        if taken and any(s <= term.start and term.end <= e for s, e in taken):
            continue  # "China" inside "Bank of China"
        quoted = reading.is_quoted(term.start)
        if subject is not None:
            kind = subject.kind
            if kind == "place" and after_preposition(lexicon, text, reading.start, term.start):
                kind = "scope"
            found.append(Candidate(term.start, term.end, subject.value, kind, is_possessive(text, term.end), quoted))
        elif ANAPHOR in roles:
            described = described_company(lexicon, text, reading, term.start, term.end, of_sector)
            if described is not None:
                opener, name = described
                # the words of the description are no owners: "the Japanese automaker"
                found = [c for c in found if not opener <= c.start < term.start]
                found.append(Candidate(opener, term.end, name, "company", False, quoted, True))
            elif roles[ANAPHOR].kind != "sector" and follows_determiner(
                    text, reading.start, term.start):
                found.append(Candidate(term.start, term.end, None, "company", False, quoted))
        else:
            found.append(Candidate(term.start, term.end, None, "pronoun", False, quoted))
    return found


def candidates(owners: list[Candidate], quoted_figure: bool, start: int, end: int) -> list[Candidate]:
    """The owners of a sentence that may own its figure text[start:end]: not inside it, and not
    inside a quote unless the figure is quoted itself."""
    return [c for c in owners if not (start <= c.start < end) and (quoted_figure or not c.quoted)]


def choose(found: list[Candidate], reading: SentenceReading, start: int, end: int,
           figures: list[int] = ()) -> Candidate | None:
    """The owner of text[start:end], looked for clause by clause: before it in its own clause,
    after it in its own clause, in the sentence's first clause (its grammatical subject, past an
    aside: "BYD, which sold ..., came second with 17.2%"), in the clauses between, in the clause
    after it, and last a place that only narrows it ("in China"). Within a step the strongest kind
    wins, then the nearest. A name after the figure that another figure follows is that figure's
    ("777.1 billion yuan, ahead of Tesla's $97.7 billion"), and "it" after the figure is never its
    owner. A technology yields to a company named before it in the sentence: a company's product
    is the company's."""
    clause = reading.clause(start, end)
    first = reading.clause(reading.start, reading.start)
    after = reading.clause(clause[1] + 1, clause[1] + 1) if clause[1] < reading.end else None
    best, best_key = None, None
    for c in found:
        if c.end <= start:
            distance = start - c.end
            if c.start >= clause[0]:
                tier = 0
            elif first[0] <= c.start and c.end <= first[1]:
                tier = 2
            else:
                tier = 3
        elif c.start >= end:
            if c.name is None or any(c.end <= f < reading.clause(c.start, c.end)[1] for f in figures):
                continue
            distance = c.start - end
            if c.end <= clause[1]:
                tier = 1
            elif after is not None and c.end <= after[1]:
                if any(o.name is None and clause[1] <= o.start < c.start for o in found):
                    continue  # "..., leaving the company behind Tesla": the clause is about "the company"
                tier = 4
            else:
                continue
        else:
            continue
        rank = RANKS["company"] if c.kind == "pronoun" else RANKS[c.kind]
        if c.kind == "scope" and tier != 0:
            tier = 5
        key = (tier, rank, distance)
        if best_key is None or key < best_key:
            best, best_key = c, key
    if best is not None and best_key[0] == 0 and any(best.end <= f < start for f in figures):
        # "it supplied 339.3 GWh of the 894.4 GWh fitted worldwide": the owner of the part, the
        # world the whole's
        world = [c for c in found if c.kind == "world" and end <= c.start < clause[1]
                 and not any(end <= f < c.start for f in figures)]
        if world:
            return world[0]
    if best is not None and best.kind == "technology":
        owner = [c for c in found if c.kind == "company" and c.name is not None and c.end <= best.start]
        if owner:
            return owner[-1]
    return best


def owner_before(found: list[Candidate], position: int) -> Candidate | None:
    """What "it" or "the company" at `position` stands for within its sentence: the nearest name
    before it (a company first)."""
    named = [c for c in found if c.name is not None and c.end <= position and c.kind not in ("scope", "world")]
    if not named:
        return None
    companies = [c for c in named if c.kind == "company"]
    return max(companies or named, key=lambda c: c.end)


def leading(found: list[Candidate], reading: SentenceReading) -> Candidate | None:
    """The subject a sentence is about, for the sentences after it: the first named owner of its
    first clause that names one, past a possessor ("Volkswagen's battery company PowerCo" is
    about PowerCo)."""
    named = sorted((c for c in found if c.name is not None and c.kind not in ("scope", "world")),
                   key=lambda c: c.start)
    if not named:
        return None
    clause = reading.clause(named[0].start, named[0].end)
    named = [c for c in named if c.end <= clause[1]]
    strong = [c for c in named if RANKS[c.kind] <= 1] or named
    head = strong[0]
    for later in strong[1:]:
        if later.kind == head.kind and later.start - head.end <= 30 and head.possessive:
            head = later
        else:
            break
    return head


def after_preposition(lexicon: ClaimLexicon, text: str, sentence_start: int, start: int) -> bool:
    """Whether the words before `start` end with a scope preposition ("in China", "made in China")."""
    before = text[max(sentence_start, start - 12):start].split()
    if not before:
        return False
    return before[-1].lower() in lexicon.scope_prepositions or \
        " ".join(before[-2:]).lower() in lexicon.scope_prepositions


def follows_determiner(text: str, sentence_start: int, start: int) -> bool:
    """Whether "the" or "its" stands up to two words before `start` ("the Ningde-based company")."""
    before = text[max(sentence_start, start - 40):start].split()[-3:]
    return any(word.lower() in DETERMINERS for word in before)


def described_company(lexicon: ClaimLexicon, text: str, reading: SentenceReading, start: int,
                      end: int, of_sector: SectorOwner | None) -> tuple[int, str] | None:
    """Where a definite description ending in the noun text[start:end] opens, and the company it
    stands for, where it names a sector ("the world's biggest battery maker", "Japan's largest
    carmaker") and `of_sector` knows a company of it; none after a possessive determiner ("its
    battery maker" is another company), nor where the noun has a capital ("the World Bank")."""
    if of_sector is None or not text[start:end].islower():
        return None
    opener = description_opener(text, reading, start)
    if opener is None:
        return None
    sector = lexicon.sectors.named_by(text[opener.end():end])
    name = of_sector(start, end, sector) if sector is not None else None
    return (opener.start(), name) if name is not None else None


def description_opener(text: str, reading: SentenceReading, start: int) -> re.Match | None:
    """The last word of the few before `start` that opens a definite description: "the", "this",
    or a place's or the world's possessive ("Japan's largest carmaker")."""
    places = {t.start for t in reading.terms if (named := t.sense(SUBJECT)) is not None
              and named.kind in ("place", "world")}
    words = list(WORD.finditer(text, max(reading.start, start - 15 * DESCRIPTION_WORDS), start))
    for word in reversed(words[-DESCRIPTION_WORDS:]):
        if word.group().lower() in DEFINITE or (word.start() in places and is_possessive(
                text, word.end() - 2)):
            return word
    return None


def is_possessive(text: str, end: int) -> bool:
    return text.startswith(("'s", "’s"), end)

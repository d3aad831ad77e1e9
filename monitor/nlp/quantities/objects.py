"""What a percentage measures: the `object` of each % and pp claim, by cheap rules on its sentence.

The rules, in order: the phrase after the figure ("83% of the global capacity", "16% for cobalt"),
a noun linked to it ("a market share of 35%", "yields above 90%"), the noun after it ("35% nickel",
"a 9.6% share of the market"), the subject of the verb that moved by it ("Albemarle shares rose
3.2%"), what a verb changed by it ("cut prices by 34%"). Figures linked by "to", "from",
"compared with" share an object; charging verbs imply the charge; a figure with none of these in
its sentence measures what the paragraph's previous percentage did. Words come from
`rules/quantity_words.json`, read once by the quantities component.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from monitor.models import Claim

_WORD = re.compile(r"[^\W_][\w'’&/-]*(?:\.(?=\w)[\w'’&/-]*)*|[^\w\s]")
# one leading character class lets the regex engine skip ahead fast
_SENTENCE_END = re.compile(
    r"[.!?;\n](?:(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9$€£¥])|(?<=\n)|(?<=;)\s)"
)
# prepositions inside a noun phrase read backwards: "gross margin on car sales", "demand for cells",
# "utilisation across the industry"; "at" only before "the": "costs at the mine" (not "trades at
# a discount", "begin at yields")
_INNER_PREPOSITIONS = frozenset(("of", "in", "on", "for", "at", "across"))
# verbs before 'up'/'down'/'higher'/'lower' in a market report: "EcoPro BM closed down 8.9%",
# "Samsung SDI edged up 0.3%"
_SESSION_VERBS = frozenset(
    (
        "closed", "ended", "finished", "opened", "traded", "settled", "was", "were", "edged",
        "inched", "ticked", "moved", "crept", "drifted", "nudged", "went",
    )
)
_RELATIVES = frozenset(("which", "that"))
_ADVERBS_OF_DIRECTION = frozenset(("up", "down", "higher", "lower"))
_ADJECTIVE_ENDINGS = ("ive", "ous", "ful", "able", "ible", "ent", "ant", "ic", "al")
_TIME_PREPOSITIONS = frozenset(
    ("in", "during", "for", "over", "on", "at", "between", "since", "from")
)
FILLERS = frozenset(("to", "by", "from", "a", "an", "another", "further", "some"))
_LINK = re.compile(
    r"[\s,;]*(?:(?:up|down|rising|falling)\s+)?(?:to|from|and|or|versus|vs\.?|against|than|"
    r"compared\s+(?:with|to)|while|but)?[\s,]*(?:(?:only|just)\s+)?",
    re.IGNORECASE,
)
PERCENT_UNITS = ("%", "pp")


def looks_plural(word: str) -> bool:
    """A plural noun by its shape: 'vehicles', 'batteries', 'fishermen' (not 'process', 'bus')."""
    w = word.lower()
    if len(w) <= 3 or not w.replace("-", "").isalpha():
        return False
    return (w.endswith("s") and not w.endswith(("ss", "us", "is", "ous"))) or w.endswith("men")


@dataclass(frozen=True)
class ObjectWords:
    """The word lists the object rules read, from `rules/quantity_words.json`."""

    up: frozenset[str]
    down: frozenset[str]
    breaks: frozenset[str]  # words that end a noun phrase
    determiners: frozenset[str]
    possessives: frozenset[str]
    comparatives: frozenset[str]
    temporal: frozenset[str]
    auxiliaries: frozenset[str]
    measure_links: frozenset[str]
    scales: frozenset[str]
    numbers: frozenset[str]  # spelled numbers: "two years earlier" is no object
    implied: dict[str, str]

    @classmethod
    def from_rules(cls, words: dict) -> ObjectWords:
        up = frozenset(words["directions"]["up"])
        down = frozenset(words["directions"]["down"])
        return cls(
            up=up,
            down=down,
            breaks=frozenset(words["phrase_breaks"]) | up | down,
            determiners=frozenset(words["determiners"]),
            possessives=frozenset(words["possessives"]),
            comparatives=frozenset(words["comparatives"]),
            temporal=frozenset(words["temporal_words"]),
            auxiliaries=frozenset(words["auxiliaries"]),
            measure_links=frozenset(words["measure_links"]),
            scales=frozenset(w.lower() for w in words["scales"]),
            numbers=frozenset(w.lower() for w in words["numbers"]),
            implied=words["implied_objects"],
        )


def fill_objects(text: str, claims: list[Claim], words: ObjectWords) -> None:
    """Set `object` on every percentage and percentage-point claim where the sentence says it."""
    if any(c.unit in PERCENT_UNITS for c in claims):
        _Objects(text, words).fill(claims)


class PunctuationSentences:
    """Sentence starts found by punctuation, for the look-arounds of each figure."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
        self.length = len(text)

    def around(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, pos) - 1
        end = self.starts[i + 1] if i + 1 < len(self.starts) else self.length
        return self.starts[i], end


class _Objects:
    """The object rules over one text."""

    def __init__(self, text: str, words: ObjectWords) -> None:
        self.text = text
        self.w = words
        self.sentences = PunctuationSentences(text)
        self.measures: dict[int, str | None] = {}  # id(claim) -> the noun a figure is of
        self.inner = words.determiners | words.possessives | {"of", "in"}

    def fill(self, claims: list[Claim]) -> None:
        for c in claims:
            if c.unit in PERCENT_UNITS:
                c.object, self.measures[id(c)] = self.find(c, claims)
        self.share_across_links(claims)
        previous: Claim | None = None
        for c in claims:
            if c.unit not in PERCENT_UNITS:
                continue
            if c.object is None:
                c.object = self.implied(self.sentences.around(c.start)[0], c.start)
            if c.object is None and previous and "\n" not in self.text[previous.end : c.start]:
                c.object = previous.object  # "CATL extended its lead with 38.1%": still the share
            elif (
                c.rule == "percent-elided"
                and previous
                and c.object
                and c.object.lower() in previous.text.lower()
            ):
                # "rose by 3 percent in March and fell by 2": what the 3 percent is of
                c.object = previous.object
            previous = c if c.object else previous

    def find(self, c: Claim, claims: list[Claim]) -> tuple[str | None, str | None]:
        """(object, measure): the object as reported, and the noun the figure is of where stated."""
        s_start, s_end = self.sentences.around(c.start)
        measure = self.measure_before(s_start, c)
        found = self.of_phrase(c.end, s_end) or measure or self.noun_after(c.end, s_end)
        return found or self.moved(c, claims, s_start), measure

    def words(self, a: int, b: int) -> list[re.Match]:
        return list(_WORD.finditer(self.text, a, b))

    def span(self, first: re.Match, last: re.Match) -> str:
        return self.text[first.start() : last.end()]

    def is_temporal(self, words: list[re.Match]) -> bool:
        """Whether the words open with a time: 'the second quarter', '2025', 'May'."""
        for w in words:
            lw = w.group().lower()
            if lw in self.w.temporal or lw.isdigit():
                return True
            if lw not in self.w.determiners:
                return False
        return False

    def is_time_phrase(self, words: list[re.Match]) -> bool:
        """Whether the words up to the phrase's end say a time: 'a long time', '2025' (not
        'lithium and 6% ...')."""
        for w in words:
            lw = w.group().lower()
            if lw.isdigit() or lw in self.w.temporal:
                return True
            if not lw[0].isalpha() or lw in self.w.breaks:
                return False
        return False

    def is_nounish(self, w: re.Match) -> bool:
        s = w.group()
        ls = s.lower()
        return (
            s[0].isalpha()
            and ls not in self.w.breaks
            and ls not in self.inner
            and ls not in self.w.comparatives
            and ls not in self.w.temporal
            and ls not in self.w.numbers
        )

    def of_phrase(self, end: int, limit: int) -> str | None:
        """'83% of the entire global ... capacity', '16% for cobalt': the phrase a figure is of."""
        words = self.words(end, min(limit, end + 160))
        if not words or words[0].group().lower() not in ("of", "for"):
            return None
        if words[0].group().lower() == "for" and self.is_time_phrase(words[1:4]):
            return None  # "for a long time", "for the first time", "for 2025": when, not what
        last = None
        for i, w in enumerate(words[1:11], 1):
            lw = w.group().lower()
            if not w.group()[0].isalpha() or lw in self.w.breaks:
                break
            if lw == "in" and self.is_temporal(words[i + 1 : i + 4]):
                break
            if lw in ("this", "last", "next") and self.is_temporal(words[i + 1 : i + 2]):
                break  # "of their value this year"
            if last and looks_plural(words[last].group()) and lw not in _INNER_PREPOSITIONS:
                break  # "60% of its buyers chose swapping": a plural noun ends the phrase
            last = i
        while last is not None and words[last].group().lower() in self.inner:
            last = last - 1 if last > 1 else None
        return self.span(words[0], words[last]) if last else None

    def noun_after(self, end: int, limit: int) -> str | None:
        """'35% nickel', 'a 9.6% share of the market', '80% state of charge', '33% higher energy
        density', 'a 20% rise in sales'."""
        words = self.words(end, min(limit, end + 120))
        if not words:
            return None
        first = words[0].group().lower()
        compared = first in self.w.comparatives
        if not compared and (first in self.w.up or first in self.w.down) and len(words) > 2:
            if words[1].group().lower() == "in":  # "a 20% rise in sales"
                return self.noun_after(words[1].end(), limit)
            return None
        i = 1 if compared else 0
        picked: list[re.Match] = []
        while i < len(words) and len(picked) < 3 and self.is_nounish(words[i]):
            picked.append(words[i])
            i += 1
            if looks_plural(picked[-1].group()):
                break  # "60% yields burns cash": a plural noun ends the phrase
        if not picked:
            return None
        if compared and len(picked) == 1 and picked[0].group().lower().endswith(_ADJECTIVE_ENDINGS):
            return None  # "20% more expensive"
        of = self.of_phrase(picked[-1].end(), limit)
        end_at = picked[-1].end() + len(of) + 1 if of else picked[-1].end()
        return self.text[picked[0].start() : end_at]

    def measure_before(self, s_start: int, c: Claim) -> str | None:
        """'a market share of 35%', 'yields above 90%', 'the rate was 3.5%': the linked noun."""
        words = self.words(max(s_start, c.start - 120), c.start)
        lead = _WORD.match(self.text, c.start)
        if lead and lead.group().lower() in self.w.measure_links:
            # the approximator is the link: "yields above 90%", "the rate was reportedly above 20%"
            while len(words) > 1 and (
                words[-1].group().lower().endswith("ly")
                or words[-1].group().lower() in self.w.measure_links
            ):
                words = words[:-1]
            return self.phrase_before(words)
        if len(words) < 2 or words[-1].group().lower() not in self.w.measure_links:
            return None
        return self.phrase_before(words[:-1], compound=words[-1].group().lower() == "of")

    def phrase_before(self, words: list[re.Match], compound: bool = False) -> str | None:
        """The noun phrase that ends with the last of `words`, read backwards. Where `compound`
        (the phrase is followed by 'of'), a noun before a word of change makes the pair a noun:
        "(demand) price cuts of 10-15%"."""
        words = self.drop_temporal_tail(words)
        picked: list[re.Match] = []
        i = len(words) - 1
        if compound and i > 0:
            head, before = words[i].group().lower(), words[i - 1]
            if (head in self.w.up or head in self.w.down) and self.is_nounish(before):
                return self.span(before, words[i])
        while i >= 0 and len(picked) < 8:
            w = words[i]
            lw = w.group().lower()
            before = words[i - 1].group().lower() if i > 0 else ""
            if lw in self.w.possessives:
                picked.append(w)
                break
            if lw in self.w.determiners and not (before in _INNER_PREPOSITIONS and picked):
                break
            in_name = lw.isdigit() and i > 0 and words[i - 1].group()[0].isupper()
            inner = lw in _INNER_PREPOSITIONS and bool(picked)
            if inner and lw == "at" and picked[-1].group().lower() != "the":
                break
            if not (lw in self.w.determiners or inner or in_name):
                if not self.is_nounish(w):
                    break
                if (
                    lw.endswith("ed")
                    and "-" not in lw
                    and before not in self.w.determiners | self.w.possessives
                ):
                    break  # a verb ("sent its shares"), not after a determiner ("a combined share")
            picked.append(w)
            i -= 1
        while picked and picked[-1].group().lower() in self.w.determiners | _INNER_PREPOSITIONS:
            picked.pop()
        while len(picked) > 1 and any(
            p in self.w.temporal for p in picked[-1].group().lower().split("-")
        ):
            picked.pop()  # "second-quarter net sales" -> "net sales"
        return self.span(picked[-1], picked[0]) if picked else None

    def drop_temporal_tail(self, words: list[re.Match]) -> list[re.Match]:
        """'its net profit in the second quarter' -> 'its net profit'."""
        for j in range(max(0, len(words) - 7), len(words)):
            lw = words[j].group().lower()
            if lw in _TIME_PREPOSITIONS and self.is_temporal(words[j + 1 :]):
                tail = words[j + 1 :]
                if all(
                    self.is_temporal([w]) or w.group().lower() in self.inner | {"and", "earlier"}
                    for w in tail
                ):
                    return words[:j]
            if lw in ("last", "this", "next") and j == len(words) - 2:
                return words[:j]
        return words

    def moved(self, c: Claim, claims: list[Claim], s_start: int) -> str | None:
        """The subject of the verb that moved by the figure: 'Albemarle shares rose 3.2%'."""
        words = self.words(max(s_start, c.start - 200), c.start)
        j = len(words) - 1
        while j >= 0 and words[j].group().lower() in FILLERS:
            j -= 1
        if j < 0:
            return None
        verb = words[j].group().lower()
        follows = _WORD.match(self.text, c.end + 1) if self.text[c.end : c.end + 1] == " " else None
        compared = follows is not None and (
            follows.group().lower() in self.w.comparatives | _ADVERBS_OF_DIRECTION
        )
        if not (verb in self.w.up or verb in self.w.down or compared):
            return self.object_of_change(words)
        k = j - 1  # the verb is words[j]; for "shares closed 1.2% higher" that is "closed"
        while k >= 0 and (
            words[k].group().lower() in self.w.auxiliaries
            or (verb in _ADVERBS_OF_DIRECTION and words[k].group().lower() in _SESSION_VERBS)
        ):
            k -= 1
        if k < 0:
            return None
        if words[k].group() == ")":  # "Japan's Nikkei 225 (N225) declined 0.3%": past the code
            opening = next((n for n in range(k - 1, max(-1, k - 6), -1) if words[n].group() == "("), None)
            if opening:
                return self.phrase_before(words[:opening])
        if words[k].group().lower() in _RELATIVES and k > 1 and words[k - 1].group() == ",":
            return self.phrase_before(words[: k - 1])  # "the Kospi, which was down 0.4%"
        if words[k].group() == ",":
            if verb in _ADVERBS_OF_DIRECTION or verb.endswith("ing"):
                return self.previous_clause(words[:k], claims, c)  # ", up 33% from a year earlier"
            # "Its shares, which lost half their value, rose 4%": the subject precedes the aside
            opening = max((n for n in range(k) if words[n].group() == ","), default=None)
            return self.phrase_before(words[:opening]) if opening else None
        return self.phrase_before(words[: k + 1])

    def object_of_change(self, words: list[re.Match]) -> str | None:
        """'cut prices on 22 models by 34%', 'raise its stake to 25%': what the verb changed."""
        if not words or words[-1].group().lower() not in ("by", "to"):
            return None
        for j in range(len(words) - 2, max(-1, len(words) - 12), -1):
            lw = words[j].group().lower()
            if lw in self.w.up or lw in self.w.down:
                picked = []
                for w in words[j + 1 : -1]:
                    if w.group().lower() in self.w.breaks or not w.group()[0].isalnum():
                        break
                    picked.append(w)
                return self.span(picked[0], picked[-1]) if picked else None
            if not words[j].group()[0].isalnum():
                return None
        return None

    def previous_clause(self, words: list[re.Match], claims: list[Claim], c: Claim) -> str | None:
        """', up 33% from a year earlier': what the clause before the comma reported - its
        nearest percentage's measure, the measure its amount was given for ('revenue of $108
        million'), the things it counted, else its subject."""
        if not words:
            return None
        earlier = [o for o in claims if words[0].start() <= o.start < c.start]
        amount = earlier[-1] if earlier else None  # the figure the clause reported
        if amount is not None and amount.unit != "count" and amount.unit not in PERCENT_UNITS:
            # "revenue of $108 million, down 27%", "its profit was 5.4 billion won, down 98%"
            before = [w for w in words if w.end() <= amount.start]
            if before and before[-1].group().lower() in self.w.measure_links:
                found = self.phrase_before(before[:-1])
                if found:
                    return found
        for other in reversed(earlier):
            if other.object and other.unit in PERCENT_UNITS:
                return self.measures.get(id(other)) or other.object
        if amount is not None and amount.unit != "count":
            words = [w for w in words if w.end() <= amount.start]  # after an amount, its unit
        words = self.drop_temporal_tail(words)
        # "sold 2.15 million vehicles": the things counted
        for j in range(len(words) - 1, max(-1, len(words) - 4), -1):
            if words[j].group()[0].isdigit() or words[j].group().lower() in self.w.scales:
                tail = words[j + 1 :]
                if tail and all(self.is_nounish(w) for w in tail):
                    return self.span(tail[0], tail[-1])
                break
        words = self.drop_time_opening(words)
        picked: list[re.Match] = []
        for w in words:  # else the clause's subject: "Lithium prices in China have hovered ..."
            lw = w.group().lower()
            if lw in self.w.auxiliaries or lw in self.w.breaks or not w.group()[0].isalnum():
                if picked:
                    break
                continue
            if lw in self.w.determiners and not picked:
                continue
            picked.append(w)
        return self.span(picked[0], picked[-1]) if picked else None

    def share_across_links(self, claims: list[Claim]) -> None:
        """'from 5% to 80% state of charge', 'fell to 38.8% from 45.7%', '35% nickel, compared with
        85%': figures linked this way measure the same thing."""
        pcts = [c for c in claims if c.unit in PERCENT_UNITS]
        for a, b in itertools.pairwise(pcts):
            between = self.text[a.end : b.start]
            if a.object and between.startswith(" " + a.object):
                between = between[len(a.object) + 1 :]
            between = self.drop_time_said(between)
            if _LINK.fullmatch(between):
                if a.object is None:
                    a.object = b.object
                elif b.object is None:
                    b.object = a.object

    def drop_time_opening(self, words: list[re.Match]) -> list[re.Match]:
        """'At 5:30 p.m., shares were ...' -> 'shares were ...': a time that opens the clause."""
        if not words or words[0].group().lower() not in _TIME_PREPOSITIONS | {"after", "before"}:
            return words
        for j, w in enumerate(words[1:7], 1):
            if w.group() == ",":
                return words[j + 1 :]
        return words

    def drop_time_said(self, between: str) -> str:
        """' in 2023, down from ' -> ', down from ': a time before the comma that links figures."""
        head, comma, rest = between.partition(",")
        said = head.split()
        if not comma or len(said) < 2 or said[0].lower() not in _TIME_PREPOSITIONS | {"last"}:
            return between
        if all(
            w.isdigit() or w.lower() in self.w.temporal or w.lower() in self.w.determiners
            for w in said[1:]
        ):
            return comma + rest
        return between

    def implied(self, s_start: int, start: int) -> str | None:
        """'recharges from 10% to 80%': a verb whose percentages are of a known thing (charge)."""
        for w in reversed(self.text[max(s_start, start - 50) : start].lower().split()[-5:]):
            if w in self.w.implied:
                return self.w.implied[w]
            if w[-1] in ",;:" or (w in self.w.breaks and w not in FILLERS):
                return None  # "charge most cars to 80%", but not across a clause
        return None

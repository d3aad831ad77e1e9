"""Reading numbers: each digit-led number or number word with its unit, range, approximation and
direction, and what drops it (years, dates, names, ranks, times, table cells)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.nlp.quantities.objects import FILLERS, looks_plural
from monitor.nlp.quantities.rules import (
    QuantityRules,
    Unit,
    unit_key,
)

CALENDAR = ("year", "month", "week", "day")
_AGE_AFTER = re.compile(r"[\s-]*old\b")
_AGE_CLAUSE = re.compile(r",\s+(?:he|she|they|I|we)\b")
_HYPHENED = re.compile(r"-([A-Za-z]+)\b(?!-)")
_ODD = re.compile(r"-odd\b")
_SHARE_OF = re.compile(r"[ \u00a0]+(?:in|out[ \u00a0]+of)[ \u00a0]+")  # "one in five", "3 out of 4"
_POINT = re.compile(r"\s+of\s+a\s+(?:percentage|per\s*cent(?:age)?)[\s-]+point\b")
_TERM = re.compile(r"-[a-z]+[^s]")  # "a five-year plan": a hyphenated singular names a term
_TIME_AFTER = re.compile(r"[:/]\d|\.\d\d?(?:am|pm|a\.m|p\.m)|-\d")
_SHORT_PLURAL = re.compile(r"[A-Z]{2}s")  # "12 MPs", "40 PCs": too short for `looks_plural`
_BEFELL = re.compile(r"[ \u00a0]+(?:were|have[ \u00a0]+been|had[ \u00a0]+been)[ \u00a0]+[a-z]")
_OF_AFTER = re.compile(r"\s+(?:of|the)\b")
_RANGE_AFTER = re.compile(r"[-–]\d")  # "to 33-35 billion": the second end is a range itself
_MOVED_BY = re.compile(r"\b([A-Za-z]+)\s+(?:by\s+)?$")  # "fell by " before a number
_WORD_OPENERS = ("\n", '"', "“", "(")


@dataclass(slots=True)
class _Number:
    """One number read as a quantity."""

    start: int  # span start, the approximator included
    end: int
    value: float
    high: float | None
    unit: str
    rule: str
    approx: str | None = None
    direction: str | None = None


@dataclass(slots=True)
class _Lead:
    """What stands before a number: where its span starts, the word before, its currency, a
    minus, 'between'."""

    start: int
    prev: str = ""
    point: bool = False  # ".001 per cent": the number starts at its decimal point
    currency: str | None = None
    negative: bool = False
    between: bool = False


def _prev_word(text: str, pos: int) -> str:
    """The word just before `pos` where one space parts them ('' after punctuation)."""
    if pos < 2 or not text[pos - 1].isspace():
        return ""
    low = max(0, pos - 30)
    start = max(text.rfind(" ", low, pos - 1), text.rfind("\n", low, pos - 1)) + 1
    word = text[start : pos - 1].lstrip('"“‘([')
    return word if word and (word[-1].isalnum() or word[-1] == ".") else ""


def _next_words(text: str, pos: int, n: int = 4) -> list[tuple[str, int]]:
    """Up to `n` words after `pos` with their end offsets, stopping at punctuation and at the
    end of the paragraph."""
    out: list[tuple[str, int]] = []
    offset = pos
    chunk = text[pos : pos + 80]
    for token in chunk[: chunk.find("\n")].split()[:n] if "\n" in chunk else chunk.split()[:n]:
        at = text.find(token, offset)
        offset = at + len(token)
        word = token.rstrip(",.;:!?)]\"”’'")
        if not word or not word[0].isalnum():
            break
        out.append((word, at + len(word)))
        if len(word) < len(token):
            break
    return out


def _is_year(num: str, m: re.Match) -> bool:
    """A calendar year as written: four digits from 1800 to 2199, no comma, no scale word."""
    return len(num) == 4 and num.isdigit() and 1800 <= int(num) < 2200 and not m.group("aw")


class NumberReader:
    """Reads the quantities of one text, number by number."""

    def __init__(self, text: str, rules: QuantityRules) -> None:
        self.text = text
        self.r = rules
        self.models: set[int] = set()  # where a model's number stands inside a count's noun
        self.shares: set[int] = set()  # where the "five" of "one in five" stands, read with "one"

    def matches(self) -> list[re.Match]:
        """Every digit-led number and every number word, in text order and not overlapping."""
        text, r = self.text, self.r
        found = list(r.digits.finditer(text))
        # lower-cased, the marks that may open a number word turned into spaces (same offsets)
        spaced = " " + text.lower()
        for mark in _WORD_OPENERS:
            spaced = spaced.replace(mark, " ")
        words = []
        for t in r.word_trigger.finditer(spaced):
            ts = t.start()
            m = r.words.match(text, ts)
            if m is not None and not m.group("frac") and m.group("num").lower() in r.needs_unit:
                # "one of the", "no one": "one" is a figure only before a unit or a scale word
                # ("one megawatt", "one or two megawatts", "one million")
                upto = m.end() if m.group("sep") and m.group("sep").strip() == "or" else t.end() - 1
                if not (
                    m.group("aw") or r.unit.match(text, upto) or _SHARE_OF.match(text, m.end())
                ):
                    continue
            if m is not None and m.group("frac") and spaced[ts - 2 : ts] == " a":
                m = r.words.match(text, ts - 2)  # "a third"
            if m is not None:
                words.append(m)
        if not words:
            return found
        merged, end = [], -1
        for m in sorted(found + words, key=lambda m: m.start()):
            if m.start() >= end:
                merged.append(m)
                end = m.end()
        return merged

    def read(self, m: re.Match) -> list[_Number]:
        """The quantities one match stands for: none, one, or two where a range is really two
        figures: "by $43.6 billion to $419.2 billion", "from 2008 to 29 mpg", "5 and 6 seats"."""
        text, r = self.text, self.r
        if m.re is r.words and m.group("frac"):
            n = self.fraction(m)
            return [n] if n else []
        if m.start() in self.shares:
            return []
        num, num2 = m.group("num", "num2")
        if num2 is None and self.year_alone(m):
            return []
        share_of = _SHARE_OF.match(text, m.end()) if num2 is None else None
        if share_of and not self.scale_after(m):
            n = self.share(m, share_of.end())
            if n is not None:
                return [n]
        lead = self.lead(m.start())
        if lead is None:
            if num2 is None or m.group("sep").strip() not in ("and", "or"):
                return []
            # "in 1H24 and 28% in the quarter": the name ends the first, the second stands alone
            at = m.start("num2")
            second = (r.digits if text[at].isdigit() else r.words).match(text, at)
            return self.read(second) if second else []
        if num2 is not None:
            at = m.start("num2")
            sep = m.group("sep").strip()
            if sep == "to" and _RANGE_AFTER.match(text, m.end()):
                return self.to_range(m, lead)
            first_is_year = not lead.currency and _is_year(num, m)
            and_alone = sep == "and" and not lead.between
            own_unit = text[at - 1] not in " -–—"  # "$5 billion to $6 billion": a unit each
            either = sep == "or" and own_unit  # "$50 or $100": two amounts to choose from
            # "from $5 to $6", "climbed $23 to $2,412": a level and another, each with its unit
            moved = (
                sep == "to"
                and own_unit
                and (lead.prev.lower() in ("from", "by") or lead.prev.lower() in r.moves)
            )
            if first_is_year or and_alone or either or moved:
                second = (r.digits if text[at].isdigit() else r.words).match(text, at)
                first = None if first_is_year else m.re.match(text, m.start(), m.start("sep"))
                return [n for part in (first, second) if part for n in self.read(part)]
        n = self.amount(m, lead)
        return [n] if n else []

    def to_range(self, m: re.Match, lead: _Lead) -> list[_Number]:
        """'from 24.2 to 33-35 billion euros': a level and a range, the level in the scale and
        unit written once at the range's end."""
        second = self.r.digits.match(self.text, m.start("num2"))
        ends = self.read(second) if second else []
        if not ends or ends[0].high is None:
            return ends
        end = ends[0]
        factor = end.high / self.r.number(second.group("num2"))  # scale and unit of the range
        value = self.r.number(m.group("num")) * factor * (-1 if lead.negative else 1)
        rule = end.rule.removesuffix("-range")
        return [self.make(lead.start, m.end("num"), value, None, end.unit, rule), *ends]

    def carry_prices(self, found: list[_Number]) -> None:
        """An amount of money linked to the price per unit just before it is a price per that
        unit too ('96,500 yuan a tonne, or about $13,600' is USD/t; '$900 a tonne from $8,000'
        is two prices), each in its own currency."""
        for before, n in zip(found, found[1:]):
            if not before.rule.startswith("price") or not n.rule.startswith("money"):
                continue
            per = self.r.per_of.get(n.unit, {}).get(before.unit.partition("/")[2])
            if per and self.r.price_link.fullmatch(self.text, before.end, n.start):
                n.unit, n.rule = per, "price-linked"
        self.carry_price_levels(found)

    def carry_price_levels(self, found: list[_Number]) -> None:
        """An amount of money that a price moved to or from later in the text, in the currency of
        a price per unit named before it and of its size (within three times either way; the
        last such), is that price again: 'near 60,000 yuan per tonne ... had fallen to 96,500
        yuan', 'if it climbs back above 150,000 yuan'; '$2 billion' after '$98/kWh' is no
        price."""
        prices: list[_Number] = []  # the prices per unit so far
        for n in found:
            if "/" in n.unit and n.rule.startswith("price"):
                prices.append(n)
                continue
            if n.rule != "money":
                continue
            price = next(
                (
                    p
                    for p in reversed(prices)
                    if p.unit.startswith(n.unit + "/") and p.value / 3 <= n.value <= p.value * 3
                ),
                None,
            )
            if price is None:
                continue
            opening = self.text[n.start : n.end].split(maxsplit=1)[0].lower()  # "at $5"
            lead = _prev_word(self.text, n.start).lower()
            if n.approx or lead in self.r.price_leads or opening in self.r.price_leads:
                n.unit, n.rule = price.unit, "price-carried"

    def carry_shares(self, found: list[_Number]) -> None:
        """A bare number moved by a verb of its own after a percentage that moved, in one
        sentence, is a percentage too: the unit is written once for both ('the DAX rose by 2
        percent but the CAC fell by 1', 'exports climbed 4% and imports slipped 0.5')."""
        for before, n in zip(found, found[1:]):
            if n.rule != "count-bare" or before.unit not in ("%", "pp") or not before.direction:
                continue
            moved = _MOVED_BY.search(self.text, max(0, n.start - 30), n.start)
            if (
                moved
                and moved.group(1).lower() in self.r.moves
                and abs(n.value) <= 100
                and not any(c in ".;\n" for c in self.text[before.end : n.start])
            ):
                n.unit, n.rule = before.unit, "percent-elided"

    def scale_after(self, m: re.Match) -> bool:
        """Whether a scale word or letter follows the number of `m` ('5 million', '3bn')."""
        return bool(m.group("aw") or m.group("al"))

    def share(self, m: re.Match, at: int) -> _Number | None:
        """'one in five', 'three out of four', '1 in 3 adults': a share of the things named, in
        percent, the second number read with the first; None where the second is no whole
        ('2 in 10 minutes', 'one in 2024', 'one in ten trading days')."""
        text, r = self.text, self.r
        if at >= len(text):
            return None
        second = (r.digits if text[at].isdigit() else r.words).match(text, at)
        if second is None or second.re is r.words and second.group("frac"):
            return None
        if second.group("num2") or self.scale_after(second):
            return None
        if _is_year(second.group("num"), second):
            return None
        if r.unit.match(text, second.end()):
            return None
        after = _next_words(text, second.end(), 1)
        if after and after[0][0].lower() in r.temporal:
            return None
        lead = self.lead(m.start())
        if lead is None or lead.currency or lead.negative or lead.prev.lower() in r.name_words:
            return None
        part, whole = r.number(m.group("num")), r.number(second.group("num"))
        if not (0 < part < whole and part.is_integer()):
            return None  # "rated 4.5 out of 5" is a score
        self.shares.add(second.start())
        return self.make(lead.start, second.end(), round(part / whole * 100, 2), None, "%", "share")

    def year_alone(self, m: re.Match) -> bool:
        """A year written alone ("in 2026"): by far the most common number that is no quantity."""
        text = self.text
        return (
            _is_year(m.group("num"), m)
            and text[m.start() - 1 : m.start()] in ("", " ", "\n", "(")
            and self.r.unit.match(text, m.end()) is None
        )

    def lead(self, s: int) -> _Lead | None:
        """Read backwards from the number at `s`; None where what is attached makes it no quantity
        ('S22', 'ID.4', 'F-150', '10:30', '24/7')."""
        text, r = self.text, self.r
        if s > 1 and text[s - 1] == " ":  # the common case: a plain word before
            prev = _prev_word(text, s)
            if prev not in r.lead_words and not text[s - 8 : s - 1].endswith(("minus", "between")):
                return _Lead(s, prev)
        lead = _Lead(s)
        i = s
        if i and text[i - 1] == "." and (i == 1 or text[i - 2] in " ($\n"):
            lead.point = True
            i -= 1
        if text[i - 6 : i].lower() == "minus-":
            lead.negative = True
            i -= 6
        elif (
            i
            and text[i - 1] in "-−"
            and not (i > 1 and text[i - 2] == "%")  # "10%-80%"
            and not text[max(0, i - 5) : i].lower().endswith(r.hyphened_approx)  # "sub-7 nm"
        ):
            if i > 1 and (text[i - 2].isalnum() or text[i - 2] in ".,"):
                return None  # "F-150", "COVID-19", "2024-25"
            lead.negative = True
            i -= 1
        j = i
        while j > 0 and j > i - 5 and not text[j - 1].isspace() and text[j - 1] not in '(["“‘':
            j -= 1
        token = text[j:i]
        low = token.lower()
        glued = low.startswith(r.glued_first) and next(
            a for a in r.glued_approx if low.startswith(a)
        )
        if glued and token[len(glued) :] in r.prefixes:
            j += len(glued)  # "c.$40,000"
            token = text[j:i]
        if token in r.prefixes:
            lead.currency, i = token, j
        elif token.lower() in r.glued_approx:
            pass  # "c.250 miles": `make` takes the approximator into the span
        elif token and (token[-1].isalnum() or token[-1] in ".,:/&#_"):
            return None
        if i > 1 and text[i - 1] == " ":
            word = text[text.rfind(" ", max(0, i - 10), i - 1) + 1 : i - 1].lstrip(',;:("“')
            if (lead.currency and word + lead.currency in r.prefixes) or (
                not lead.currency and word in r.prefixes and not word.isdigit()
            ):
                lead.currency = word + (lead.currency or "")  # "US $58", "USD 500 million"
                i -= len(word) + 1
            elif word == "minus":
                lead.negative = True
                i -= len(word) + 1
        lead.start = i
        lead.prev = _prev_word(text, i)
        lead.between = lead.prev in ("between", "Between")
        return lead

    def amount(self, m: re.Match, lead: _Lead) -> _Number | None:
        """The value of the match with its scale and range; the unit decides what it is."""
        text, r = self.text, self.r
        num, al, num2, neg2 = m.group("num", "al", "num2", "neg2")
        value = r.number("." + num if lead.point else num)
        if lead.negative:
            value = -value
        currency = lead.currency
        if num2 and not currency:
            second = self.lead(m.start("num2"))  # "5 to $6": the currency on the second end
            currency = second.currency if second else None
        scale = r.scale(m, "a")
        end = m.end()
        if al == "m" and not currency and not num2 and not self.millions(num, end):
            scale, end = None, m.start("al")  # "37m" is metres, "1m tonnes" a million
        high = None
        if num2:
            high = r.number(num2) * (-1 if neg2 else 1)
            if high < value and m.group("sep").strip() in "-–—":
                return None  # "787-9 jets", "won 3-1": a name or a score, not a range
            scale2 = r.scale(m, "b")
            if scale2:
                if (
                    scale is None and value <= high
                ):  # "1 to 2 million", but not "$200 to $4 million"
                    scale = scale2
                high *= scale2
        if scale:
            value *= scale
        if currency:
            named = len(num) == 1 or currency in r.scaled_prefixes
            if currency.isalpha() and not scale and named:
                return None  # "PS5", "RM2", "W140": letters and a number are a name
            unit = r.prefixes[unit_key(currency)]
            price = self.price(unit, end)
            if price:
                return self.make(lead.start, price[1], value, high, price[0], "price")
            return self.make(lead.start, end, value, high, unit.code, "money")
        um = r.unit.match(text, end)
        if um and text[m.start() : um.end()].lower() not in r.number_names:
            return self.measure(um, lead, value, high, num, scale)
        if num.lower() in r.needs_unit and not scale:
            return None
        return self.count(m, lead, end, value, high, num, scale)

    def price(self, unit: Unit, end: int) -> tuple[str, int] | None:
        """(unit code, end) of a price per unit of energy written after an amount of money."""
        if not unit.per:
            return None
        per = self.r.per.match(self.text, end)
        if per is None:
            return None
        if per.group("aside") == ")" and "(" not in self.text[max(0, end - 30) : end]:
            return None  # a bracket closing something else
        key = unit_key(per.group("per"))
        code = unit.per.get(self.r.per_units.get(key) or self.r.per_units.get(key.lower(), ""))
        if not code:
            return None
        return code, end if per.group("aside") else per.end()

    def measure(
        self,
        um: re.Match,
        lead: _Lead,
        value: float,
        high: float | None,
        num: str,
        scale: float | None,
    ) -> _Number | None:
        """A number with the unit `um` found right after it."""
        text, r, start = self.text, self.r, lead.start
        if um.group("glued") == "C" and self.c_rate(um, lead, value):
            return None
        unit = self.r.unit_of(um)
        code, end = unit.code, um.end()
        value *= unit.factor
        if high is not None:
            high *= unit.factor
        if code == "lb" and scale:
            code = "GBP"  # "10 million pounds"
        price = self.price(unit, end)
        if price:
            if high is not None:
                high *= unit.per_factor
            return self.make(start, price[1], value * unit.per_factor, high, price[0], "price")
        if code in CALENDAR and (
            _AGE_AFTER.match(text, end)
            or text.startswith(" ago", end)
            or lead.prev.lower() == "aged"
            or _TERM.fullmatch(um.group().strip())
            or (len(num) == 4 and num.isdigit())
            or (lead.prev.lower() in r.period_qualifiers and self.other_figure(start, end))
            or (not num[0].isdigit() and self.word_before_approx(lead) not in r.span_words)
        ):
            return (
                None  # ages, terms, years; "in two years", "in the first five months": when
            )
        rule = {"%": "percent", "pp": "points"}.get(code, "money" if unit.per else "measure")
        return self.make(start, end, value, high, code, rule)

    def count(
        self,
        m: re.Match,
        lead: _Lead,
        end: int,
        value: float,
        high: float | None,
        num: str,
        scale: float | None,
    ) -> _Number | None:
        """A number with no unit: a count of the things named after it, or nothing."""
        text, r, start = self.text, self.r, lead.start
        if _is_year(num, m) or (m.group("num2") and _is_year(m.group("num2"), m)):
            return None
        if m.start() in self.models:
            return None  # the 737 of "400 737 Max jets": a model's number inside another count
        if text[m.start() : end] in r.number_names_as_written:
            return None  # "4K TVs", "5G phones": a standard, not an amount
        after = text[end : end + 2]
        if after[:1] == "-" and _ODD.match(text, end):
            end += 4  # "40,000-odd": about 40,000
        after = text[end : end + 2]
        hyphened = self.hyphened_noun(end, num, scale)  # "a 200-charger hub"
        if hyphened is None and (
            after[:1].isalpha()
            or after[:1] == "×"
            or (after[:1] in "-–" and after[1:2].isalpha())
            or (after[:1] in ":/.-" and _TIME_AFTER.match(text, end) is not None)
        ):
            return None  # "4C", "2nd", "5am", "46-series", "10:30", "1-800-...", "1.99×10"
        prev = lead.prev
        lprev = prev.lower()
        possessive = prev.endswith(("'s", "’s"))
        # thousands written with separators ("51,443") are amounts, never names, and stand alone
        # after a name or a verb in running text: "Li Auto 51,443 and Xpeng 23,917"
        grouped = "," in num and not prev[:1].isdigit()
        if (lprev in r.name_words and not (prev.islower() and lprev in r.verb_name_words)) or (
            lprev.rstrip(".") in r.months
        ):
            return None
        if prev[:1].isupper() and lprev not in r.lead_ins and not possessive and not grouped:
            return None  # "Destiny 2 runs", "Boeing 737 jets": a name and its number
        spelled = not num[0].isdigit()
        determined = (
            lprev in r.determiners
            and lprev not in r.singular_determiners
            and not (lprev in r.counting_determiners and value > 2)
        )
        if spelled and (determined or lprev in r.possessives or possessive):
            return None  # "the two companies", "Korea's three battery makers", "a dozen of them"
        if hyphened is not None:
            return self.make(start, hyphened, value, high, "count", "count")
        words = _next_words(text, end)
        noun_end = self.counted_noun(words)
        if noun_end == -1:
            return None
        if noun_end is not None:
            if (
                not scale
                and num.isdigit()
                and len(num) in (4, 5)
                and words[0][0].lower() in r.form_factor
            ):
                return None  # "4680 cells" is a cell format
            noun = text[text.rfind(" ", start, noun_end) + 1 : noun_end]
            if spelled and num[0].isupper() and noun.istitle():
                return None  # "the Three Amigos": a title
            return self.make(start, noun_end, value, high, "count", "count")
        part_end = self.partitive(end, words)
        if part_end is not None:
            return self.make(start, part_end, value, high, "count", "count")
        if (spelled and not scale) or (m.group("sep") and m.group("sep").strip() in "-–—"):
            return None  # "2-0", "16-18": scores and addresses
        # a number standing alone is a figure only where a verb or preposition leads to it
        # ("rose 8% to 3.65", "estimates of 64,900"), never in tables, lists or citations
        befell = _BEFELL.match(text, end) is not None  # "35 were arrested"
        led = lprev in r.bare_after or befell
        if (m.group("al") and not led) or (not scale and not grouped and not led):
            return None
        if text[m.start() : end].lower() in r.number_names:
            return None  # "play at up to 4K": a standard, not an amount
        if text[start - 1 : start] in "([|" or text[end : end + 1] in ")]|":
            return None
        if lprev == "at" and _AGE_CLAUSE.match(text, end):
            return None  # "At 16, he went to university": an age
        first = words[0][0].lower() if words else ""
        linked = first in r.breaks or first in r.determiners or first in r.bare_before
        if first and not (linked or befell or first in r.temporal or first.endswith("ly")):
            return None  # but "from 57,000 previously", "than 1,200 last year" are figures
        return self.make(
            start, end, value, high, "count", "count-scaled" if scale else "count-bare"
        )

    def c_rate(self, um: re.Match, lead: _Lead, value: float) -> bool:
        """Whether a number glued to C is a charging rate ('supports 4C charging', 'charges at
        6C'), not degrees Celsius: small, not below zero, beside a word of charging."""
        if value < 0 or value > 12:
            return False
        after = self.text[um.end() : um.end() + 20].lstrip(" -").split(maxsplit=1)
        before = self.text[max(0, lead.start - 30) : lead.start].split()[-3:]
        near = [w.strip(",.;:()").lower() for w in before + after[:1]]
        return any(w in self.r.c_rate_words or w.endswith(("-charging", "-rated")) for w in near)

    def word_before_approx(self, lead: _Lead) -> str:
        """The word before the number, lower-cased, or before the approximator that leads it
        ('for more than three months', 'lasted nearly two weeks')."""
        am = self.r.approx.search(self.text, max(0, lead.start - 24), lead.start)
        return _prev_word(self.text, am.start("a")).lower() if am else lead.prev.lower()

    def other_figure(self, start: int, end: int) -> bool:
        """Whether the sentence around text[start:end] states a figure in digits besides it: the
        period then only says when that figure holds ("in the first five months, sales rose
        12%")."""
        text = self.text
        lo = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
        stops = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
        hi = min(stops) if stops else len(text)
        return any(c.isdigit() for c in text[lo:start]) or any(c.isdigit() for c in text[end:hi])

    def millions(self, num: str, end: int) -> bool:
        """Whether the 'm' after `num` is a million: a unit or a counted noun follows ('1m
        tonnes', '2m vehicles'), or a decimal stands with no word of size after it ('up from
        2.2m the year before'; but '1.8m tall', '37m' and 'the 100m in 10.5 seconds' are
        metres)."""
        if self.r.unit.match(self.text, end):
            return True
        words = _next_words(self.text, end)
        if words and words[0][0].lower() in self.r.metre_words:
            return False  # "the 100m in 10.5 seconds": no noun of its own follows
        noun_end = self.counted_noun(words)
        if noun_end is not None and noun_end != -1:
            return True
        return "." in num

    def partitive(self, end: int, first: list[tuple[str, int]]) -> int | None:
        """End of 'of the planes', 'of those companies', 'of its 30 stores', 'of 32 passes', 'of
        them' after a number: a count of some of the things named, else None ('five of the past
        six years' is no count: years are counted by no one). `first` are the words after the
        number as `count` read them, so most numbers are settled without reading six."""
        r = self.r
        if len(first) < 2 or first[0][0] != "of":
            return None
        words = _next_words(self.text, end, 6)
        det = words[1][0].lower()
        if det == "them":
            return words[1][1]
        if det.replace(",", "").isdigit() and not (len(det) == 4 and 1800 <= int(det) < 2200):
            rest = words[1:]  # "completed 25 of 32 passes", not "3 of 2024"
        elif det not in ("the", "those", "these") and det not in r.possessives:
            return None
        else:
            rest = words[2:]
        while rest and (rest[0][0][0].isdigit() or rest[0][0].lower() in r.numbers):
            rest = rest[1:]  # "12 of its 30 stores"
        noun_end = self.counted_noun(rest)
        return None if noun_end in (None, -1) else noun_end

    def hyphened_noun(self, end: int, num: str, scale: float | None) -> int | None:
        """End of a countable noun joined to the number by a hyphen ('a 200-charger hub', 'a
        12-cell module', 'a 1,000-strong workforce'), else None; a cell format ('4680-cell packs')
        is no count."""
        if self.text[end : end + 1] != "-":
            return None  # the common case, settled without the pattern
        hm = _HYPHENED.match(self.text, end)
        if hm is None:
            return None
        word = hm.group(1).lower()
        if word not in self.r.count_nouns and word not in self.r.strength_words:
            return None
        if not scale and num.isdigit() and len(num) in (4, 5):
            return None
        return hm.end()

    def counted_noun(self, words: list[tuple[str, int]]) -> int | None:
        """End of the noun a count counts ('5,000 employees', '3,000 swap stations'); None where
        there is none, -1 where the words make the number no count ('20 years', '22 April')."""
        r = self.r
        reach = False  # a model's number in the phrase lets the noun stand one word further
        joined = 0  # "4.3M digital and physical sales": two words more before the noun
        for i, (word, word_end) in enumerate(words):
            lw = word.lower()
            if (
                i == 1
                and lw in r.coordinators
                and len(words) > 3
                and words[0][0].isalpha()
                and words[0][0].islower()
                and words[2][0].isalpha()
                and words[2][0].islower()
                and words[2][0] not in r.determiners
            ):
                joined = 2  # two descriptions of one noun
                continue
            if i == 0 and (lw in r.months or lw in r.after_words):
                return -1
            if lw in r.count_nouns or (
                lw not in r.not_count and lw not in r.breaks and looks_plural(lw)
            ) or _SHORT_PLURAL.fullmatch(word):
                # "three battery plants": a singular noun modifies the plural that counts
                nxt = words[i + 1][0].lower() if i + 1 < len(words) else ""
                if not looks_plural(lw) and nxt in r.count_nouns and looks_plural(nxt):
                    return words[i + 1][1]
                return word_end
            if lw in r.not_count:
                return -1
            # a name with its number stands inside the noun phrase: "500 Level 2 chargers", and
            # a model's number with its name: "400 737 Max jets", "two new 787 Dreamliner jets"
            named = i == 1 and word.isdigit() and words[0][0][0].isupper()
            model = (
                i < 2
                and word[0].isdigit()
                and i + 1 < len(words)
                and (words[i + 1][0][:1].isupper() or not word.replace(",", "").isdigit())
            )
            if model:
                reach = True
                self.models.add(word_end - len(word))
            if (
                lw in r.breaks
                or lw in r.determiners
                or not (word[0].isalpha() or named or model)
                or i == 2 + reach + joined
            ):
                return None
        return None

    def fraction(self, m: re.Match) -> _Number | None:
        """'half of', 'two-thirds of', 'grew by a third.': a share, reported in percent."""
        r = self.r
        if _prev_word(self.text, m.start()).lower() in r.fraction_blockers:
            return None  # "the first half of 2025"
        following = _next_words(self.text, m.end(), 3)
        if any(w.isdigit() or w.lower() in r.temporal for w, _ in following[1:3]):
            return None  # "half of the year", "a quarter of 2025"
        if not _OF_AFTER.match(self.text, m.end()) and self.word_before_approx(
            _Lead(m.start(), _prev_word(self.text, m.start()))
        ) not in r.fraction_leads:
            return None  # "finished third.", "cut in half,": no share
        words = re.split(r"[\s-]+", m.group("frac").lower())
        if len(words) == 1 and words[0].endswith("s"):
            return None  # "several quarters of growth", "both halves of the hall": no share
        share = r.fractions[words[-1]] * (r.numbers.get(words[0], 1.0) if len(words) == 2 else 1.0)
        point = _POINT.match(self.text, m.end())
        if point:  # "a quarter of a percentage point"
            return self.make(m.start(), point.end(), share, None, "pp", "fraction")
        return self.make(m.start(), m.end(), round(share * 100, 2), None, "%", "fraction")

    def make(
        self, start: int, end: int, value: float, high: float | None, unit: str, rule: str
    ) -> _Number:
        """The quantity, its span widened to the approximator before it, with its direction."""
        n = _Number(start, end, value, high, unit, rule + ("-range" if high is not None else ""))
        am = self.r.approx.search(self.text, max(0, start - 24), start)
        if am:
            word = am.group("a")
            n.start = am.start("a")
            if word.lower() not in self.r.span_only_approx:
                n.approx = word.lower()
        n.direction = self.direction(n.start, n.end)
        return n

    def direction(self, start: int, end: int) -> str | None:
        """The word for which way a figure moved: 'rose 5%', 'fell by 20%', 'closed 1.2% higher'."""
        after = self.r.direction_after.match(self.text, end)
        if after:
            return after.group(1).lower()
        for w in reversed(self.text[max(0, start - 40) : start].lower().split()[-4:]):
            if w in self.r.up or w in self.r.down:
                return w
            if w not in FILLERS and not w.endswith("ly"):
                return None
        return None

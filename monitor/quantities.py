"""Finds quantities in article text: each number with its unit, range, approximation and direction.

What counts and how it is read are data: `rules/units.jsonl` (each unit's code and the ways it is
written, currencies before or after the amount) and `rules/quantity_words.json` (spelled numbers,
scale words, approximators, directions, countable nouns, words that make a number a name or a
date). At start they become a few compiled patterns: one regex finds digit-led numbers with their
scale words and range end, a literal-space scan finds number words, and the unit is read just
after. What stands before a number (currency, minus, 'between') and what drops it (years, dates,
names, ranks, times, table cells) are read with string operations around each number, so the
Python work is per number found, never per token. What a percentage measures is
`quantity_objects`' job.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from .models import Claim
from .patterns import trie_alternation
from .nlp import doc_text, start_claims
from .quantity_objects import FILLERS, ObjectWords, fill_objects, looks_plural
from .resources import rules_dir as default_rules_dir

SPACE = "[ \u00a0\u202f]"
CALENDAR = ("year", "month", "week", "day")
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_AGE_AFTER = re.compile(r"[\s-]*old\b")
_TIME_AFTER = re.compile(r"[:/]\d|\.\d\d?(?:am|pm|a\.m|p\.m)|-\d")
_WORD_OPENERS = ("\n", '"', "“", "(")
_TERM = re.compile(r"-[a-z]+[^s]")  # "a five-year plan": a hyphenated singular names a term
_ODD = re.compile(r"-odd\b")
_AGE_CLAUSE = re.compile(r",\s+(?:he|she|they|I|we)\b")
_POINT = re.compile(r"\s+of\s+a\s+(?:percentage|per\s*cent(?:age)?)[\s-]+point\b")
_HYPHENED = re.compile(r"-([A-Za-z]+)\b(?!-)")


def _trie(strings, fold_spaces: bool = True) -> str:
    """A trie-shaped alternation of `strings`; where `fold_spaces`, a space or hyphen inside a
    string matches any run of spaces or hyphens."""
    if not fold_spaces:
        return trie_alternation(strings)
    return trie_alternation(
        {re.sub(r"[ \-]+", " ", s) for s in strings}, space="[\\s\u00a0\u202f\\-]*"
    )


def _cases(words) -> list[str]:
    """Lower-case, Capitalised and UPPER forms of each word, for fast case-sensitive patterns."""
    out = set()
    for w in words:
        out.update((w.lower(), w[:1].upper() + w[1:].lower(), w.upper()))
    return sorted(out)


def _key(s: str) -> str:
    """How a matched unit is looked up: spaces and hyphens dropped."""
    return re.sub(r"[\s\u00a0\u202f\-]+", "", s)


@dataclass(frozen=True)
class Unit:
    """One line of `rules/units.jsonl`, as the finder uses it."""

    code: str
    factor: float = 1.0  # "kt" counts in t: 1000
    per: dict | None = None  # currencies: {"kWh": "USD/kWh"}, prices per unit of energy
    per_factor: float = 1.0  # a price in a currency's cents: "79p per kWh" is 0.79 GBP/kWh


class QuantityRules:
    """Every table and compiled pattern the finder needs, built once from the rules folder."""

    def __init__(self, directory: Path) -> None:
        lines = (directory / "units.jsonl").read_text("utf-8").splitlines()
        units = [json.loads(line) for line in lines if line.strip()]
        words = json.loads((directory / "quantity_words.json").read_text("utf-8"))
        self._load_units(units)
        self._load_words(words)
        self.objects = ObjectWords.from_rules(words)
        self._compile_numbers(units)
        self._compile_units(units)

    def _load_units(self, units: list[dict]) -> None:
        self.forms: dict[str, Unit] = {}  # case-folded key -> unit
        self.symbols: dict[str, Unit] = {}  # exact key -> unit
        self.prefixes: dict[str, Unit] = {}  # currencies written before the number
        self.scaled_prefixes: set[str] = set()  # ... that need a scale word after the number
        for entry in units:
            unit = Unit(
                entry["unit"],
                entry.get("factor", 1.0),
                entry.get("per"),
                entry.get("per_factor", 1.0),
            )
            for form in entry.get("forms", ()):
                self.forms.setdefault(_key(form).lower(), unit)
            for sym in entry.get("symbols", ()):
                self.symbols.setdefault(_key(sym), unit)
            for pre in entry.get("prefixes", ()):
                self.prefixes.setdefault(_key(pre), unit)
            for pre in entry.get("scaled_prefixes", ()):  # "W1.3tn", but not "W140"
                self.prefixes.setdefault(_key(pre), unit)
                self.scaled_prefixes.add(_key(pre))
        self.lead_words = set(self.prefixes) | {"minus", "between", "Between"}

    def _load_words(self, words: dict) -> None:
        self.numbers: dict[str, float] = {k.lower(): v for k, v in words["numbers"].items()}
        self.needs_unit = set(words["numbers_needing_unit"])
        self.scales: dict[str, float] = {k.lower(): v for k, v in words["scales"].items()}
        self.scale_letters: dict[str, float] = words["scale_letters"]
        self.fractions: dict[str, float] = words["fractions"]
        self.fraction_blockers = set(words["fraction_blockers"])
        self.approximators = words["approximators"]
        self.span_only_approx = set(words["span_only_approximators"])
        self.up = set(words["directions"]["up"])
        self.down = set(words["directions"]["down"])
        self.moves = self.up | self.down
        self.count_nouns = set(words["count_nouns"])
        self.not_count = set(words["not_count_nouns"])
        self.name_words = set(words["name_words"])
        self.months = set(words["months"])
        self.after_words = set(words["after_words"])
        self.form_factor = set(words["form_factor_nouns"])
        self.determiners = set(words["determiners"])
        self.possessives = set(words["possessives"])
        self.temporal = set(words["temporal_words"])
        self.breaks = set(words["phrase_breaks"]) | self.up | self.down
        self.bare_before = {"of", "in", "last", "this", "next"}
        self.bare_after = set(words["bare_number_after"])
        # capitalised words that may open a sentence before a count: "About 500 people"
        self.lead_ins = (
            self.bare_after
            | self.determiners
            | self.possessives
            | {a.lower() for a in self.approximators}
        )
        self.number_names = {w.lower() for w in words["number_names"]}
        self.span_words = set(words["span_words"])
        self.metre_words = set(words["metre_words"])

    def _compile_numbers(self, units: list[dict]) -> None:
        tens = [w for w, v in self.numbers.items() if 20 <= v < 100 and v % 10 == 0]
        ones = [w for w, v in self.numbers.items() if 0 < v < 10]
        compound = f"(?:{_trie(_cases(tens), False)})[\\s-](?:{_trie(ones, False)})"
        spelled = f"\\b(?:{compound}|{_trie(_cases(self.numbers), False)})\\b"
        scale_words = _trie(_cases(self.scales), False)
        scale = (
            f"(?:{SPACE}?-?(?P<{{g}}w>{scale_words})(?:{SPACE}+(?P<{{g}}x>{scale_words}))?\\b"
            f"|(?P<{{g}}l>{_trie(self.scale_letters, False)})(?![A-Za-z]))?"
        )
        prefix = _trie(
            {p for e in units for p in e.get("prefixes", []) + e.get("scaled_prefixes", [])}, False
        )
        second = (
            r"(?:(?P<sep>\s+(?:to|and|or)\s+|\s*[-–—]\s*)(?P<neg2>minus[\s-]|[-−](?=\d))?"
            rf"(?:(?:{prefix}){SPACE}?)?(?P<num2>{_DIGITS}|{spelled}){scale.format(g='b')})?(?!\d)"
        )
        # a number, its scale words and the other end of a range; what comes before it (currency,
        # 'minus', 'between') is read by `_Reader.lead`, so this pattern starts with a digit, and
        # the lookahead lets the regex engine skip from digit to digit
        self.digits = re.compile(rf"(?=\d)(?P<num>{_DIGITS}){scale.format(g='a')}{second}")
        fraction = _trie(_cases(self.fractions), False)
        numerator = _trie(_cases(["a", "one", "two", "three", "four", "nine"]), False)
        self.words = re.compile(
            rf"(?P<frac>(?:(?:{numerator})[\s-])?(?:{fraction}))(?=\s+(?:of|the)\b)"
            rf"|(?P<num>{spelled}){scale.format(g='a')}{second}"
        )
        # where number words start, in lower-cased text: cheaper to scan for than `words` itself
        self.word_trigger = re.compile(rf" (?:{_trie([*self.numbers, *self.fractions], False)})\b")

    def _compile_units(self, units: list[dict]) -> None:
        forms = _trie({f for e in units for f in e.get("forms", ())})
        symbols = _trie({s for e in units for s in e.get("symbols", ())}, False)
        # prices per unit of energy: "$115/kWh", "$60 per kilowatt-hour", "0.4 yuan/Wh"
        priced = {code for e in units for code in e.get("per", {})}
        per_forms = {  # how a unit after "per" is written -> its code
            f: e["unit"]
            for e in units
            if e["unit"] in priced
            for f in e.get("forms", []) + e.get("symbols", [])
        }
        self.per_units = {_key(f): code for f, code in per_forms.items()}
        per = _trie(per_forms)
        # a conversion in brackets may stand between an amount and its unit of energy: "350 yuan
        # ($48) per kWh" (both are prices per kWh; the spans stop at the amounts)
        self.per = re.compile(
            rf"(?P<aside>{SPACE}*\([^()\n]{{1,30}}\)|\))?"
            rf"(?:{SPACE}*/{SPACE}*|{SPACE}+(?:per|a|an){SPACE}+)(?P<per>{per})(?![\w/])"
        )
        # a unit ends at a word boundary; a slash only where a price's unit follows ("yuan/Wh")
        self.unit = re.compile(
            rf"{SPACE}?-?(?:(?P<sym>{symbols})|(?P<form>(?i:{forms})))(?!\w|\.\w|/(?!{per}))"
        )
        approx = _trie(self.approximators, False)
        self.approx = re.compile(rf"(?:(?<=[\s(])|^)(?P<a>(?i:{approx})){SPACE}*$")
        self.direction_after = re.compile(r"[ \u00a0]+(higher|lower|up|down)\b")

    def number(self, s: str) -> float:
        """The value of a written number: '1,200.5' or 'eighty-three'."""
        if s[0].isdigit() or s[0] == ".":
            return float(s.replace(",", ""))
        whole = self.numbers.get(re.sub(r"\s+", " ", s.lower()))  # "half a"
        if whole is not None:
            return float(whole)
        return float(sum(self.numbers[p] for p in re.split(r"[\s-]+", s.lower())))

    def scale(self, m: re.Match, g: str) -> float | None:
        """The factor of the scale words after a number ('million', 'bn', 'k'), group prefix `g`."""
        word, word2, letter = m.group(g + "w", g + "x", g + "l")
        if word:
            factor = self.scales[word.lower()]
            return factor * self.scales[word2.lower()] if word2 else factor
        return self.scale_letters[letter] if letter else None

    def unit_of(self, um: re.Match) -> Unit:
        """The unit a match of `self.unit` names."""
        sym = um.group("sym")
        return self.symbols[_key(sym)] if sym else self.forms[_key(um.group("form")).lower()]


class Finder:
    """The spaCy component: appends a quantity `Claim` for every quantity in the doc's text."""

    def __init__(self, rules: QuantityRules) -> None:
        self.rules = rules

    def __call__(self, doc: Doc) -> Doc:
        start_claims(doc).extend(find_quantities(doc_text(doc), self.rules))
        return doc


@Language.factory("monitor_quantities", default_config={"rules_dir": None})
def make_quantities_finder(nlp: Language, name: str, rules_dir: str | None) -> Finder:
    return Finder(QuantityRules(Path(rules_dir) if rules_dir else default_rules_dir()))


def find_quantities(text: str, rules: QuantityRules) -> list[Claim]:
    """Every quantity in `text`, in text order, percentages with what they measure."""
    reader = _Reader(text, rules)
    claims = [
        Claim(
            kind="quantity",
            text=text[n.start : n.end],
            start=n.start,
            end=n.end,
            rule=n.rule,
            value=n.value,
            high=n.high,
            unit=n.unit,
            approx=n.approx,
            direction=n.direction,
        )
        for m in reader.matches()
        for n in reader.read(m)
    ]
    fill_objects(text, claims, rules.objects)
    return claims


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


class _Reader:
    """Reads the quantities of one text, number by number."""

    def __init__(self, text: str, rules: QuantityRules) -> None:
        self.text = text
        self.r = rules

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
            if m is not None and t.group()[1:] in r.needs_unit and not m.group("frac"):
                # "one of the", "no one": "one" is a figure only before a unit or a scale word
                # ("one megawatt", "one or two megawatts", "one million")
                upto = m.end() if m.group("sep") and m.group("sep").strip() == "or" else t.end() - 1
                if not (m.group("aw") or r.unit.match(text, upto)):
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
        num, num2 = m.group("num", "num2")
        if num2 is None and self.year_alone(m):
            return []
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
        elif i and text[i - 1] in "-−" and not (i > 1 and text[i - 2] == "%"):  # "10%-80%"
            if i > 1 and (text[i - 2].isalnum() or text[i - 2] in ".,"):
                return None  # "F-150", "COVID-19", "2024-25"
            lead.negative = True
            i -= 1
        j = i
        while j > 0 and j > i - 5 and not text[j - 1].isspace() and text[j - 1] not in '(["“‘':
            j -= 1
        token = text[j:i]
        if token in r.prefixes:
            lead.currency, i = token, j
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
            unit = r.prefixes[_key(currency)]
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
        key = _key(per.group("per"))
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
            or (not num[0].isdigit() and lead.prev.lower() not in r.span_words)
        ):
            return (
                None  # ages, terms, years; "in two years", "four months after": when, not how long
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
        if _ODD.match(text, end):
            end += 4  # "40,000-odd": about 40,000
        after = text[end : end + 2]
        hyphened = self.hyphened_noun(end, num, scale)  # "a 200-charger hub"
        if hyphened is None and (
            after[:1].isalpha()
            or after[:1] == "×"
            or (after[:1] in "-–" and after[1:2].isalpha())
            or _TIME_AFTER.match(text, end)
        ):
            return None  # "4C", "2nd", "5am", "46-series", "10:30", "1-800-...", "1.99×10"
        prev = lead.prev
        lprev = prev.lower()
        possessive = prev.endswith(("'s", "’s"))
        # thousands written with separators ("51,443") are amounts, never names, and stand alone
        # after a name or a verb in running text: "Li Auto 51,443 and Xpeng 23,917"
        grouped = "," in num and not prev[:1].isdigit()
        if lprev in r.name_words or lprev.rstrip(".") in r.months:
            return None
        if prev[:1].isupper() and lprev not in r.lead_ins and not possessive and not grouped:
            return None  # "Destiny 2 runs", "Boeing 737 jets": a name and its number
        spelled = not num[0].isdigit()
        if spelled and (lprev in r.determiners or lprev in r.possessives or possessive):
            return None  # "the two companies", "Korea's three battery makers"
        if hyphened is not None:
            return self.make(start, hyphened, value, high, "count", "count")
        words = _next_words(text, end)
        noun_end = self.counted_noun(words)
        if noun_end == -1:
            return None
        if noun_end is not None:
            if (
                not scale
                and "," not in num
                and len(num) in (4, 5)
                and words[0][0].lower() in r.form_factor
            ):
                return None  # "4680 cells" is a cell format
            noun = text[text.rfind(" ", start, noun_end) + 1 : noun_end]
            if spelled and num[0].isupper() and noun.istitle():
                return None  # "the Three Amigos": a title
            return self.make(start, noun_end, value, high, "count", "count")
        if (spelled and not scale) or (m.group("sep") and m.group("sep").strip() in "-–—"):
            return None  # "2-0", "16-18": scores and addresses
        # a number standing alone is a figure only where a verb or preposition leads to it
        # ("rose 8% to 3.65", "estimates of 64,900"), never in tables, lists or citations
        led = lprev in r.bare_after
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
        if first and not (linked or first in r.temporal or first.endswith("ly")):
            return None  # but "from 57,000 previously", "than 1,200 last year" are figures
        return self.make(
            start, end, value, high, "count", "count-scaled" if scale else "count-bare"
        )

    def millions(self, num: str, end: int) -> bool:
        """Whether the 'm' after `num` is a million: a unit or a counted noun follows ('1m
        tonnes', '2m vehicles'), or a decimal stands with no word of size after it ('up from
        2.2m the year before'; but '1.8m tall' and '37m' are metres)."""
        if self.r.unit.match(self.text, end):
            return True
        words = _next_words(self.text, end)
        noun_end = self.counted_noun(words)
        if noun_end is not None and noun_end != -1:
            return True
        return "." in num and not (words and words[0][0].lower() in self.r.metre_words)

    def hyphened_noun(self, end: int, num: str, scale: float | None) -> int | None:
        """End of a countable noun joined to the number by a hyphen ('a 200-charger hub', 'a
        12-cell module'), else None; a cell format ('4680-cell packs') is no count."""
        hm = _HYPHENED.match(self.text, end)
        if hm is None or hm.group(1).lower() not in self.r.count_nouns:
            return None
        if not scale and num.isdigit() and len(num) in (4, 5):
            return None
        return hm.end()

    def counted_noun(self, words: list[tuple[str, int]]) -> int | None:
        """End of the noun a count counts ('5,000 employees', '3,000 swap stations'); None where
        there is none, -1 where the words make the number no count ('20 years', '22 April')."""
        r = self.r
        for i, (word, word_end) in enumerate(words):
            lw = word.lower()
            if i == 0 and (lw in r.months or lw in r.after_words):
                return -1
            if lw in r.count_nouns or (
                lw not in r.not_count and lw not in r.breaks and looks_plural(lw)
            ):
                return word_end
            if lw in r.not_count:
                return -1
            # a name with its number stands inside the noun phrase: "500 Level 2 chargers"
            named = i == 1 and word.isdigit() and words[0][0][0].isupper()
            if lw in r.breaks or lw in r.determiners or not (word[0].isalpha() or named) or i == 2:
                return None
        return None

    def fraction(self, m: re.Match) -> _Number | None:
        """'half of', 'two-thirds of': a share, reported in percent."""
        r = self.r
        if _prev_word(self.text, m.start()).lower() in r.fraction_blockers:
            return None  # "the first half of 2025"
        following = _next_words(self.text, m.end(), 3)
        if any(w.isdigit() or w.lower() in r.temporal for w, _ in following[1:3]):
            return None  # "half of the year", "a quarter of 2025"
        words = re.split(r"[\s-]+", m.group("frac").lower())
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

"""Finds quantities in article text: numbers with their unit, range, approximation, direction, and
what a percentage measures.

One regex over the whole text, built once from `rules/units.jsonl` and `rules/quantity_words.json`,
finds every number with its currency, scale words and range end; the unit is read just after it.
Cheap look-arounds in the number's sentence then drop what is not a quantity (years, dates, names,
ranks, times) and find what a percentage is of. There is no loop over tokens: the Python work is
per number found, a few dozen per article.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from .models import Claim
from .nlp import doc_text, start_claims

SPACE = "[ \u00a0\u202f]"
CALENDAR = ("year", "month", "week", "day")
# one leading character class lets the regex engine skip ahead fast
_SENTENCE_END = re.compile(r"[.!?;\n](?:(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9$€£¥])|(?<=\n)|(?<=;)\s)")
_WORD = re.compile(r"[^\W_][\w'’&/-]*(?:\.(?=\w)[\w'’&/-]*)*|[^\w\s]")
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_PREV_WORD = re.compile(r"([\w&#.'’-]+)[ \u00a0]*$")
_AGE_AFTER = re.compile(r"[\s-]*old\b")
_TIME_AFTER = re.compile(r"[:/]\d|\.\d\d?(?:am|pm|a\.m|p\.m)|-\d")


def _trie(strings, fold_spaces: bool = True) -> str:
    """A regex alternation of `strings` shaped as a character trie, far faster than a flat `a|b|c`.

    Where `fold_spaces`, a space or hyphen inside a string matches any run of spaces or hyphens.
    """
    root: dict = {}
    for s in strings:
        if fold_spaces:
            s = re.sub(r"[ \-]+", " ", s)
        node = root
        for ch in s:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = []
        for ch in sorted(k for k in node if k):
            piece = "[\\s\u00a0\u202f\\-]*" if fold_spaces and ch == " " else re.escape(ch)
            branches.append(piece + emit(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


def _cases(words) -> list[str]:
    """The lower-case, Capitalised and UPPER forms of each word, for fast case-sensitive patterns."""
    out = set()
    for w in words:
        out.update((w.lower(), w[:1].upper() + w[1:].lower(), w.upper()))
    return sorted(out)


def _key(s: str) -> str:
    """How a matched unit is looked up: spaces and hyphens dropped."""
    return re.sub(r"[\s\u00a0\u202f\-]+", "", s)


@dataclass(frozen=True)
class Unit:
    code: str
    guideline: bool  # one of the annotation guidelines' unit codes
    factor: float = 1.0  # kt -> t
    per: dict | None = None  # currencies: {"kWh": "USD/kWh"}


class QuantityRules:
    """Every table and compiled pattern the finder needs, built once from the rules folder."""

    def __init__(self, directory: Path) -> None:
        lines = (directory / "units.jsonl").read_text("utf-8").splitlines()
        units = [json.loads(line) for line in lines if line.strip()]
        words = json.loads((directory / "quantity_words.json").read_text("utf-8"))
        self.forms: dict[str, Unit] = {}  # case-folded key -> unit
        self.symbols: dict[str, Unit] = {}  # exact key -> unit
        self.prefixes: dict[str, Unit] = {}  # currency written before the number
        for entry in units:
            unit = Unit(entry["unit"], entry.get("guideline", False), entry.get("factor", 1.0), entry.get("per"))
            for form in entry.get("forms", ()):
                self.forms.setdefault(_key(form).lower(), unit)
            for sym in entry.get("symbols", ()):
                self.symbols.setdefault(_key(sym), unit)
            for pre in entry.get("prefixes", ()):
                self.prefixes.setdefault(_key(pre), unit)
        self.numbers: dict[str, float] = {k.lower(): v for k, v in words["numbers"].items()}
        self.needs_unit = set(words["numbers_needing_unit"])
        self.needs_unit_4 = {w + " " for w in self.needs_unit}
        self.scales: dict[str, float] = {k.lower(): v for k, v in words["scales"].items()}
        self.scale_letters: dict[str, float] = words["scale_letters"]
        self.fractions: dict[str, float] = words["fractions"]
        self.fraction_blockers = set(words["fraction_blockers"])
        self.span_only_approx = set(words["span_only_approximators"])
        self.up = set(words["directions"]["up"])
        self.down = set(words["directions"]["down"])
        self.count_nouns = set(words["count_nouns"])
        self.not_count = set(words["not_count_nouns"])
        self.name_words = set(words["name_words"])
        self.months = set(words["months"])
        self.after_words = set(words["after_words"])
        self.form_factor = set(words["form_factor_nouns"])
        self.comparatives = set(words["comparatives"])
        self.determiners = set(words["determiners"])
        self.possessives = set(words["possessives"])
        self.auxiliaries = set(words["auxiliaries"])
        self.temporal = set(words["temporal_words"])
        self.breaks = set(words["phrase_breaks"]) | self.up | self.down
        self.measure_links = set(words["measure_links"])
        self.bare_before = {"of", "in", "last", "this", "next"}
        self.bare_after = set(words["bare_number_after"])
        # capitalised words that may open a sentence before a count: "About 500 people"
        self.lead_ins = self.bare_after | self.determiners | self.possessives | {
            a.lower() for a in words["approximators"]
        }
        self.number_names = {w.lower() for w in words["number_names"]}
        self.implied_objects: dict[str, str] = words["implied_objects"]

        tens = [w for w, v in self.numbers.items() if 20 <= v < 100 and v % 10 == 0]
        ones = [w for w, v in self.numbers.items() if 0 < v < 10]
        compound = f"(?:{_trie(_cases(tens), False)})[\\s-](?:{_trie(ones, False)})"
        spelled = f"\\b(?:{compound}|{_trie(_cases(self.numbers), False)})\\b"
        scale_words = _trie(_cases(self.scales), False)
        scale = (
            f"(?:{SPACE}?-?(?P<{{g}}w>{scale_words})(?:{SPACE}+(?P<{{g}}x>{scale_words}))?\\b"
            f"|(?P<{{g}}l>{_trie(self.scale_letters, False)})(?![A-Za-z]))?"
        )
        prefix = _trie(self.prefixes_as_written(units), False)
        second = (
            r"(?:(?P<sep>\s+(?:to|and)\s+|\s*[-–—]\s*)(?P<neg2>minus[\s-]|[-−](?=\d))?"
            rf"(?:(?:{prefix}){SPACE}?)?(?P<num2>{_DIGITS}|{spelled}){scale.format(g='b')})?(?!\d)"
        )
        # a number, its scale words and the other end of a range; what comes before it (currency,
        # 'minus', 'between') is read by `_lead`, so this pattern starts with a digit, and the
        # lookahead lets the regex engine skip from digit to digit
        self.digits = re.compile(rf"(?=\d)(?P<num>{_DIGITS}){scale.format(g='a')}{second}")
        fraction = _trie(_cases(self.fractions), False)
        numerator = _trie(_cases(["a", "one", "two", "three", "four", "nine"]), False)
        self.words = re.compile(
            rf"(?P<frac>(?:(?:{numerator})[\s-])?(?:{fraction}))(?=\s+(?:of|the)\b)"
            rf"|(?P<num>{spelled}){scale.format(g='a')}{second}"
        )
        forms = _trie({f for e in units for f in e.get("forms", ())})
        symbols = _trie({s for e in units for s in e.get("symbols", ())}, False)
        # prices per unit of energy: "$115/kWh", "$60 per kilowatt-hour", "0.4 yuan/Wh"
        priced = {code for e in units for code in e.get("per", {})}
        per_forms = [f for e in units if e["unit"] in priced for f in e.get("forms", []) + e.get("symbols", [])]
        self.per = re.compile(
            rf"(?:{SPACE}*/{SPACE}*|{SPACE}+(?:per|a|an){SPACE}+)(?P<per>{_trie(per_forms)})(?![\w/])"
        )
        # a unit ends at a word boundary; a slash only where a price's unit follows ("yuan/Wh")
        self.unit = re.compile(
            rf"{SPACE}?-?(?:(?P<sym>{symbols})|(?P<form>(?i:{forms})))(?!\w|\.\w|/(?!{_trie(per_forms)}))"
        )
        self.per_units = {_key(f): e["unit"] for e in units if e["unit"] in priced for f in e.get("forms", []) + e.get("symbols", [])}
        approx = _trie(words["approximators"], False)
        self.approx = re.compile(rf"(?:(?<=[\s(])|^)(?P<a>(?i:{approx})){SPACE}*$")
        self.lead_words = set(self.prefixes) | {"minus", "between", "Between"}
        self.direction_after = re.compile(r"[ \u00a0]+(higher|lower|up|down)\b")
        # where number words start, in lower-cased text: cheaper to scan for than `words` itself
        self.word_trigger = re.compile(rf" (?:{_trie([*self.numbers, *self.fractions], False)})\b")

    @staticmethod
    def prefixes_as_written(units: list[dict]) -> set[str]:
        return {p for e in units for p in e.get("prefixes", ())}

    def number(self, s: str) -> float:
        """The value of a written number: '1,200.5' or 'eighty-three'."""
        if s[0].isdigit() or s[0] == ".":
            return float(s.replace(",", ""))
        parts = re.split(r"[\s-]+", s.lower())
        return float(sum(self.numbers[p] for p in parts))

    def scale(self, m: re.Match, g: str) -> float | None:
        word, word2, letter = m.group(g + "w", g + "x", g + "l")
        if word:
            factor = self.scales[word.lower()]
            return factor * self.scales[word2.lower()] if word2 else factor
        return self.scale_letters[letter] if letter else None


@dataclass
class _Number:
    """One number the main pattern found, before it is judged a quantity."""

    start: int  # span start, the approximator included
    end: int
    value: float
    high: float | None
    unit: str
    rule: str
    approx: str | None = None
    direction: str | None = None


def _prev_word(text: str, pos: int) -> str:
    """The word just before `pos` where only spaces part them ('' after punctuation)."""
    chunk = text[max(0, pos - 30):pos]
    parts = chunk.split()
    if not parts or not chunk[-1].isspace():
        return ""
    word = parts[-1].lstrip("\"“‘([")
    return word if word and (word[-1].isalnum() or word[-1] == ".") else ""


def _next_words(text: str, pos: int, n: int = 4) -> list[tuple[str, int]]:
    """Up to `n` words after `pos` with their end offsets, stopping at punctuation."""
    out: list[tuple[str, int]] = []
    offset = pos
    for token in text[pos:pos + 80].split()[:n]:
        at = text.find(token, offset)
        offset = at + len(token)
        word = token.rstrip(",.;:!?)]\"”’'")
        if not word or not word[0].isalnum():
            break
        out.append((word, at + len(word)))
        if len(word) < len(token):
            break
    return out


def _is_plural_noun(word: str) -> bool:
    w = word.lower()
    if len(w) <= 3 or not w.replace("-", "").isalpha():
        return False
    return (w.endswith("s") and not w.endswith(("ss", "us", "is", "ous"))) or w.endswith("men")


class Finder:
    """The spaCy component: appends a quantity `Claim` for every quantity in the doc's text."""

    def __init__(self, rules: QuantityRules) -> None:
        self.rules = rules

    def __call__(self, doc: Doc) -> Doc:
        start_claims(doc).extend(find_quantities(doc_text(doc), self.rules))
        return doc


@Language.factory("monitor_quantities", default_config={"rules_dir": None})
def make_quantities_finder(nlp: Language, name: str, rules_dir: str | None) -> Finder:
    from .resources import rules_dir as default_rules_dir

    return Finder(QuantityRules(Path(rules_dir) if rules_dir else default_rules_dir()))


def _matches(text: str, rules: QuantityRules) -> list[re.Match]:
    """Every digit-led number, and every number word, in text order and not overlapping."""
    found = list(rules.digits.finditer(text))
    # lower-cased, with the marks that may open a number word turned into spaces (same offsets)
    spaced = " " + text.lower().replace("\n", " ").replace('"', " ").replace("“", " ").replace("(", " ")
    words = []
    for t in rules.word_trigger.finditer(spaced):
        ts = t.start()
        if spaced[ts + 1:ts + 5] in rules.needs_unit_4 and not rules.unit.match(text, ts + 3):
            continue  # "one of the", "no one": a bare "one" is not a figure
        m = rules.words.match(text, ts)
        if m is not None and m.group("frac") and spaced[ts - 2:ts] == " a":
            m = rules.words.match(text, ts - 2)  # "a third"
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


@dataclass
class _Lead:
    """What stands before a number: where its span starts, its currency, a minus, 'between'."""

    start: int
    point: bool = False  # ".001 per cent": the number starts at its decimal point
    currency: str | None = None
    negative: bool = False
    between: bool = False


def _lead(text: str, s: int, rules: QuantityRules) -> _Lead | None:
    """Read backwards from the number at `s`; None where what is attached makes it no quantity
    ('S22', 'ID.4', 'F-150', '10:30', '24/7')."""
    if s > 1 and text[s - 1] == " ":  # the common case: a plain word before
        word = text[text.rfind(" ", max(0, s - 10), s - 1) + 1:s - 1].lstrip(",;:(\"“")
        if word not in rules.lead_words:
            return _Lead(s)
    lead = _Lead(s)
    i = s
    if i and text[i - 1] == "." and (i == 1 or text[i - 2] in " ($\n"):
        lead.point = True
        i -= 1
    if text[i - 6:i].lower() == "minus-":
        lead.negative = True
        i -= 6
    elif i and text[i - 1] in "-−":
        if i > 1 and (text[i - 2].isalnum() or text[i - 2] in ".,"):
            return None  # "F-150", "COVID-19", "2024-25"
        lead.negative = True
        i -= 1
    j = i
    while j > 0 and j > i - 5 and not text[j - 1].isspace() and text[j - 1] not in "([\"“‘":
        j -= 1
    token = text[j:i]
    if token:
        if token in rules.prefixes:
            lead.currency, i = token, j
        elif token[-1].isalnum() or token[-1] in ".,:/&#_":
            return None
    if i > 1 and text[i - 1] == " ":
        word = text[text.rfind(" ", max(0, i - 10), i - 1) + 1:i - 1].lstrip(",;:(\"“")
        if (lead.currency and word + lead.currency in rules.prefixes) or (
            not lead.currency and word in rules.prefixes and not word.isdigit()
        ):
            lead.currency = word + (lead.currency or "")
            i -= len(word) + 1
        elif word == "minus":
            lead.negative = True
            i -= len(word) + 1
    lead.start = i
    if _prev_word(text, i) in ("between", "Between"):
        lead.between = True
    return lead


def find_quantities(text: str, rules: QuantityRules) -> list[Claim]:
    """Every quantity in `text`, in text order."""
    found = [n for m in _matches(text, rules) for n in _read(m, text, rules)]
    if not found:
        return []
    sentences = _Sentences(text)
    claims = []
    for n in found:
        claims.append(
            Claim(
                kind="quantity",
                text=text[n.start:n.end],
                start=n.start,
                end=n.end,
                rule=n.rule,
                value=n.value,
                high=n.high,
                unit=n.unit,
                approx=n.approx,
                direction=n.direction,
            )
        )
    objects = _Objects(text, rules, sentences)
    objects.fill(claims)
    return claims


class _Sentences:
    """Sentence starts found by punctuation, for the look-arounds of each number."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
        self.length = len(text)

    def around(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, pos) - 1
        end = self.starts[i + 1] if i + 1 < len(self.starts) else self.length
        return self.starts[i], end


def _read(m: re.Match, text: str, rules: QuantityRules) -> list[_Number]:
    """The quantities one match stands for: none, one, or two where a range is really two
    figures ("by $43.6 billion to $419.2 billion", "from 2008 to 29 mpg", "5 and 6 cylinders")."""
    num, num2, frac = m.group("num", "num2", "frac") if m.re is rules.words else (*m.group("num", "num2"), None)
    if frac:
        n = _fraction(m, text, rules)
        return [n] if n else []
    if num2 is None and _year_alone(text, m, rules):
        return []
    lead = _lead(text, m.start(), rules)
    if lead is None:
        return []
    if num2 is not None:
        first_is_year = not lead.currency and _is_year(num, m)
        and_alone = m.group("sep").strip() == "and" and not lead.between
        moved = m.group("sep").strip() == "to" and _prev_word(text, lead.start).lower() in ("from", "by")
        if first_is_year or and_alone or (moved and text[m.start("num2") - 1] not in " -–—"):
            at = m.start("num2")
            second = (rules.digits if text[at].isdigit() else rules.words).match(text, at)
            first = None if first_is_year else m.re.match(text, m.start(), m.start("sep"))
            return [n for part in (first, second) if part for n in _read(part, text, rules)]
    n = _read_one(m, text, rules, lead)
    return [n] if n else []


def _year_alone(text: str, m: re.Match, rules: QuantityRules) -> bool:
    """A year written alone ("in 2026"): by far the most common number that is not a quantity."""
    return _is_year(m.group("num"), m) and text[m.start() - 1:m.start()] in ("", " ", "\n", "(") and (
        rules.unit.match(text, m.end()) is None
    )


def _read_one(m: re.Match, text: str, rules: QuantityRules, lead: _Lead) -> _Number | None:
    num, al, num2, neg2 = m.group("num", "al", "num2", "neg2")
    spelled = not num[0].isdigit()
    start = lead.start
    value = rules.number("." + num if lead.point else num)
    if lead.negative:
        value = -value
    cur = lead.currency or (_currency_of(m, text, rules) if num2 else None)
    scale = rules.scale(m, "a")
    end = m.end()
    if al == "m" and not cur and not num2:
        scale, end = None, m.start("al")  # "37m" is metres
    high = None
    if num2:
        high = rules.number(num2) * (-1 if neg2 else 1)
        scale2 = rules.scale(m, "b")
        if scale2:
            if scale is None and value <= high:  # "1 to 2 million", but not "$200 to $4 million"
                scale = scale2
            high *= scale2
    if scale:
        value *= scale
    if cur:
        if cur.isalpha() and not scale and len(num) == 1:
            return None  # "PS5", "RM2": letters and one digit are a name
        unit = rules.prefixes[_key(cur)]
        price = _price(unit, text, end, rules)
        if price:
            return _make(start, price[1], value, high, price[0], "price", text, rules)
        return _make(start, end, value, high, unit.code, "money", text, rules)
    um = rules.unit.match(text, end)
    if um and text[m.start():um.end()].lower() not in rules.number_names:
        return _measure(um, text, rules, start, value, high, num, scale)
    if spelled and num.lower() in rules.needs_unit:
        return None
    return _count(m, text, rules, start, end, value, high, num, spelled, scale)


def _price(unit: Unit, text: str, end: int, rules: QuantityRules) -> tuple[str, int] | None:
    """(unit code, end) of a price per unit of energy written after an amount of money."""
    if not unit.per:
        return None
    per = rules.per.match(text, end)
    if per is None:
        return None
    key = _key(per.group("per"))
    code = unit.per.get(rules.per_units.get(key) or rules.per_units.get(key.lower(), ""))
    return (code, per.end()) if code else None


def _currency_of(m: re.Match, text: str, rules: QuantityRules) -> str | None:
    """The currency written before a range's second number only: '5 to $6'."""
    at = m.start("num2")
    lead = _lead(text, at, rules)
    return lead.currency if lead else None


def _measure(
    um: re.Match, text: str, rules: QuantityRules, start: int, value: float, high: float | None,
    num: str, scale: float | None,
) -> _Number | None:
    """A number with the unit `um` found right after it."""
    sym = um.group("sym")
    unit = rules.symbols[_key(sym)] if sym else rules.forms[_key(um.group("form")).lower()]
    code, end = unit.code, um.end()
    value *= unit.factor
    if high is not None:
        high *= unit.factor
    if code == "lb" and scale:
        code = "GBP"  # "10 million pounds"
    price = _price(unit, text, end, rules)
    if price:
        return _make(start, price[1], value, high, price[0], "price", text, rules)
    if code in CALENDAR and (
        _AGE_AFTER.match(text, end)
        or text.startswith(" ago", end)
        or _prev_word(text, start).lower() == "aged"
        or re.fullmatch(r"-[a-z]+[^s]", um.group().strip())  # "a five-year plan" names a term
        or (len(num) == 4 and num.isdigit())
    ):
        return None
    rule = {"%": "percent", "pp": "points"}.get(code, "money" if unit.per else "measure")
    return _make(start, end, value, high, code, rule, text, rules)


def _is_year(num: str, m: re.Match) -> bool:
    return len(num) == 4 and num.isdigit() and 1800 <= int(num) < 2200 and not m.group("aw")


def _count(
    m: re.Match, text: str, rules: QuantityRules, start: int, end: int, value: float,
    high: float | None, num: str, spelled: bool, scale: float | None,
) -> _Number | None:
    """A number with no unit: a count of the things named after it, or nothing."""
    if _is_year(num, m) or (m.group("num2") and _is_year(m.group("num2"), m)):
        return None
    after = text[end:end + 2]
    if after[:1].isalpha() or after[:1] == "×" or (after[:1] in "-–" and after[1:2].isalpha()) or _TIME_AFTER.match(text, end):
        return None  # "4C", "2nd", "5am", "46-series", "10:30", "1-800-...", "1.99×10"
    prev = _prev_word(text, start)
    lprev = prev.lower()
    if lprev in rules.name_words or lprev.rstrip(".") in rules.months:
        return None
    if prev[:1].isupper() and lprev not in rules.lead_ins and not prev.endswith(("'s", "’s")):
        return None  # "Destiny 2 runs", "Boeing 737 jets": a name and its number
    if spelled and (lprev in rules.determiners or lprev in rules.possessives or prev.endswith(("'s", "’s"))):
        return None  # "the two companies", "Korea's three battery makers"
    words = _next_words(text, end)
    noun_end = None
    for i, (word, word_end) in enumerate(words):
        lw = word.lower()
        if i == 0 and (lw in rules.months or lw in rules.after_words):
            return None
        if lw in rules.count_nouns or (
            lw not in rules.not_count and lw not in rules.breaks and _is_plural_noun(lw)
        ):
            noun_end = word_end
            break
        if lw in rules.not_count:
            return None
        if lw in rules.breaks or lw in rules.determiners or not word[0].isalpha() or i == 2:
            break
    if noun_end is not None:
        if not scale and "," not in num and len(num) in (4, 5) and words[0][0].lower() in rules.form_factor:
            return None  # "4680 cells" is a cell format
        return _make(start, noun_end, value, high, "count", "count", text, rules)
    if spelled:
        return None
    if m.group("sep") and m.group("sep").strip() in "-–—":
        return None  # "2-0", "16-18": scores and addresses
    # a number standing alone is a figure only where a verb or preposition leads to it
    # ("rose 8% to 3.65", "estimates of 64,900"), never in tables, lists or citations
    if m.group("al") or (not scale and lprev not in rules.bare_after):
        return None
    if text[start - 1:start] in "([|" or text[end:end + 1] in ")]|":
        return None
    first = words[0][0].lower() if words else ""
    if first and first not in rules.breaks and first not in rules.determiners and first not in rules.bare_before:
        return None
    return _make(start, end, value, high, "count", "count-scaled" if scale else "count-bare", text, rules)


def _fraction(m: re.Match, text: str, rules: QuantityRules) -> _Number | None:
    """'half of', 'two-thirds of': a share, reported in percent."""
    words = re.split(r"[\s-]+", m.group("frac").lower())
    prev = _prev_word(text, m.start()).lower()
    if prev in rules.fraction_blockers:
        return None  # "the first half of 2025"
    following = _next_words(text, m.end(), 3)
    if any(w.isdigit() or w.lower() in rules.temporal for w, _ in following[1:3]):
        return None  # "half of the year", "a quarter of 2025"
    share = rules.fractions[words[-1]]
    if len(words) == 2:
        share *= rules.numbers.get(words[0], 1.0)
    return _make(m.start(), m.end(), round(share * 100, 2), None, "%", "fraction", text, rules)


def _make(
    start: int, end: int, value: float, high: float | None, unit: str, rule: str, text: str, rules: QuantityRules,
) -> _Number:
    """The quantity, its span widened to the approximator before it, with its direction."""
    n = _Number(start, end, value, high, unit, rule + ("-range" if high is not None else ""))
    am = rules.approx.search(text, max(0, start - 24), start)
    if am:
        word = am.group("a")
        n.start = am.start("a")
        if word.lower() not in rules.span_only_approx:
            n.approx = word.lower()
    n.direction = _direction(text, n.start, n.end, rules)
    return n


def _direction(text: str, start: int, end: int, rules: QuantityRules) -> str | None:
    """The word saying which way the figure moved: 'rose 5%', 'fell by 20%', 'closed 1.2% higher'."""
    after = rules.direction_after.match(text, end)
    if after:
        return after.group(1).lower()
    for w in reversed(text[max(0, start - 40):start].lower().split()[-4:]):
        if w in rules.up or w in rules.down:
            return w
        if w not in _FILLERS and not w.endswith("ly"):
            return None
    return None


class _Objects:
    """What each percentage measures, from cheap rules over its sentence."""

    def __init__(self, text: str, rules: QuantityRules, sentences: _Sentences) -> None:
        self.text = text
        self.rules = rules
        self.sentences = sentences
        self.measures: dict[int, str | None] = {}  # id(claim) -> the noun a figure is of
        self.inner = rules.determiners | rules.possessives | {"of", "in"}

    def fill(self, claims: list[Claim]) -> None:
        for c in claims:
            if c.unit in ("%", "pp"):
                c.object, self.measures[id(c)] = self.find(c, claims)
        self.share_across_links(claims)
        for c in claims:
            if c.unit in ("%", "pp") and c.object is None:
                c.object = self.implied(self.sentences.around(c.start)[0], c.start)

    def find(self, c: Claim, claims: list[Claim]) -> tuple[str | None, str | None]:
        """(object, measure): the object as reported, and the noun it is a figure of where stated."""
        s_start, s_end = self.sentences.around(c.start)
        measure = self.measure_before(s_start, c)
        found = self.of_phrase(c.end, s_end) or measure or self.noun_after(c.end, s_end)
        return found or self.moved(c, claims, s_start), measure

    def words(self, a: int, b: int) -> list[re.Match]:
        return list(_WORD.finditer(self.text, a, b))

    def span(self, first: re.Match, last: re.Match) -> str:
        return self.text[first.start():last.end()]

    def of_phrase(self, end: int, limit: int) -> str | None:
        """'83% of the entire global ... capacity', '16% for cobalt': the phrase the figure is of."""
        words = self.words(end, min(limit, end + 160))
        if not words or words[0].group().lower() not in ("of", "for"):
            return None
        last = None
        for i, w in enumerate(words[1:11], 1):
            lw = w.group().lower()
            if not w.group()[0].isalpha():
                break
            if lw == "in" and self.is_temporal(words[i + 1:i + 4]):
                break
            if lw in ("this", "last", "next") and self.is_temporal(words[i + 1:i + 2]):
                break  # "of their value this year"
            if lw in self.rules.breaks:
                break
            last = i
        while last is not None and words[last].group().lower() in self.inner:
            last = last - 1 if last > 1 else None
        return self.span(words[0], words[last]) if last else None

    def is_temporal(self, words: list[re.Match]) -> bool:
        """Whether the words open with a time: 'the second quarter', '2025', 'May'."""
        for w in words:
            lw = w.group().lower()
            if lw in self.rules.temporal or lw.isdigit():
                return True
            if lw not in self.rules.determiners:
                return False
        return False

    def is_nounish(self, w: re.Match) -> bool:
        s = w.group()
        ls = s.lower()
        return s[0].isalpha() and ls not in self.rules.breaks and ls not in self.inner and (
            ls not in self.rules.comparatives and ls not in self.rules.temporal
        )

    def noun_after(self, end: int, limit: int) -> str | None:
        """'35% nickel', 'a 9.6% share of the market', '80% state of charge', '33% higher energy
        density', 'a 20% rise in sales'."""
        words = self.words(end, min(limit, end + 120))
        if not words:
            return None
        first = words[0].group().lower()
        compared = first in self.rules.comparatives
        if not compared and (first in self.rules.up or first in self.rules.down) and len(words) > 2:
            if words[1].group().lower() == "in":  # "a 20% rise in sales"
                return self.noun_after(words[1].end(), limit)
            return None
        i = 1 if compared else 0
        picked: list[re.Match] = []
        while i < len(words) and len(picked) < 3 and self.is_nounish(words[i]):
            picked.append(words[i])
            i += 1
            if _is_plural_noun(picked[-1].group()):
                break  # "60% yields burns cash": a plural noun ends the phrase
        if not picked:
            return None
        if compared and len(picked) == 1 and picked[0].group().lower().endswith(_ADJECTIVE_ENDINGS):
            return None  # "20% more expensive"
        of = self.of_phrase(picked[-1].end(), limit)
        return self.text[picked[0].start():picked[-1].end() + len(of) + 1] if of else self.span(picked[0], picked[-1])

    def measure_before(self, s_start: int, c: Claim) -> str | None:
        """'a market share of 35%', 'yields above 90%', 'the rate was 3.5%': the noun before a link."""
        words = self.words(max(s_start, c.start - 120), c.start)
        lead = _WORD.match(self.text, c.start)
        if lead and lead.group().lower() in self.rules.measure_links:
            return self.phrase_before(words)  # the approximator is the link: "yields above 90%"
        if len(words) < 2 or words[-1].group().lower() not in self.rules.measure_links:
            return None
        return self.phrase_before(words[:-1])

    def phrase_before(self, words: list[re.Match]) -> str | None:
        """The noun phrase that ends with the last of `words`, read backwards."""
        words = self.drop_temporal_tail(words)
        picked: list[re.Match] = []
        i = len(words) - 1
        while i >= 0 and len(picked) < 8:
            w = words[i]
            lw = w.group().lower()
            before = words[i - 1].group().lower() if i > 0 else ""
            if lw in self.rules.possessives:
                picked.append(w)
                break
            if lw in self.rules.determiners:
                if before in _INNER_PREPOSITIONS and picked:
                    picked.append(w)
                    i -= 1
                    continue
                break
            if lw in _INNER_PREPOSITIONS and picked:
                picked.append(w)
                i -= 1
                continue
            if not self.is_nounish(w):
                break
            if lw.endswith("ed") and "-" not in lw and before not in self.rules.determiners | self.rules.possessives:
                break  # a verb ("sent its shares"), unless after a determiner ("a combined share")
            picked.append(w)
            i -= 1
        while picked and picked[-1].group().lower() in self.rules.determiners | _INNER_PREPOSITIONS:
            picked.pop()
        while len(picked) > 1 and any(p in self.rules.temporal for p in picked[-1].group().lower().split("-")):
            picked.pop()  # "second-quarter net sales" -> "net sales"
        return self.span(picked[-1], picked[0]) if picked else None

    def drop_temporal_tail(self, words: list[re.Match]) -> list[re.Match]:
        """'its net profit in the second quarter' -> 'its net profit'."""
        for j in range(max(0, len(words) - 7), len(words)):
            lw = words[j].group().lower()
            if lw in _TIME_PREPOSITIONS and self.is_temporal(words[j + 1:]):
                tail = words[j + 1:]
                if all(self.is_temporal([w]) or w.group().lower() in self.inner | {"and", "earlier"} for w in tail):
                    return words[:j]
            if lw in ("last", "this", "next") and j == len(words) - 2:
                return words[:j]
        return words

    def moved(self, c: Claim, claims: list[Claim], s_start: int) -> str | None:
        """The subject of the verb that moved by the figure: 'Albemarle shares rose 3.2%'."""
        words = self.words(max(s_start, c.start - 200), c.start)
        j = len(words) - 1
        while j >= 0 and words[j].group().lower() in _FILLERS:
            j -= 1
        if j < 0:
            return None
        lw = words[j].group().lower()
        follows = _WORD.match(self.text, c.end + 1) if self.text[c.end:c.end + 1] == " " else None
        compared = follows is not None and follows.group().lower() in self.rules.comparatives | _ADVERBS_OF_DIRECTION
        if not (lw in self.rules.up or lw in self.rules.down or compared):
            return self.object_of_change(words)
        k = j - 1  # the verb is words[j]; for "shares closed 1.2% higher" that is "closed"
        while k >= 0 and words[k].group().lower() in self.rules.auxiliaries:
            k -= 1
        if k < 0:
            return None
        if words[k].group() == ",":
            if lw in _ADVERBS_OF_DIRECTION or lw.endswith("ing"):
                return self.previous_clause(words[:k], claims, c)  # ", up 33% from a year earlier"
            # "Its shares, which have lost half their value, rose 4%": the subject is before the aside
            opening = max((n for n in range(k) if words[n].group() == ","), default=None)
            return self.phrase_before(words[:opening]) if opening else None
        return self.phrase_before(words[:k + 1])

    def implied(self, s_start: int, start: int) -> str | None:
        """'recharges from 10% to 80%': a verb whose percentages are of a known thing (charge)."""
        for w in reversed(self.text[max(s_start, start - 50):start].lower().split()[-5:]):
            if w in self.rules.implied_objects:
                return self.rules.implied_objects[w]
            if w[-1] in ",;:" or w in self.rules.breaks and w not in _FILLERS:
                return None  # "charge most cars to 80%", not across a clause
        return None

    def object_of_change(self, words: list[re.Match]) -> str | None:
        """'cut prices on 22 models by 34%', 'reduce the number of parts by 75%': what the verb changed."""
        if not words or words[-1].group().lower() != "by":
            return None
        for j in range(len(words) - 2, max(-1, len(words) - 12), -1):
            lw = words[j].group().lower()
            if lw in self.rules.up or lw in self.rules.down:
                picked = []
                for w in words[j + 1:-1]:
                    if w.group().lower() in self.rules.breaks or not w.group()[0].isalnum():
                        break
                    picked.append(w)
                return self.span(picked[0], picked[-1]) if picked else None
            if not words[j].group()[0].isalnum():
                return None
        return None

    def previous_clause(self, words: list[re.Match], claims: list[Claim], c: Claim) -> str | None:
        """', up 33% from a year earlier': what the clause before the comma reported."""
        if not words:
            return None
        for other in claims:
            if other is not c and other.object and words[0].start() <= other.start < c.start and other.unit in ("%", "pp"):
                return self.measures.get(id(other)) or other.object
        words = self.drop_temporal_tail(words)
        # "sold 2.15 million vehicles": the things counted
        for j in range(len(words) - 1, max(-1, len(words) - 4), -1):
            if words[j].group()[0].isdigit() or words[j].group().lower() in self.rules.scales:
                tail = words[j + 1:]
                if tail and all(self.is_nounish(w) for w in tail):
                    return self.span(tail[0], tail[-1])
                break
        picked = []
        for w in words:  # else the clause's subject: "Lithium prices in China have hovered ..."
            lw = w.group().lower()
            if lw in self.rules.auxiliaries or lw in self.rules.breaks or not w.group()[0].isalnum():
                if picked:
                    break
                continue
            if lw in self.rules.determiners and not picked:
                continue
            picked.append(w)
        return self.span(picked[0], picked[-1]) if picked else None

    def share_across_links(self, claims: list[Claim]) -> None:
        """'from 5% to 80% state of charge', 'fell to 38.8% from 45.7%', '35% nickel, compared with
        85%': figures linked this way measure the same thing."""
        pcts = [c for c in claims if c.unit in ("%", "pp")]
        for a, b in zip(pcts, pcts[1:]):
            between = self.text[a.end:b.start]
            if a.object and between.startswith(" " + a.object):
                between = between[len(a.object) + 1:]
            if _LINK.fullmatch(between):
                if a.object is None:
                    a.object = b.object
                elif b.object is None:
                    b.object = a.object


# prepositions inside a noun phrase read backwards: "gross margin on car sales", "demand for cells"
_INNER_PREPOSITIONS = frozenset(("of", "in", "on", "for"))
_ADVERBS_OF_DIRECTION = frozenset(("up", "down", "higher", "lower"))
_ADJECTIVE_ENDINGS = ("ive", "ous", "ful", "able", "ible", "ent", "ant", "ic", "al")
_TIME_PREPOSITIONS = ("in", "during", "for", "over", "on", "at", "between", "since", "from")
_FILLERS = frozenset(("to", "by", "from", "a", "an", "another", "further", "some"))
_LINK = re.compile(
    r"[\s,;]*(?:(?:up|down|rising|falling)\s+)?(?:to|from|and|or|versus|vs\.?|against|than|"
    r"compared\s+(?:with|to)|while|but)?[\s,]*(?:(?:only|just)\s+)?",
    re.I,
)

"""The quantity rules compiled: units, number words and the few patterns the number reader runs,
built once per rules folder from `rules/units.jsonl` and `rules/quantity_words.json`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from monitor.nlp.patterns import trie_alternation
from monitor.nlp.quantities.objects import ObjectWords
from monitor.nlp.rulebook import rulebook

SPACE = "[ \u00a0\u202f]"
# "1,200.5" or "1200.5"; written to open with one plain digit, so that the regex engine can skip
# from digit to digit through the text (an alternation or a lookahead first makes it try every
# character)
_DIGITS = r"\d(?:\d{0,2}(?:,\d{3})+(?:\.\d+)?|\d*(?:\.\d+)?)"


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


def unit_key(s: str) -> str:
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
        rules = rulebook(directory)
        units = rules.records("units.jsonl")
        words = rules.json("quantity_words.json")
        self._load_units(units)
        self._load_words(words)
        calendar = rules.json("calendar.json")  # a number right after a month is a date
        self.months = {w.lower() for w in calendar["months"] + calendar["month_abbreviations"]}
        self.objects = ObjectWords.from_rules(words)
        self._compile_numbers(units)
        self._compile_units(units)

    def _load_units(self, units: list[dict]) -> None:
        self.forms: dict[str, Unit] = {}  # case-folded key -> unit
        self.symbols: dict[str, Unit] = {}  # exact key -> unit
        self.glued: dict[str, Unit] = {}  # letters that are a unit only against the number: "38C"
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
                self.forms.setdefault(unit_key(form).lower(), unit)
            for sym in entry.get("symbols", ()):
                self.symbols.setdefault(unit_key(sym), unit)
            for letter in entry.get("glued", ()):
                self.glued.setdefault(letter, unit)
            for pre in entry.get("prefixes", ()):
                self.prefixes.setdefault(unit_key(pre), unit)
            for pre in entry.get("scaled_prefixes", ()):  # "W1.3tn", but not "W140"
                self.prefixes.setdefault(unit_key(pre), unit)
                self.scaled_prefixes.add(unit_key(pre))
        self.lead_words = set(self.prefixes) | {"minus", "between", "Between"}
        # a currency's prices per unit, by its code: {"USD": {"t": "USD/t", "kWh": "USD/kWh"}}
        self.per_of: dict[str, dict[str, str]] = {
            e["unit"]: e["per"] for e in units if e.get("per") and e.get("factor", 1.0) == 1.0
        }

    def _load_words(self, words: dict) -> None:
        self.numbers: dict[str, float] = {k.lower(): v for k, v in words["numbers"].items()}
        self.needs_unit = set(words["numbers_needing_unit"])
        self.articles: list[str] = words["articles_before_scale"]
        self.scales: dict[str, float] = {k.lower(): v for k, v in words["scales"].items()}
        self.scale_letters: dict[str, float] = words["scale_letters"]
        self.fractions: dict[str, float] = words["fractions"]
        self.fraction_blockers = set(words["fraction_blockers"])
        self.fraction_leads = set(words["fraction_leads"])
        self.approximators = words["approximators"]
        self.span_only_approx = set(words["span_only_approximators"])
        # approximators written against the number: "c.250 miles", "~40%"
        self.glued_approx = {
            a.lower() for a in self.approximators if not a.isalpha() and " " not in a
        }
        self.glued_first = tuple(self.glued_approx)  # for one str.startswith test
        self.hyphened_approx = tuple(a for a in self.glued_approx if a.endswith("-"))
        self.up = set(words["directions"]["up"])
        self.down = set(words["directions"]["down"])
        self.moves = self.up | self.down
        self.count_nouns = set(words["count_nouns"])
        self.not_count = set(words["not_count_nouns"])
        self.strength_words = set(words["strength_words"])
        self.name_words = set(words["name_words"])
        self.verb_name_words = set(words["verb_name_words"])
        self.coordinators = set(words["noun_coordinators"])
        self.after_words = set(words["after_words"])
        self.form_factor = set(words["form_factor_nouns"])
        self.determiners = set(words["determiners"])
        self.singular_determiners = set(words["singular_determiners"])
        self.counting_determiners = set(words["counting_determiners"])
        self.possessives = set(words["possessives"])
        self.temporal = set(words["temporal_words"])
        self.breaks = set(words["phrase_breaks"]) | self.up | self.down
        self.bare_before = {"of", "in", "last", "this", "next"}
        self.bare_after = set(words["bare_number_after"]) | set(words["people_verbs"])
        self.price_leads = set(words["price_level_leads"])
        # capitalised words that may open a sentence before a count: "About 500 people"
        self.lead_ins = (
            self.bare_after
            | self.determiners
            | self.possessives
            | {a.lower() for a in self.approximators}
        )
        self.number_names = {w.lower() for w in words["number_names"]}
        self.number_names_as_written = set(words["number_names"])
        self.span_words = set(words["span_words"])
        self.period_qualifiers = set(words["period_qualifiers"])
        self.metre_words = set(words["metre_words"])
        self.c_rate_words = set(words["c_rate_words"])

    def _compile_numbers(self, units: list[dict]) -> None:
        tens = [w for w, v in self.numbers.items() if 20 <= v < 100 and v % 10 == 0]
        ones = [w for w, v in self.numbers.items() if 0 < v < 10]
        compound = f"(?:{_trie(_cases(tens), False)})[\\s-](?:{_trie(ones, False)})"
        whole = [w for w, v in self.numbers.items() if 1 <= v < 100 and v % 1 == 0]
        below_100 = _trie(_cases(w for w in whole if " " not in w), False)
        scale_words = _trie(_cases(self.scales), False)
        # "two hundred and fifty", "a hundred and twenty": the hundreds and what follows are one
        # number ("two hundred" alone stays a number and its scale word)
        heads = _trie(_cases([w for w in ones if " " not in w] + self.articles), False)
        heads_of_dozens = _trie(_cases([w for w in ones if " " not in w]), False)
        hundreds = (
            f"(?:{heads})[\\s-]+(?:{_trie(_cases(['hundred']), False)})"
            f"(?:\\s+and)?[\\s-]+(?:{compound}|{below_100})"
        )
        # "two dozen": the dozens are one number ("a dozen" stays the number word alone)
        dozens = f"(?:{heads_of_dozens})[\\s-]+(?:{_trie(_cases(['dozen']), False)})"
        article = f"(?:{_trie(_cases(self.articles), False)})(?=\\s+(?:{scale_words})\\b)"
        spelled = (
            f"\\b(?:{hundreds}|{dozens}|{compound}|{_trie(_cases(self.numbers), False)}|{article})"
            f"(?:\\s+and\\s+a\\s+half)?\\b"
        )
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
        # 'minus', 'between') is read by `NumberReader.lead`, so this pattern starts with a digit
        self.digits = re.compile(rf"(?P<num>{_DIGITS}){scale.format(g='a')}{second}")
        fraction = _trie(_cases(self.fractions), False)
        numerator = _trie(_cases(["a", "one", "two", "three", "four", "nine"]), False)
        self.words = re.compile(
            rf"(?P<frac>(?:(?:{numerator})[\s-])?(?:{fraction}))"
            rf"(?=\s+(?:of|the)\b|[.,;:)](?:\s|$)|$)"
            rf"|(?P<num>{spelled}){scale.format(g='a')}{second}"
        )
        # where number words start, in lower-cased text: cheaper to scan for than `words` itself
        articled = [f"{a} {w}" for a in self.articles for w in self.scales if w.isalpha()]
        self.word_trigger = re.compile(
            rf" (?:{_trie([*self.numbers, *self.fractions, *articled], False)})\b"
        )

    def _compile_units(self, units: list[dict]) -> None:
        forms = _trie({f for e in units for f in e.get("forms", ())})
        symbols = _trie({s for e in units for s in e.get("symbols", ())}, False)
        # prices per unit of energy or mass: "$115/kWh", "$60 per kilowatt-hour", "$9,500 a tonne"
        priced = {code for e in units for code in e.get("per", {})}
        per_forms = {  # how a unit after "per" is written -> its code ("per kt" is no price)
            f: e["unit"]
            for e in units
            if e["unit"] in priced and e.get("factor", 1.0) == 1.0
            for f in e.get("forms", []) + e.get("symbols", [])
        }
        self.per_units = {unit_key(f): code for f, code in per_forms.items()}
        per = _trie(per_forms)
        # a conversion in brackets may stand between an amount and its unit of energy: "350 yuan
        # ($48) per kWh" (both are prices per kWh; the spans stop at the amounts)
        self.per = re.compile(
            rf"(?P<aside>{SPACE}*\([^()\n]{{1,30}}\)|\))?"
            rf"(?:{SPACE}*/{SPACE}*|{SPACE}+(?:per|a|an){SPACE}+)(?P<per>{per})(?![\w/])"
        )
        # a unit ends at a word boundary; a slash only where a price's unit follows ("yuan/Wh")
        glued = _trie({g for e in units for g in e.get("glued", ())}, False)
        self.unit = re.compile(
            rf"(?:{SPACE}?-?(?:(?P<sym>{symbols})|(?P<form>(?i:{forms})))|(?P<glued>{glued}))"
            rf"(?!\w|\.\w|/(?!{per}))"
        )
        approx = _trie(self.approximators, False)
        self.approx = re.compile(rf"(?:(?<=[\s(])|^)(?P<a>(?i:{approx})){SPACE}*$")
        self.direction_after = re.compile(r"[ \u00a0]+(higher|lower|up|down)\b")
        # what stands between a price per unit and an amount that is the same price in another
        # currency or at another time: "96,500 yuan a tonne in China, or about $13,600", "$900
        # a tonne from more than $8,000", "$9,500 a tonne ($1,300 higher)"
        self.price_link = re.compile(
            r"(?:\s+in\s+[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?)?"
            r"(?:\s*,\s*or|\s*\(|\s+or|\s*,?\s+(?:up\s+|down\s+)?from"
            r"|\s*,?\s+(?:against|compared\s+with|versus|vs\.?))\s*"
        )

    def number(self, s: str) -> float:
        """The value of a written number: '1,200.5' or 'eighty-three'."""
        if s[0].isdigit() or s[0] == ".":
            return float(s.replace(",", ""))
        low = re.sub(r"\s+", " ", s.lower())
        half = low.endswith(" and a half")
        if half:
            low = low[: -len(" and a half")]
        whole = self.numbers.get(low)  # "half a"
        if whole is not None:
            return whole + 0.5 * half
        if low in self.articles:
            return 1.0 + 0.5 * half  # "a million", "a million and a half"
        value = 0.0
        for part in re.split(r"[\s-]+", low):
            if part == "hundred":
                value = (value or 1.0) * 100
            elif part == "dozen" and value:
                value *= 12  # "two dozen"
            elif part in self.articles:
                value += 1.0  # "a hundred and twenty"
            elif part != "and":
                value += self.numbers[part]
        return value + 0.5 * half

    def scale(self, m: re.Match, g: str) -> float | None:
        """The factor of the scale words after a number ('million', 'bn', 'k'), group prefix `g`."""
        word, word2, letter = m.group(g + "w", g + "x", g + "l")
        if word:
            factor = self.scales[word.lower()]
            return factor * self.scales[word2.lower()] if word2 else factor
        return self.scale_letters[letter] if letter else None

    def unit_of(self, um: re.Match) -> Unit:
        """The unit a match of `self.unit` names."""
        sym, glued = um.group("sym", "glued")
        if glued:
            return self.glued[glued]
        return self.symbols[unit_key(sym)] if sym else self.forms[unit_key(um.group("form")).lower()]



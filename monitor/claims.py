"""Claims from text: the claim linker that runs last, and `extract_claims`, the one entry point.

The linker puts claims in text order and fills what needs the whole sentence: `sentence`, the
`subject` of a quantity (the company named nearest before it in its sentence, else nearest after),
its `hedge` ("estimated", "could", "plans to" ... from rules/hedges.json, matched as written) and
`battery`, whether the sentence uses the battery/EV vocabulary of rules/battery_terms.json.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .patterns import trie_alternation
from .models import Claim
from .nlp import doc_text, load_pipeline, run_pipeline, start_claims
from .sentences import sentence_starts
from .resources import rules_dir as default_rules_dir

BATTERY_TERMS = "battery_terms.json"
HEDGES = "hedges.json"
CLAUSE_BREAK = re.compile(r"[,;:()—–]")


class BatteryVocabulary:
    """Battery and EV terms: "core" ones belong to EVs and the battery industry ("LFP", "anode"),
    "general" ones are also said of phones and laptops ("battery", "charging"). A term written all
    in lower case matches in any case ("Lithium"), one with a capital only as written ("EV", "kWh");
    a plural "s" may follow any term."""

    def __init__(self, core: Iterable[str], general: Iterable[str]) -> None:
        self._core = _term_pattern(core)
        self._any = _term_pattern([*core, *general])

    @classmethod
    def load(cls, path: Path) -> BatteryVocabulary:
        terms = json.loads(path.read_text(encoding="utf-8"))
        return cls(terms["core"], terms["general"])

    def mentioned(self, text: str, start: int = 0, end: int | None = None) -> bool:
        """Whether text[start:end] uses any term."""
        return self._any.search(text, start, len(text) if end is None else end) is not None

    def relevant(self, text: str, min_terms: int) -> bool:
        """Whether a text uses `min_terms` different terms, one of them core."""
        if self._core.search(text) is None:
            return False
        return len({_fold(match.group()) for match in self._any.finditer(text)}) >= min_terms


def _term_pattern(terms: Iterable[str]) -> re.Pattern:
    # case variants spelt out: a case-sensitive trie runs several times faster than (?i:...)
    forms = set()
    for term in terms:
        if term == term.lower():
            forms.update((term, term[:1].upper() + term[1:], term.title(), term.upper()))
        else:
            forms.add(term)
    return re.compile(rf"(?<![A-Za-z])(?:{trie_alternation(forms)})s?(?![A-Za-z])")


def _fold(term: str) -> str:
    """One form per term: "Batteries" -> "battery", "EVs" -> "ev"."""
    term = term.lower()
    if term.endswith("ies"):
        return term[:-3] + "y"
    return term.removesuffix("es") if term.endswith("ses") else term.removesuffix("s")


class Hedges:
    """Words that soften a claim ("expects" -> hedge "expected"), matched as written, on tokens."""

    def __init__(self, nlp: Language, variants: dict[str, list[str]]) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for hedge, words in variants.items():
            self.matcher.add(hedge, [nlp.make_doc(word) for word in words])

    @classmethod
    def load(cls, nlp: Language, path: Path) -> Hedges:
        return cls(nlp, json.loads(path.read_text(encoding="utf-8")))

    def find(self, doc: Doc) -> HedgeHits:
        strings = doc.vocab.strings
        hits = sorted((doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), strings[key])
                      for key, start, end in self.matcher(doc))
        return HedgeHits(doc_text(doc), hits)


class HedgeHits:
    """The hedges of one doc, in text order, for lookups around claims."""

    def __init__(self, text: str, hits: list[tuple[int, int, str]]) -> None:
        self.text = text
        self.hits = hits
        self.starts = [start for start, _, _ in hits]

    def nearest(self, start: int, end: int, sentence: tuple[int, int]) -> str | None:
        """The hedge nearest before text[start:end] in its sentence, else the first after it in the
        same clause ("sales of 500,000 are expected", not "..., and it expects")."""
        i = bisect.bisect_left(self.starts, start)
        if i > 0 and self.hits[i - 1][0] >= sentence[0] and self.hits[i - 1][1] <= start:
            return self.hits[i - 1][2]
        i = bisect.bisect_left(self.starts, end)
        if i < len(self.hits) and self.hits[i][1] <= sentence[1]:
            if not CLAUSE_BREAK.search(self.text, end, self.hits[i][0]):
                return self.hits[i][2]
        return None

    def first(self, start: int, end: int) -> str | None:
        """The first hedge inside text[start:end], as inside a quote."""
        i = bisect.bisect_left(self.starts, start)
        if i < len(self.hits) and self.hits[i][1] <= end:
            return self.hits[i][2]
        return None


@Language.factory("monitor_claims", default_config={"rules_dir": None})
def make_claim_linker(nlp: Language, name: str, rules_dir: str | None) -> ClaimLinker:
    directory = Path(rules_dir) if rules_dir else default_rules_dir()
    battery = BatteryVocabulary.load(directory / BATTERY_TERMS)
    return ClaimLinker(battery, Hedges.load(nlp, directory / HEDGES))


class ClaimLinker:
    """Puts claims in text order, each with its sentence, subject, hedge and battery relevance."""

    def __init__(self, battery: BatteryVocabulary, hedges: Hedges) -> None:
        self.battery = battery
        self.hedges = hedges

    def __call__(self, doc: Doc) -> Doc:
        claims = start_claims(doc)
        if not claims:
            return doc
        text = doc_text(doc)
        sentences = Sentences(doc)
        companies = [(start, end, name) for start, end, name, kind in doc._.company_mentions or []
                     if kind == "company"]
        relevant: dict[tuple[int, int], bool] = {}
        hedges = self.hedges.find(doc)
        for claim in claims:
            span = sentences.around(claim.start, claim.end)
            if claim.sentence is None:
                claim.sentence = text[span[0]:span[1]]
            if claim.battery is None:
                if span not in relevant:
                    relevant[span] = self.battery.mentioned(text, *span)
                claim.battery = relevant[span]
            if claim.kind == "quantity":
                if claim.subject is None:
                    claim.subject = nearest_company(companies, claim.start, claim.end, span)
                if claim.hedge is None:
                    claim.hedge = hedges.nearest(claim.start, claim.end, span)
            elif claim.kind == "quote" and claim.hedge is None:
                claim.hedge = hedges.first(claim.start, claim.end)
        claims.sort(key=lambda c: (c.start, c.end, c.kind))
        return doc


class Sentences:
    """A doc's sentence starts, for finding the sentence(s) around a claim by offset."""

    def __init__(self, doc: Doc) -> None:
        self.text = doc_text(doc)
        self.starts = sentence_starts(doc)

    def around(self, start: int, end: int) -> tuple[int, int]:
        """From the start of the sentence holding `start` to the end of the one holding `end`,
        whitespace trimmed."""
        first = bisect.bisect_right(self.starts, start) - 1
        last = bisect.bisect_right(self.starts, max(end - 1, start))
        left = self.starts[first]
        right = self.starts[last] if last < len(self.starts) else len(self.text)
        while left < start and self.text[left].isspace():
            left += 1
        while right > end and self.text[right - 1].isspace():
            right -= 1
        return left, right


def nearest_company(companies: list[tuple[int, int, str]], start: int, end: int,
                    sentence: tuple[int, int]) -> str | None:
    """The company named nearest before [start, end) in the sentence, else the nearest after it."""
    before = [c for c in companies if sentence[0] <= c[0] and c[1] <= start]
    if before:
        return max(before, key=lambda c: c[1])[2]
    after = [c for c in companies if end <= c[0] and c[1] <= sentence[1]]
    return min(after, key=lambda c: c[0])[2] if after else None


def extract_claims(text: str, *, nlp: Language | None = None) -> list[Claim]:
    """Every claim in `text`, in text order."""
    doc = run_pipeline(nlp or load_pipeline(), text)
    return list(start_claims(doc))


@lru_cache(maxsize=4)
def _battery_vocabulary(directory: Path) -> BatteryVocabulary:
    return BatteryVocabulary.load(directory / BATTERY_TERMS)


def is_battery_relevant(text: str, *, rules_dir: Path | None = None, min_terms: int = 2) -> bool:
    """Whether an article is about EV batteries: it uses `min_terms` different terms of the
    battery vocabulary, one of them core (a stray "cell", or a laptop's "battery" and "charging",
    is not)."""
    vocabulary = _battery_vocabulary(Path(rules_dir) if rules_dir else default_rules_dir())
    return vocabulary.relevant(text, min_terms)


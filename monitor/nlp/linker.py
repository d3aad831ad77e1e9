"""The claim linker, the component that runs last.

The linker puts claims in text order and fills what needs the whole sentence: `sentence`, a
quantity's `hedge` ("estimated", "could", "plans to" ... from rules/hedges.json, matched as
written), `battery`, whether the sentence uses the battery/EV vocabulary of rules/battery_terms.json,
and, through the claim describer (monitor/nlp/claims/), what each quantity of a battery article
claims: its subject, metric, scope, period and canonical value.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from monitor.nlp.claims.describer import ClaimDescriber
from monitor.nlp.claims.periods import parse_date
from monitor.nlp.doc import doc_published, doc_text, doc_title, start_claims
from monitor.nlp.relevance import BatteryVocabulary, battery_vocabulary
from monitor.nlp.rulebook import rulebook
from monitor.nlp.sentences import sentence_starts

HEDGES = "hedges.json"
CLAUSE_BREAK = re.compile(r"[,;:()—–]")


class Hedges:
    """Words that soften a claim ("expects" -> hedge "expected"), matched as written, on tokens."""

    def __init__(self, nlp: Language, variants: dict[str, list[str]]) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for hedge, words in variants.items():
            self.matcher.add(hedge, [nlp.make_doc(word) for word in words])

    @classmethod
    def load(cls, nlp: Language, rules_dir: Path) -> Hedges:
        return cls(nlp, rulebook(rules_dir).json(HEDGES))

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


class ClaimLinker:
    """Puts claims in text order, each with its sentence, hedge and battery relevance, and each
    quantity described as a claim."""

    def __init__(self, battery: BatteryVocabulary, hedges: Hedges, describer: ClaimDescriber) -> None:
        self.battery = battery
        self.hedges = hedges
        self.describer = describer

    @classmethod
    def load(cls, nlp: Language, rules_dir: Path) -> ClaimLinker:
        return cls(battery_vocabulary(rules_dir), Hedges.load(nlp, rules_dir), ClaimDescriber.load(nlp, rules_dir))

    def __call__(self, doc: Doc) -> Doc:
        claims = start_claims(doc)
        if not claims:
            return doc
        text = doc_text(doc)
        sentences = SentenceBounds(doc)
        relevant: dict[tuple[int, int], bool] = {}
        terms = self.battery.hits(text)
        hedges = self.hedges.find(doc)
        for claim in claims:
            span = sentences.around(claim.start, claim.end)
            if claim.sentence is None:
                claim.sentence = text[span[0]:span[1]]
            if claim.battery is None:
                if span not in relevant:
                    relevant[span] = terms.mentioned(*span)
                claim.battery = relevant[span]
            if claim.kind == "quantity":
                if claim.hedge is None:
                    claim.hedge = hedges.nearest(claim.start, claim.end, span)
            elif claim.kind == "quote" and claim.hedge is None:
                claim.hedge = hedges.first(claim.start, claim.end)
        quantities = [claim for claim in claims if claim.kind == "quantity"]
        # the claims tracked are battery claims: an article that never uses battery wording (most
        # of a general feed) is not read for them, which saves the describer's time on it
        if quantities and (any(claim.battery for claim in quantities) or terms.mentioned(0, len(text))):
            companies = [(start, end, name) for start, end, name, kind in doc._.company_mentions or []
                         if kind == "company"]
            quotes = [(claim.start, claim.end) for claim in claims if claim.kind == "quote"]
            self.describer.describe(doc, quantities, sentences.starts, companies,
                                    parse_date(doc_published(doc)), doc_title(doc), quotes,
                                    doc._.company_sectors)
        claims.sort(key=lambda c: (c.start, c.end, c.kind))
        return doc


class SentenceBounds:
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


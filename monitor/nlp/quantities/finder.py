"""Finds quantities in article text: each number with its unit, range, approximation and direction.

What counts and how it is read are data: `rules/units.jsonl` (each unit's code and the ways it is
written, currencies before or after the amount) and `rules/quantity_words.json` (spelled numbers,
scale words, approximators, directions, countable nouns, words that make a number a name or a
date). At start they become a few compiled patterns: one regex finds digit-led numbers with their
scale words and range end, a literal-space scan finds number words, and the unit is read just
after. What stands before a number (currency, minus, 'between') and what drops it (years, dates,
names, ranks, times, table cells) are read with string operations around each number, so the
Python work is per number found, never per token. What a percentage measures is
`objects`' job.
"""

from __future__ import annotations

from spacy.tokens import Doc

from monitor.models import Claim
from monitor.nlp.doc import doc_text, start_claims
from monitor.nlp.quantities.numbers import NumberReader
from monitor.nlp.quantities.objects import fill_objects
from monitor.nlp.quantities.rules import QuantityRules


class QuantityFinder:
    """The spaCy component: appends a quantity `Claim` for every quantity in the doc's text."""

    def __init__(self, rules: QuantityRules) -> None:
        self.rules = rules

    def __call__(self, doc: Doc) -> Doc:
        start_claims(doc).extend(find_quantities(doc_text(doc), self.rules))
        return doc


def find_quantities(text: str, rules: QuantityRules) -> list[Claim]:
    """Every quantity in `text`, in text order, percentages with what they measure."""
    reader = NumberReader(text, rules)
    numbers = [n for m in reader.matches() for n in reader.read(m)]
    reader.carry_prices(numbers)
    reader.carry_shares(numbers)
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
        for n in numbers
    ]
    fill_objects(text, claims, rules.objects)
    return claims



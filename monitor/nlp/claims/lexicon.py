"""The words a figure's claim is read from, as one spaCy PhraseMatcher: subjects (places,
technologies, materials), metric cues, scope words, anaphors, source blockers, clause breaks and
forecast words, from rules/subjects.jsonl, rules/metrics.json, rules/claim_words.json and the
sectors' nouns of rules/company_sectors.json.

One pass over a doc's tokens finds every term at once, longest first (a regex over the text costs
four times as much); the claim rules then look terms up by kind around each figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from monitor.nlp.claims.plants import PlantNames
from monitor.nlp.rulebook import rulebook
from monitor.nlp.sectors import SectorBook, noun_words

# punctuation that ends a clause (a comma inside a number is part of the number's token; a hyphen
# counts only with spaces around it, as a dash)
CLAUSE_PUNCTUATION = (",", ";", "(", ")", "[", "]", "—", "–", "-")
SUBJECTS = "subjects.jsonl"
METRICS = "metrics.json"
CLAIM_WORDS = "claim_words.json"

# what a term can say; one form may say several things ("supply" is a cue of two metrics)
SUBJECT, CUE, WORD, SCOPE, ANAPHOR, PRONOUN, BLOCKER, FORECAST, BREAK, IGNORE, WHOLE, CHANGE = (
    "subject", "cue", "word", "scope", "anaphor", "pronoun", "blocker", "forecast", "break", "ignore",
    "whole", "change")


@dataclass(frozen=True)
class Sense:
    """One thing a term says: a subject ("China", kind "place"), a metric rule's cue, a scope ..."""

    role: str
    value: str = ""  # the subject's or scope's canonical name, or the cue's metric rule index
    # subjects: "place", "world", "technology", "material"; anaphors: "sector" for a noun that
    # stands for a company only by naming its sector ("the oil major")
    kind: str = ""


class Term(NamedTuple):
    """A vocabulary form found in the text, with every sense it has (`roles`: the first sense of
    each role, for look-ups)."""

    start: int
    end: int
    senses: tuple[Sense, ...]
    roles: dict[str, Sense]

    def sense(self, role: str) -> Sense | None:
        return self.roles.get(role)


@dataclass(frozen=True)
class MetricRule:
    """One line of rules/metrics.json "rules": the metric its cues point to, for some unit families."""

    metric: str
    families: frozenset[str]
    clause_only: bool = False
    after_only: bool = False  # only cues from the figure on ("20% more than", not "more than 20%")
    needs: frozenset[str] = frozenset()
    without: frozenset[str] = frozenset()


@dataclass
class ClaimLexicon:
    """Every claim word, compiled; `scan` finds them in a stretch of text."""

    matcher: PhraseMatcher
    make_doc: object  # the pipeline's tokenizer, for text outside the doc (a headline)
    senses: dict[str, tuple[tuple[Sense, ...], dict[str, Sense]]]  # form as written -> senses, by role
    rules: list[MetricRule]
    families: dict[str, str]  # unit -> family
    defaults: dict[str, str]  # family -> metric
    timeless: frozenset[str]
    dated_when_said: frozenset[str]
    dated_by_day: frozenset[str]
    surveyed: frozenset[str]  # metrics whose yearly figures appear months after the year
    survey_months: int  # ... so that early in a year the last one known is two years back
    levels: frozenset[str]
    prices: frozenset[str]
    weak_cues: frozenset[str]
    materials: frozenset[str]  # the subjects of kind "material"
    scope_metrics: dict[str, frozenset[str]]  # scope -> the metrics it narrows (empty: every metric)
    scope_prepositions: frozenset[str]
    forecast_hedges: frozenset[str]
    explained_by: tuple[str, ...]  # openings of a sentence that says what the figure before measures
    plants: PlantNames
    sectors: SectorBook  # which sector a description names ("the Japanese automaker")

    @classmethod
    def load(cls, nlp: Language, rules_dir: Path) -> ClaimLexicon:
        forms: dict[str, list[Sense]] = {}

        def add(words, sense: Sense) -> None:
            for word in words:
                forms.setdefault(word, []).append(sense)

        book = rulebook(rules_dir)
        for entry in book.records(SUBJECTS):
            sense = (Sense(IGNORE) if entry["kind"] == "ignore"
                     else Sense(SUBJECT, entry["subject"], entry["kind"]))
            add(entry.get("forms", []), sense)
            add(entry.get("exact", []), sense)
        metrics = book.json(METRICS)
        rules = []
        for index, rule in enumerate(metrics["rules"]):
            rules.append(MetricRule(rule["metric"], frozenset(rule["families"]), bool(rule.get("clause")),
                                    bool(rule.get("after")), frozenset(rule.get("needs", [])),
                                    frozenset(rule.get("without", []))))
            add(rule["cues"], Sense(CUE, str(index)))
            # "of" in needs means "of" right after the figure, which the metric reader checks itself
            add([w for w in (*rule.get("needs", []), *rule.get("without", [])) if w != "of"], Sense(WORD))
        add(metrics.get("neutral", []), Sense(WORD))
        words = book.json(CLAIM_WORDS)
        add(words["anaphor_nouns"], Sense(ANAPHOR))
        sectors = SectorBook.load(rules_dir)
        # a sector's noun whose head is no anaphor by itself ("the oil major", "the bank")
        # stands for a company only where a company of its sector is named before it
        heads = {noun_words(noun)[-1] for noun in words["anaphor_nouns"]}
        add([noun for noun in sectors.written if noun_words(noun)[-1] not in heads],
            Sense(ANAPHOR, kind="sector"))
        add(words["anaphor_pronouns"], Sense(PRONOUN))
        add(words["subject_blockers"], Sense(BLOCKER))
        add(words["forecast_words"], Sense(FORECAST))
        add([*words["clause_breaks"], *CLAUSE_PUNCTUATION], Sense(BREAK))
        add(words["whole_references"], Sense(WHOLE))
        add(words["change_nouns"], Sense(CHANGE))
        scope_metrics = {}
        for scope, entry in words["scopes"].items():
            add(entry["words"], Sense(SCOPE, scope))
            scope_metrics[scope] = frozenset(entry.get("metrics", []))
        merged: dict[str, tuple[Sense, ...]] = {}
        for form, found in forms.items():
            unique = tuple(dict.fromkeys(found))
            for variant in case_variants(form):
                merged[variant] = tuple(dict.fromkeys((*merged.get(variant, ()), *unique)))
        senses = {form: (found, {sense.role: sense for sense in reversed(found)})
                  for form, found in merged.items()}
        matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for form in senses:
            matcher.add(form, [nlp.make_doc(form)])
        families = {unit: family for family, units in metrics["families"].items() for unit in units}
        return cls(
            matcher=matcher, make_doc=nlp.make_doc, senses=senses, rules=rules, families=families,
            defaults=metrics["defaults"], timeless=frozenset(metrics["timeless"]),
            dated_when_said=frozenset(metrics["dated_when_said"]),
            dated_by_day=frozenset(metrics["dated_by_day"]),
            surveyed=frozenset(metrics["surveyed"]["metrics"]), survey_months=metrics["surveyed"]["months"],
            levels=frozenset(metrics["levels"]),
            prices=frozenset(metrics["prices"]),
            weak_cues=frozenset(metrics.get("weak", [])),
            materials=frozenset(s.value for found in merged.values() for s in found
                                if s.role == SUBJECT and s.kind == "material"),
            scope_metrics=scope_metrics, scope_prepositions=frozenset(words["scope_prepositions"]),
            forecast_hedges=frozenset(words["forecast_hedges"]),
            explained_by=tuple(words["explained_by"]),
            plants=PlantNames.build(words["plant_words"], words["plant_metrics"]),
            sectors=sectors,
        )

    def scan(self, doc: Doc) -> list[Term]:
        """Every term of a doc, in text order, the longest where two overlap."""
        strings, senses = doc.vocab.strings, self.senses
        matches = self.matcher(doc)
        if not matches:
            return []
        longest: dict[int, tuple[int, int]] = {}
        for key, start, end in matches:
            if end > longest.get(start, (0, 0))[0]:
                longest[start] = (end, key)
        terms, last = [], 0
        for start in sorted(longest):
            end, key = longest[start]
            if start < last:
                continue
            form = strings[key]
            first = doc[start]
            if form == "-" and not (start and doc[start - 1].whitespace_ and first.whitespace_):
                continue  # a hyphen inside a word, not a dash
            last = end
            final = doc[end - 1] if end - 1 != start else first
            terms.append(Term(first.idx, final.idx + len(final), *senses[form]))
        return terms

    def family(self, unit: str | None) -> str:
        """The unit family of a figure's unit: "percent", "money", "money_per_energy" ..."""
        if not unit:
            return "count"
        if unit in self.families:
            return self.families[unit]
        money, _, per = unit.partition("/")
        if is_currency(money):
            if not per:
                return "money"
            per_family = self.families.get(per, per)
            return "money_per_energy" if per_family in ("energy", "pack_energy") else f"money_per_{per_family}"
        return unit


def is_currency(unit: str) -> bool:
    return len(unit) == 3 and unit.isupper() and unit.isalpha()


def case_variants(form: str) -> set[str]:
    """A form in lower case matches as written, capitalised, in title case and in capitals; one
    with a capital matches only as written."""
    if form != form.lower():
        return {form}
    return {form, form[:1].upper() + form[1:], form.title(), form.upper()}

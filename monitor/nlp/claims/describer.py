"""Every figure of an article as a claim that can be tracked: its subject, metric, scope and period,
and its value in a canonical unit (GUIDELINES.md, "Claims"). The claim linker calls it once a doc.

The claim key built from these fields is tracking's business (monitor/tracking/keys.py); this module
only reads the text.
"""

from __future__ import annotations

import bisect
import re
from datetime import date
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from monitor.models import Claim
from monitor.nlp.claims.lexicon import BREAK, CHANGE, FORECAST, SCOPE, SUBJECT, WHOLE, ClaimLexicon, Term
from monitor.nlp.claims.metrics import read_metric
from monitor.nlp.claims.periods import TimeMention, past_years, reference_year, step_back
from monitor.nlp.claims.reading import Company, SentenceReading
from monitor.nlp.claims.subjects import (Candidate, candidates, choose, leading, owner_before,
                                         sentence_owners)
from monitor.nlp.claims.units import UnitTable
from monitor.nlp.doc import doc_text

# how many sentences back a subject is carried to a sentence that names none; beyond the nearest
# few, only the subjects of figures and the companies named count (no sentence is read again)
CARRY_SENTENCES = 4
# how many sentences back a figure's metric is carried to one only a weak cue governs
EARLIER_SENTENCES = 2
READ_BACK = 1
# how many words may stand before "the company" that opens a sentence: "The Swedish company"
OPENING_WORDS = 3
STOPWORDS = frozenset("""a an the of in on at to for by from with and or its their his her our this that
these those than as is are was were be been more less about some""".split())
FROM_BEFORE = re.compile(r"\bfrom\s*$", re.IGNORECASE)
# what joins two figures of one change: "rose 12% to 1.76 million", "37.9%, up from 36.8%"
CHANGE_LINK = re.compile(r"\s*,?\s*(?:(?:up|down)\s+)?(?:to|from)\s+(?:about\s+|around\s+|nearly\s+|almost\s+|"
                         r"roughly\s+|some\s+|just\s+|over\s+)?", re.IGNORECASE)
# what puts one figure in another unit: "60,000 yuan ($8,350)", "500 km, or about 310 miles"
CONVERSION = re.compile(r"\s*(?:\(|,?\s+or)\s*(?:about\s+|around\s+|roughly\s+|some\s+|nearly\s+|almost\s+)?",
                        re.IGNORECASE)
WINDOW_TO = re.compile(r"\s+to\s+", re.IGNORECASE)
AND = re.compile(r"\s(?:and|or)\s", re.IGNORECASE)


class ClaimDescriber:
    """Fills subject, metric, scope, period and canonical value of the quantities of one doc."""

    def __init__(self, lexicon: ClaimLexicon, units: UnitTable) -> None:
        self.lexicon = lexicon
        self.units = units

    @classmethod
    def load(cls, nlp: Language, rules_dir: Path) -> ClaimDescriber:
        return cls(ClaimLexicon.load(nlp, rules_dir), UnitTable.load(rules_dir))

    def describe(self, doc: Doc, quantities: list[Claim], sentence_starts: list[int],
                 companies: list[tuple[int, int, str]], published: date | None,
                 title: str | None, quotes: list[tuple[int, int]] = (),
                 sectors: dict[str, frozenset[str]] | None = None) -> None:
        """`companies`: (start, end, canonical name) of every company mention; `quotes`: the
        spans of the article's quotes, whose names are the speaker's, not a figure's owner;
        `sectors`: the sectors of the companies that have one."""
        ArticleFigures(self.lexicon, doc_text(doc), self.lexicon.scan(doc), sentence_starts, companies,
                       published, title, list(quotes), sectors or {}).describe(quantities)
        for claim in quantities:
            claim.canonical_value, claim.canonical_unit = self.units.canonical(claim.value, claim.unit)


class ArticleFigures:
    """One article's figures, read sentence by sentence; subjects carry forward in text order."""

    def __init__(self, lexicon: ClaimLexicon, text: str, terms: list[Term], sentence_starts: list[int],
                 companies: list[tuple[int, int, str]], published: date | None, title: str | None,
                 quotes: list[tuple[int, int]], sectors: dict[str, frozenset[str]]) -> None:
        self.lexicon = lexicon
        self.sectors = sectors
        self.terms = terms
        self.term_starts = [t.start for t in terms]
        self.quotes = sorted(quotes)
        self.text = text
        self.starts = sentence_starts
        self.companies = [Company(s, e, name) for s, e, name in sorted(companies)]
        self.company_starts = [c.start for c in self.companies]
        self.company_names = {c.name for c in self.companies}
        self._owners: dict[int, list[Candidate]] = {}
        self._leading: dict[int, Candidate | None] = {}
        self.published = published
        self.title = title
        self.readings: dict[int, SentenceReading] = {}
        self.sentence_subject: dict[int, str] = {}  # sentence index -> the subject of its first figure
        self.figure_starts: dict[int, list[int]] = {}  # sentence index -> where its figures start
        self.figure_ends: dict[int, int] = {}  # a figure's start -> its end
        self._years: list[tuple[int, int]] | None = None
        self._headline: dict[bool, str | None] = {}  # companies only? -> the headline's subject
        self.previous: tuple[int, str, str] | None = None  # sentence index, family, metric of the last figure
        self.extent: dict[int, int] = {}  # a figure's start -> the end of its bracketed other unit

    def describe(self, quantities: list[Claim]) -> None:
        ordered = sorted(quantities, key=lambda c: c.start)
        conversions = self.conversions(ordered)
        indexes = [bisect.bisect_right(self.starts, claim.start) - 1 for claim in ordered]
        for claim, index in zip(ordered, indexes):
            if id(claim) not in conversions:
                self.figure_starts.setdefault(index, []).append(claim.start)
                self.figure_ends[claim.start] = claim.end
        prices: dict[str, Claim] = {}  # unit -> the last price per unit described in it
        for claim, index in zip(ordered, indexes):
            stated = conversions.get(id(claim))
            if stated is not None:
                claim.subject, claim.metric, claim.scope, claim.period = (
                    stated.subject, stated.metric, stated.scope, stated.period)
                continue
            self.describe_one(claim, index, self.reading(index))
            carried = prices.get(claim.unit) if claim.rule == "price-carried" else None
            if carried is not None and not claim.scope and (carried.subject, carried.metric) == (
                    claim.subject, claim.metric):
                # "near 60,000 yuan per tonne in China ... It had fallen to 96,500 yuan": the
                # price again, in the market the sentence before named
                claim.scope = carried.scope
            if claim.rule.startswith("price"):
                prices[claim.unit] = claim

    def conversions(self, ordered: list[Claim]) -> dict[int, Claim]:
        """The figures that give the figure before them in another unit ("60,000 yuan ($8,350)",
        "500 km, or about 310 miles"): one claim, which they take whole; `extent` lets the stated
        figure's clause run past the brackets ("... ($8,350) a tonne in China in June")."""
        found: dict[int, Claim] = {}
        for first, second in zip(ordered, ordered[1:]):
            link = CONVERSION.fullmatch(self.text, first.end, second.start)
            if link is None or not first.unit or not second.unit or first.unit == second.unit:
                continue
            if self.lexicon.family(first.unit).split("_per_")[0] != self.lexicon.family(second.unit).split("_per_")[0]:
                continue
            found[id(second)] = found.get(id(first), first)
            if link.group(0).strip().startswith("(") and self.text.startswith(")", second.end):
                self.extent[first.start] = second.end + 1
        return found

    def describe_one(self, claim: Claim, index: int, reading: SentenceReading) -> None:
        lexicon, text = self.lexicon, self.text
        start, end = claim.start, claim.end
        clause = reading.clause(start, self.extent.get(start, end))
        found = candidates(self.owners(index), reading.is_quoted(start), start, end)
        chosen = choose(found, reading, start, end, self.figure_starts.get(index, []))
        subject = self.resolve(chosen, found, index) or "global"
        claim.subject = subject
        if index not in self.sentence_subject:
            self.sentence_subject[index] = subject
        family = lexicon.family(claim.unit)
        claim.metric = self.metric(claim, index, reading, clause, family) or (
            "material_price" if family == "money" and self.is_material(subject) else
            lexicon.defaults.get(family, "other"))
        self.previous = (index, family, claim.metric)
        claim.scope = self.scope(claim, reading, clause, subject, family) or None
        claim.period = self.period(claim, reading, clause)
        if claim.period in (None, "forecast") and self.opens_window(claim, reading):
            # "charge from 10% to 80%": with no period to step back, the start is a claim apart
            claim.scope = ", ".join(sorted({*(claim.scope or "").split(", "), "window start"} - {""}))

    # -- metric ----------------------------------------------------------------------------
    def metric(self, claim: Claim, index: int, reading: SentenceReading, clause: tuple[int, int],
               family: str) -> str | None:
        """What governs the figure in its sentence; else (or where only a count's cue does: "models
        made up 1.76 million of the total") what the figure before it measures, where its clause
        refers back to that one; else what the next sentence says it is."""
        previous = self.previous
        before = previous[1:] if previous and previous[0] == index else None
        earlier = previous[1:] if previous and index - EARLIER_SENTENCES <= previous[0] < index else None
        found = read_metric(self.lexicon, self.text, reading, claim.start, claim.end, family, clause,
                            before, earlier)
        if found in (None, "count") and previous is not None and previous[0] >= index - 1:
            found = self.elliptical(reading, clause, family, previous[1], previous[2]) or found
        if found is None:
            found = self.explained_after(claim, index, family)
        return found

    def elliptical(self, reading: SentenceReading, clause: tuple[int, int], family: str,
                   last_family: str, last_metric: str) -> str | None:
        """The metric of a figure whose clause refers back to the figure before: a part of its whole
        ("made up 500,000 of the total"), or a change in it ("the 20% decline": of a price,
        price_change)."""
        roles = {role for t in reading.terms if clause[0] <= t.start and t.end <= clause[1] for role in t.roles}
        if WHOLE in roles and family == last_family:
            return last_metric
        if CHANGE in roles and family == "percent":
            if last_metric in self.lexicon.prices:
                return "price_change"
            if last_metric in self.lexicon.levels:
                return last_metric
        return None

    def explained_after(self, claim: Claim, index: int, family: str) -> str | None:
        """The metric the next sentence gives a figure no cue governs, when it opens by saying what
        the figure is ("The first is 80%. That is the country's grip on cell capacity.")."""
        if index + 1 >= len(self.starts) or self.figure_starts.get(index + 1):
            return None
        following = self.reading(index + 1)
        opening = self.text[following.start:following.start + 30].lstrip()
        if not opening.startswith(self.lexicon.explained_by):
            return None
        return read_metric(self.lexicon, self.text, following, following.start, following.start, family,
                           (following.start, following.end))

    # -- subject ---------------------------------------------------------------------------
    def resolve(self, chosen: Candidate | None, found: list[Candidate], index: int) -> str | None:
        """A named owner as it is; "it" or "the company" as the name before it in the sentence,
        else as carried from the sentences before (a company first); no owner, as carried."""
        if chosen is not None and chosen.name is not None:
            return chosen.name
        if chosen is not None:
            owner = owner_before(found, chosen.start)
            if owner is not None:
                return owner.name
            return self.carried(index, True) or (self.carried(index, False) if chosen.kind == "pronoun" else None)
        return self.carried(index, False)

    def carried(self, index: int, companies_only: bool) -> str | None:
        """The subject of the sentences before: of their first figure, else their first owner;
        the headline's when none of the last few names one."""
        for back in range(index - 1, max(-1, index - 1 - CARRY_SENTENCES), -1):
            subject = self.sentence_subject.get(back)
            if subject:
                if not companies_only or self.is_company(subject):
                    return subject
                continue
            first = self.leading(back) if back >= index - READ_BACK else self.first_company(back)
            if first is not None and (not companies_only or first.kind == "company"):
                return first.name
        return self.headline_subject(companies_only)

    def is_material(self, name: str | None) -> bool:
        return name is not None and name in self.lexicon.materials

    def is_company(self, name: str | None) -> bool:
        return name in self.company_names

    def headline_subject(self, companies_only: bool) -> str | None:
        """The subject the headline names (a company only, if so asked), read once an article."""
        if companies_only not in self._headline:
            self._headline[companies_only] = self.read_headline(companies_only)
        return self._headline[companies_only]

    def read_headline(self, companies_only: bool) -> str | None:
        if not self.title:
            return None
        title = self.title
        named = sorted((title.find(self.text[c.start:c.end]), c.name) for c in self.companies
                       if self.text[c.start:c.end] in title or c.name in title)
        if named:
            return named[0][1]
        if companies_only:
            return None
        doc = self.lexicon.make_doc(title)
        reading = SentenceReading.read(title, 0, len(title), self.lexicon.scan(doc), [], None)
        first = leading(sentence_owners(self.lexicon, title, reading), reading)
        return first.name if first else None

    # -- scope -----------------------------------------------------------------------------
    def scope(self, claim: Claim, reading: SentenceReading, clause: tuple[int, int],
              subject: str | None, family: str) -> str:
        """What narrows the figure beyond its subject: the scope words, places and materials from
        the figure before it in the sentence (or the sentence start) to the end of its clause, and
        technologies too where the subject is no company (a company's product is the company's
        claim, whichever words describe it); the change of an amount; what an otherwise
        unclassified figure counts."""
        lexicon, metric = self.lexicon, claim.metric
        # a company's figure is narrowed by places and materials; its product's specification by
        # the technology too (a carmaker's solid-state range is not its current model's)
        product = self.is_company(subject) and metric in lexicon.timeless
        kinds = ("place", "technology", "material") if product or not self.is_company(subject) else ("place", "material")
        left = self.scope_start(claim, reading)
        right = self.scope_end(claim, clause)
        # the words describing a company say what it is, not what its figure is of
        index = bisect.bisect_right(self.starts, claim.start) - 1
        described = [(c.start, c.end) for c in self.owners(index) if c.described]
        parts: list[str] = []
        for term in reading.terms:
            if not (left <= term.start and term.end <= right) or claim.start <= term.start < claim.end:
                continue
            if reading.is_blocked(term.start, term.end) or any(
                    s <= term.start < e for s, e in described):
                continue
            scope = term.sense(SCOPE)
            if scope is not None:
                allowed = lexicon.scope_metrics.get(scope.value)
                if not allowed or metric in allowed:
                    parts.append(scope.value)
                continue
            named = term.sense(SUBJECT)
            if named is not None and named.kind in kinds and named.value != subject:
                parts.append(named.value)
                product = product and named.kind != "technology"
        if metric in lexicon.plants.metrics:
            parts.extend(self.plant(reading, left))
        if product:  # no technology named with it: the sentence's (its product's), else the one
            # the sentences just before are about
            parts.extend(self.technology_in(reading, reading.start, right)[:1] or
                         self.technology_before(index))
        # a percentage of an amount is its change ("sales rose 41%"); points are always a change
        # or a gap between two shares ("its share fell 2.8 points")
        if family == "points" or (metric in lexicon.levels and family == "percent" and "margin" not in parts):
            parts.append("change")
        if metric in ("count", "other"):
            parts.extend(self.counted(claim))
        return ", ".join(sorted(dict.fromkeys(p.lower() for p in parts)))

    def scope_start(self, claim: Claim, reading: SentenceReading) -> int:
        """Where the words that narrow a figure may start: after the figure before it in the
        sentence, unless the two are one change ("rose 12% to 1.76 million", "up from 36.8%"),
        whose words narrow both; else at the sentence start."""
        figures = self.figure_starts.get(bisect.bisect_right(self.starts, claim.start) - 1, [])
        start, left = claim.start, reading.start
        for earlier in reversed([f for f in figures if f < claim.start]):
            end = self.figure_ends.get(earlier, earlier)
            if not CHANGE_LINK.fullmatch(self.text, end, start):
                left = max(reading.start, end)
                break
            start = earlier
        # past a statement of its own ("..., while deliveries outside China doubled to 417,204")
        for term in reading.terms:
            if left <= term.start and term.end <= start and BREAK in term.roles and (
                    self.text[term.start].isalpha() or self.text[term.start] == ";"):
                left = term.end
        return left

    def scope_end(self, claim: Claim, clause: tuple[int, int]) -> int:
        """Where the words after a figure stop narrowing it: the end of its clause, the next
        figure, or an "and" that starts another statement ("1.76 million of the total and plug-in
        hybrids the rest")."""
        end = min(clause[1], self.next_figure_start(claim))
        joined = AND.search(self.text, claim.end, end)
        return joined.start() if joined else end

    def plant(self, reading: SentenceReading, left: int) -> list[str]:
        """The plant a figure's sentence names from where the figure's words start, else the one
        named last before it (in the text or the headline) where the sentence speaks of "the
        plant"."""
        plants, text = self.lexicon.plants, self.text
        taken = [(c.start, c.end) for c in reading.companies] + [
            (t.start, t.end) for t in reading.terms if SUBJECT in t.roles]
        named = plants.names(text, left, reading.end, taken)
        if named:
            return [named[0][1]]
        if not plants.refers_back(text, reading.start, reading.end):
            return []
        before = plants.names(text, 0, reading.start)
        if before:
            return [before[-1][1]]
        in_title = plants.names(self.title, 0, len(self.title)) if self.title else []
        return [in_title[-1][1]] if in_title else []

    def technology_before(self, index: int) -> list[str]:
        """The first technology the nearest of the sentences before names ("Sodium-ion first. CATL
        rates its cell at 175 Wh/kg."), within a few."""
        for back in range(index - 1, max(-1, index - 1 - EARLIER_SENTENCES), -1):
            reading = self.reading(back)
            found = self.technology_in(reading, reading.start, reading.end)
            if found:
                return found[:1]
        return []

    @staticmethod
    def technology_in(reading: SentenceReading, start: int, end: int) -> list[str]:
        """The technologies named between `start` and `end` of a sentence, not as a source's."""
        return [named.value for term in reading.terms if start <= term.start and term.end <= end
                and (named := term.sense(SUBJECT)) is not None and named.kind == "technology"
                and not reading.is_blocked(term.start, term.end)]

    def counted(self, claim: Claim) -> list[str]:
        """What a count or an unclassified figure is of: the content words of its object, or of the
        words right after it ("more than 1,000 patents")."""
        words = (claim.object or self.text[claim.end:claim.end + 40]).split()
        content = [w.strip(".,;:()\"'’").lower() for w in words[:4]]
        return [w for w in content if w and w not in STOPWORDS and not w[0].isdigit()][:2]

    # -- period ----------------------------------------------------------------------------
    def period(self, claim: Claim, reading: SentenceReading, clause: tuple[int, int]) -> str | None:
        lexicon = self.lexicon
        if claim.metric in lexicon.timeless:
            return None
        time, stepped = self.time_of(claim, reading)
        period = time.period if time else None
        if time is not None and time.back:
            anchor = self.anchor(reading, time)
            period = step_back(anchor) if anchor else None
        if period is None:
            if claim.metric in lexicon.dated_by_day and self.published:
                period = self.published.isoformat()
            elif claim.metric not in lexicon.dated_when_said:
                surveyed = lexicon.survey_months if claim.metric in lexicon.surveyed else 0
                period = reference_year(self.years(), claim.start, self.published, surveyed)
        if stepped and period:
            period = step_back(period)
        forecast = (time is not None and time.forecast) or claim.hedge in lexicon.forecast_hedges or any(
            t.sense(FORECAST) is not None for t in reading.terms
            if clause[0] <= t.start and t.end <= clause[1])
        if forecast:
            return f"forecast {period}" if period else "forecast"
        return period

    def time_of(self, claim: Claim, reading: SentenceReading) -> tuple[TimeMention | None, bool]:
        """The time a figure is for: the first named after it before the next figure, else the last
        named before it in the sentence; and whether it is the earlier value of a change ("rose to
        25% last year from 7.5%"), one period before the time it takes from before it."""
        times = [t for t in reading.times() if not t.ignored]
        # a time after the figure dates it within its clause only ("reached 417,204 for the year,
        # and it wants to double that in 2025")
        limit = min(self.next_figure_start(claim), reading.clause(claim.start, self.extent.get(claim.start, claim.end))[1])
        after = [t for t in times if t.start >= claim.end and t.start < limit and ";" not in
                 self.text[claim.end:t.start]]
        if after:
            return after[0], False
        before = [t for t in times if t.end <= claim.start]
        stepped = bool(FROM_BEFORE.search(self.text, max(reading.start, claim.start - 12), claim.start))
        if before:
            return before[-1], stepped
        return None, stepped

    def opens_window(self, claim: Claim, reading: SentenceReading) -> bool:
        """Whether the figure is the start of a window or change: "from 10% to 80%"."""
        after = self.next_figure_start(claim)
        return bool(FROM_BEFORE.search(self.text, max(reading.start, claim.start - 12), claim.start)) and \
            after < reading.end and WINDOW_TO.fullmatch(self.text, claim.end, after) is not None

    def next_figure_start(self, claim: Claim) -> int:
        index = bisect.bisect_right(self.starts, claim.start) - 1
        figures = self.figure_starts.get(index, [])
        i = bisect.bisect_right(figures, claim.start)
        return figures[i] if i < len(figures) else len(self.text)

    def anchor(self, reading: SentenceReading, time: TimeMention) -> str | None:
        """The period "a year earlier" counts back from: the sentence's named time before it."""
        named = [t for t in reading.times() if t.end <= time.start and t.period and not t.ignored]
        if named:
            return named[-1].period
        return reference_year(self.years(), time.start, self.published)

    def years(self) -> list[tuple[int, int]]:
        """The past years the headline (as if before the text) and the text name, read once."""
        if self._years is None:
            self._years = [(-1, year) for _, year in past_years(self.title or "")] + past_years(self.text)
        return self._years

    # -- readings --------------------------------------------------------------------------
    def owners(self, index: int) -> list[Candidate]:
        """The possible owners sentence `index` names, found once."""
        if index not in self._owners:
            self._owners[index] = sentence_owners(self.lexicon, self.text, self.reading(index),
                                                  self.company_of_sector)
        return self._owners[index]

    def company_of_sector(self, start: int, end: int, sector: str) -> str | None:
        """The company a description naming `sector` at text[start:end] stands for: the company
        named right after it ("the carmaker Honda"), else the nearest of that sector named
        before it ("Hyundai ... Shell ... the Korean carmaker" is Hyundai), the first
        of the nearest sentence naming one ("Rio Tinto bought Arcadium. The miner ..." is Rio
        Tinto, the sentence's subject)."""
        i = bisect.bisect_left(self.company_starts, end)
        if i < len(self.companies) and not self.text[end:self.companies[i].start].strip():
            return self.companies[i].name
        before = [c for c in self.companies[:bisect.bisect_left(self.company_starts, start)]
                  if sector in self.sectors.get(c.name, ())]
        if not before:
            return None
        sentence = self.starts[bisect.bisect_right(self.starts, before[-1].start) - 1]
        return next(c.name for c in before if c.start >= sentence)

    def first_company(self, index: int) -> Candidate | None:
        start = self.starts[index]
        i = bisect.bisect_left(self.company_starts, start)
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
        if i < len(self.companies) and self.companies[i].start < end:
            company = self.companies[i]
            return Candidate(company.start, company.end, company.name, "company")
        return None

    def leading(self, index: int) -> Candidate | None:
        """The subject sentence `index` is about, found once: where "it" or "the company" opens
        its first clause, the company carried to it ("The company signed a deal with Volvo. It
        made ..." is about the company before, not Volvo)."""
        if index not in self._leading:
            reading = self.reading(index)
            owners = [c for c in self.owners(index) if not c.quoted]
            head = leading(owners, reading)
            first = min((c for c in owners if c.name is None), key=lambda c: c.start, default=None)
            if first is not None and (head is None or first.start < head.start) and self.opens(
                    reading, first.start):
                carried = self.carried(index, True)
                if carried is not None:
                    head = first._replace(name=carried, kind="company")
            self._leading[index] = head
        return self._leading[index]

    def opens(self, reading: SentenceReading, start: int) -> bool:
        """Whether text[start:] is the sentence's subject, as "it" or "the company" opening it
        (not "Despite the setbacks of its neighbour, Korea ...")."""
        return start < reading.clause(reading.start, reading.start)[1] and \
            len(self.text[reading.start:start].split()) <= OPENING_WORDS

    def reading(self, index: int) -> SentenceReading:
        reading = self.readings.get(index)
        if reading is not None:
            return reading
        start = self.starts[index]
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
        lo = bisect.bisect_left(self.company_starts, start)
        hi = bisect.bisect_left(self.company_starts, end)
        terms = self.terms[bisect.bisect_left(self.term_starts, start):bisect.bisect_left(self.term_starts, end)]
        figures = [(f, self.figure_ends[f]) for f in self.figure_starts.get(index, [])]
        reading = SentenceReading.read(self.text, start, end, terms, self.companies[lo:hi],
                                       self.published, self.quotes, figures)
        self.readings[index] = reading
        return reading

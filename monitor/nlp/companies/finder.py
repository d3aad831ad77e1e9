"""Finds the companies an article names, and the outlets and other organisations kept apart.

Gazetteers in rules/ use spaCy's EntityRuler JSONL format, one name a line:
`{"label": "ORG", "pattern": "Ford Motor", "id": "Ford"}`. The `id` is the canonical name a claim
reports. A string pattern matches exactly as written (case and all); a token pattern of `LOWER`
attributes (`[{"LOWER": "contemporary"}, ...]`) matches in any letter case. `"ambiguous": true`
marks a name that is also a common word or a place ("Rio", "SDI"): it counts only where the same
article names that organisation unambiguously too. `"group": true` marks a group's short name
("Samsung", "LG"): always a company, but which one the article says by naming one member in full
("Samsung SDI"); with none named it is the group, with two it is left out.

- `companies.jsonl`: label ORG, one claim of kind "company" per company per article.
- `organisations.jsonl`: OUTLET (news outlets) gives kind "outlet"; AGENCY, ASSOCIATION,
  RESEARCH, FINANCE, UNIVERSITY, NGO give kind "organisation" (the label goes to
  `extra["category"]`), so a speaker such as "Reuters" or "BloombergNEF" resolves without being
  counted as a company.
- `not_companies.jsonl`: PERSON, PLACE or PRODUCT names that contain a company name ("Doug Ford",
  "Nikola Tesla"); they win the overlap and are then dropped.
- `company_words.json`: how unknown names ending in a corporate suffix ("Inc.", "Energy", ...)
  or described as a business ("Altris, a Swedish start-up": `appositives`) become
  candidate companies (known=False), and the generic capitalised words ("Rival", "Chinese")
  that are neither part of a name nor a person's given name.
- `calendar.json`: the days and months, never a company's name.
- `company_sectors.json`: each known company's line of business; an unknown one's is the one the
  text describes it with (`described.py`). Every company's sectors go to `doc._.company_sectors`.

The longest name wins where names overlap. A one-word company name used as a surname ("Mike Ford",
"John M. Ford") makes that word ambiguous for the whole article: its one-word mentions are dropped,
longer names ("Ford Motor") still count. Every mention goes to `doc._.company_mentions`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from monitor.nlp.companies.appositives import AppositiveCandidates
from monitor.nlp.companies.described import DescribedSectors
from monitor.nlp.companies.descriptors import DescriptorCandidates
from monitor.nlp.companies.lists import ListCandidates
from monitor.nlp.companies.name_words import NameWords
from monitor.nlp.companies.roles import RoleCandidates
from monitor.nlp.companies.tickers import TickerCandidates
from monitor.nlp.patterns import trie_alternation
from monitor.models import Claim
from monitor.nlp.doc import doc_text, start_claims
from monitor.nlp.openers import SentenceOpeners
from monitor.nlp.rulebook import rulebook
from monitor.nlp.sectors import SectorBook

GAZETTEERS = ("companies.jsonl", "organisations.jsonl", "not_companies.jsonl")
WORD_RULES = "company_words.json"
SUBJECTS = "subjects.jsonl"  # its places and their demonyms are never a company's name
CALENDAR = "calendar.json"  # nor is a day or a month

COMPANY_LABEL = "ORG"
OUTLET_LABEL = "OUTLET"
ORGANISATION_LABELS = {"AGENCY", "ASSOCIATION", "RESEARCH", "FINANCE", "UNIVERSITY", "NGO"}
BLOCKING_LABELS = {"PERSON", "PLACE", "PRODUCT"}
LABELS = {COMPANY_LABEL, OUTLET_LABEL} | ORGANISATION_LABELS | BLOCKING_LABELS
# a word before a capitalised name that shows it is not a given name: "the Kentucky Ford plant"
DETERMINERS = {"the", "a", "an", "its", "their", "our", "'s", "’s"}
SPAN_PUNCTUATION = {",", ";", ":", "-", "–", "—"}  # punctuation that does not open a sentence
# a figure right after a name, as in a ranking line: "EVE: 7 GWh", "EVE (7.0 GWh)", "LG 13%"
_RANKED = re.compile(r"[ \t]*[:(][ \t]*[$€£¥]?\d|[ \t]+\d[\d.,]*[ \t]?(?:%|GWh|MWh|per ?cent)")
# an item of a ranking line: a capitalised name of up to three words, then its figure
_RANK_ITEM = re.compile(
    r"(?<![\w&.'’-])((?:[A-Z][\w&'’.-]*[ \t]+){0,2}[A-Z][\w&'’-]*)"
    r"(?=[ \t]*:[ \t]*[$€£¥]?\d|[ \t]+\d[\d.,]*[ \t]?(?:%|GWh|MWh|per ?cent)|[ \t]*\([ \t]*\d)"
)
_NAME_CHARACTER = re.compile(r"[\w&-]")  # a character that a name's mention never follows
# what parts two names in a list: "CALB, EVE", "CALB and EVE", "CALB, EVE, and"
_LIST_GAP = re.compile(r"\s*(?:,|;|/|&|,?\s+(?:and|or))\s*")


@dataclass(frozen=True)
class Name:
    """What a gazetteer pattern stands for."""

    canonical: str
    label: str
    ambiguous: bool = False
    group: bool = False  # a group's short name, resolved to the member the article names

    @property
    def kind(self) -> str | None:
        """The claim kind, or None for names that only block others."""
        if self.label == COMPANY_LABEL:
            return "company"
        if self.label == OUTLET_LABEL:
            return "outlet"
        if self.label in ORGANISATION_LABELS:
            return "organisation"
        return None


@dataclass
class Found:
    """One mention on its way to a claim."""

    start: int
    end: int
    canonical: str
    kind: str
    known: bool = True
    category: str | None = None
    cue: str = "suffix"  # what made an unknown name a candidate: its suffix or an appositive


def _lower_words(pattern: list[dict]) -> list[str] | None:
    """The words of a token pattern made only of LOWER attributes, else None."""
    if all(set(token) == {"LOWER"} and isinstance(token["LOWER"], str) for token in pattern):
        return [token["LOWER"] for token in pattern]
    return None


class CompanyFinder:
    """Gazetteer matches (PhraseMatcher on ORTH and LOWER) plus suffix candidates, built once."""

    def __init__(self, nlp: Language, rules_dir: Path) -> None:
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.tokens = Matcher(nlp.vocab)
        self.names: dict[int, Name] = {}
        rules = rulebook(rules_dir)
        for file_name in GAZETTEERS:
            for record in rules.records(file_name, optional=True):  # a missing one is empty
                self._add(nlp, record)
        words = rules.json(WORD_RULES)
        self.candidates = SuffixCandidates(nlp, words)
        calendar = rules.json(CALENDAR)
        self.months = frozenset(calendar["months"])
        days_months = frozenset(calendar["days"]) | self.months
        places = {form for record in rules.records(SUBJECTS, optional=True)
                  if record.get("kind") == "place"
                  for form in [record["subject"], *record.get("forms", []),
                               *record.get("exact", [])]}
        names = NameWords.from_rules(words, places, days_months, self.candidates.is_generic)
        self.appositives = AppositiveCandidates(words, self.months, names)
        self.roles = RoleCandidates(nlp, words, names, SentenceOpeners.load(rules_dir))
        self.descriptors = DescriptorCandidates(nlp, words, names)
        self.lists = ListCandidates(nlp, words, names)
        self.tickers = TickerCandidates(words, names)
        self.sectors = DescribedSectors(SectorBook.load(rules_dir), words)

    def _add(self, nlp: Language, record: dict) -> None:
        if record["label"] not in LABELS:
            raise ValueError(f"unknown label {record['label']!r} for {record['pattern']!r};"
                             f" use one of {sorted(LABELS)}")
        name = Name(record["id"], record["label"], bool(record.get("ambiguous")), bool(record.get("group")))
        key = f"{name.label}|{name.canonical}|{int(name.ambiguous)}|{int(name.group)}"
        self.names[nlp.vocab.strings.add(key)] = name
        pattern = record["pattern"]
        if isinstance(pattern, str):
            self.exact.add(key, [nlp.make_doc(pattern)])
        elif (words := _lower_words(pattern)) is not None:
            self.folded.add(key, [Doc(nlp.vocab, words=words)])
        else:
            self.tokens.add(key, [pattern])

    def __call__(self, doc: Doc) -> Doc:
        claims = start_claims(doc)
        text = doc_text(doc)
        found = self.find(doc, text)
        doc._.company_mentions = [(f.start, f.end, f.canonical, f.kind) for f in found]
        doc._.company_sectors = sectors = self.sectors.of_article(
            text, ((f.start, f.end, f.canonical) for f in found if f.kind == "company"))
        claims.extend(first_mention_claims(text, found, sectors))
        return doc

    def find(self, doc: Doc, text: str) -> list[Found]:
        """Every organisation mention in text order; `text` is doc.text."""
        matches = self.exact(doc) + self.folded(doc)
        if len(self.tokens):
            matches += self.tokens(doc)
        chosen = longest_first((start, end, self.names[key]) for key, start, end in matches)
        # people, places and products named in full: no cue makes them a company
        blocked = [(doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))
                   for start, end, name in chosen if name.kind is None]
        chosen = [(start, end, name) for start, end, name in chosen if name.kind is not None]
        suffixed = self.candidates.suffixed(doc, text)
        chosen = self._inside_longer_names(doc, chosen, suffixed)
        surnames = self._surnames(doc, chosen)
        chosen = [(start, end, name) for start, end, name in chosen
                  if end - start > 1 or name.canonical not in surnames]
        named = {name.canonical for _, _, name in chosen if not (name.ambiguous or name.group)}
        found = []
        for k, (start, end, name) in enumerate(chosen):
            if name.group:
                name = _group_member(name, doc[start:end].text, named)
                if name is None:
                    continue
            elif name.ambiguous and name.canonical not in named and not _listed(doc, text, chosen, k):
                continue
            last = doc[end - 1]
            end_char = self.candidates.extend_legal(text, last.idx + len(last))
            category = name.label.lower() if name.kind == "organisation" else None
            found.append(Found(doc[start].idx, end_char, name.canonical, name.kind, True, category))
        found += self.candidates.find(doc, text, taken=[(f.start, f.end) for f in found], suffixed=suffixed)
        found += self._cued(text, self.appositives.find(text), "appositive",
                            taken=[(f.start, f.end) for f in found])
        found += self._cued(text, self.tickers.find(text), "ticker",
                            taken=[(f.start, f.end) for f in found] + blocked)
        found += self._cued(text, self.roles.find(doc, text), "role",
                            taken=[(f.start, f.end) for f in found] + blocked)
        found += self._cued(text, self.descriptors.find(doc, text), "descriptor",
                            taken=[(f.start, f.end) for f in found] + blocked)
        companies = [(f.start, f.end) for f in found if f.kind == "company"]
        found += self._cued(text, self.lists.find(doc, text, companies), "list",
                            taken=[(f.start, f.end) for f in found] + blocked)
        found += self._ranked(text, found)
        found.sort(key=lambda f: f.start)
        return found

    def _inside_longer_names(self, doc: Doc, chosen: list[tuple[int, int, Name]],
                             suffixed: dict[str, list[tuple[int, int]]]) -> list[tuple[int, int, Name]]:
        """The known one-word names left, less those that open a longer unknown name with a
        corporate suffix (`suffixed`: "Lotus" in "Lotus Ridge Capital", "Apple" in "Apple
        Hospitality REIT Inc."): that name is another company. A suffix right after the known
        name ("Tesla Energy", "Apple Inc.") keeps it: that is the company itself or its own
        division."""
        starts = {doc[start].idx: (start, end) for start, end, _ in chosen if end - start == 1}
        if not starts:
            return chosen
        opened = set()
        for name, spans in suffixed.items():
            for at, _ in spans:
                if at in starts:
                    start, end = starts[at]
                    after = name[len(doc[start].text):].split()
                    if after and not self.candidates.is_suffix(after[0]):
                        opened.add(start)
        return [c for c in chosen if c[0] not in opened]

    def _ranked(self, text: str, found: list[Found]) -> list[Found]:
        """Unknown companies in a ranking line beside known ones ("CATL: 37%, BYD: 16%,
        Hithium: 4%"): an item of a line that ranks at least two companies is one too, with
        every later mention of its name."""
        companies = [(f.start, f.end) for f in found if f.kind == "company"]
        taken = [(f.start, f.end) for f in found]
        spans: dict[str, list[tuple[int, int]]] = {}
        # only a line naming two companies can rank them: count the mentions of each line
        lines: dict[int, int] = {}
        for start, _ in companies:
            line_start = text.rfind("\n", 0, start) + 1
            lines[line_start] = lines.get(line_start, 0) + 1
        for line_start in (at for at, n in lines.items() if n >= 2):
            line_end = text.find("\n", line_start)
            line = text[line_start : line_end if line_end >= 0 else len(text)]
            items = list(_RANK_ITEM.finditer(line))
            at = [(line_start + m.start(1), line_start + m.end(1)) for m in items]
            if sum(_overlaps(a, b, companies) for a, b in at) >= 2:
                for m in items:
                    start, end = line_start + m.start(1), line_start + m.end(1)
                    words = m.group(1).split()
                    if _overlaps(start, end, taken) or any(
                        self.candidates.is_generic(w) or w in self.months for w in words
                    ):
                        continue
                    spans.setdefault(m.group(1), []).append((start, end))
        return [Found(start, end, name, "company", known=False, cue="ranking")
                for name, first in spans.items()
                for start, end in SuffixCandidates._all_mentions(text, name, first, taken)]

    def _cued(self, text: str, cued: Iterable[tuple[int, int, str]], cue: str,
              taken: list[tuple[int, int]]) -> list[Found]:
        """Unknown companies a cue in the text names ("Altris, a Swedish start-up": an
        appositive; "Kestrel CEO Jo Lee": a role), with every later mention of the name."""
        spans: dict[str, list[tuple[int, int]]] = {}
        for start, end, name in cued:
            if not _overlaps(start, end, taken):
                spans.setdefault(name, []).append((start, end))
        return [Found(start, end, name, "company", known=False, cue=cue)
                for name, first in spans.items()
                for start, end in SuffixCandidates._all_mentions(text, name, first, taken)]

    def _surnames(self, doc: Doc, chosen: list[tuple[int, int, Name]]) -> set[str]:
        """Canonical names whose one-word name follows a given name or an initial: "Mike Ford"."""
        inside = {i for start, end, _ in chosen for i in range(start, end)}
        surnames = set()
        for start, end, name in chosen:
            if end - start == 1 and not _opens_sentence(doc, start) and start - 1 not in inside:
                if self._looks_like_given_name(doc, start - 1):
                    surnames.add(name.canonical)
        return surnames

    def _looks_like_given_name(self, doc: Doc, i: int) -> bool:
        word = doc[i]
        if len(word.text) == 2 and word.text[0].isupper() and word.text[1] == ".":
            return True  # an initial: "John M. Ford"
        if not (word.is_title and word.is_alpha) or _opens_sentence(doc, i):
            return False
        return not self.candidates.is_generic(word.text) and doc[i - 1].lower_ not in DETERMINERS


def _group_member(group: Name, mention: str, named: set[str]) -> Name | None:
    """What a group's short name stands for in an article naming `named` in full: the one member
    named ("Samsung" beside "Samsung SDI"), else the group, or None where two members are."""
    members = [canonical for canonical in named
               if canonical != group.canonical and canonical.startswith(mention + " ")]
    if len(members) > 1:
        return None
    return Name(members[0] if members else group.canonical, group.label)


def _listed(doc: Doc, text: str, chosen: list[tuple[int, int, Name]], k: int) -> bool:
    """Whether the k-th mention stands in a ranking ("EVE: 7 GWh", "EVE (7 GWh)") or in a list
    next to a company named unambiguously ("CALB, EVE and Gotion"): there a short name that is
    also a word or a place ("EVE", "Rio") can only be the company."""
    start, end, _ = chosen[k]
    last = doc[end - 1]
    if _RANKED.match(text, last.idx + len(last)):
        return True
    for j in (k - 1, k + 1):
        if not 0 <= j < len(chosen) or chosen[j][2].ambiguous or chosen[j][2].kind != "company":
            continue
        a, b = (chosen[j], chosen[k]) if j < k else (chosen[k], chosen[j])
        left = doc[a[1] - 1]
        if _LIST_GAP.fullmatch(text, left.idx + len(left), doc[b[0]].idx):
            return True
    return False


def _opens_sentence(doc: Doc, i: int) -> bool:
    """Whether token i starts a sentence, a paragraph or a bracketed or quoted stretch."""
    if i == 0 or doc[i].is_sent_start:
        return True
    before = doc[i - 1]
    return before.is_space or (before.is_punct and before.text not in SPAN_PUNCTUATION)


def longest_first(spans: Iterable[tuple[int, int, Name]]) -> list[tuple[int, int, Name]]:
    """Non-overlapping spans, the longer (then the earlier) winning, in text order."""
    taken: set[int] = set()
    chosen = []
    for start, end, name in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if not taken.intersection(range(start, end)):
            taken.update(range(start, end))
            chosen.append((start, end, name))
    chosen.sort(key=lambda s: s[0])
    return chosen


def first_mention_claims(text: str, found: list[Found],
                         sectors: dict[str, frozenset[str]]) -> list[Claim]:
    """One claim per organisation: its first mention, with the count of all mentions and a
    company's sectors."""
    firsts: dict[tuple[str, str], Found] = {}
    counts: dict[tuple[str, str], int] = {}
    for f in found:
        key = (f.canonical, f.kind)
        firsts.setdefault(key, f)
        counts[key] = counts.get(key, 0) + 1
    return [_claim(text, f, counts[key], sectors.get(f.canonical) if f.kind == "company" else None)
            for key, f in firsts.items()]


def _claim(text: str, f: Found, mentions: int, sectors: frozenset[str] | None = None) -> Claim:
    extra: dict = {"mentions": mentions}
    if f.category:
        extra["category"] = f.category
    if sectors:
        extra["sectors"] = sorted(sectors)
    if not f.known:
        rule = f"company/{f.cue}-candidate"
    else:
        rule = "company/gazetteer" if f.kind == "company" else "organisation/gazetteer"
    return Claim(kind=f.kind, text=text[f.start:f.end], start=f.start, end=f.end, rule=rule,
                 company=f.canonical, known=f.known, extra=extra)


class SuffixCandidates:
    """Unknown names ending in a corporate suffix ("Sunrise Energy", "Acme Corp."): companies not in
    the gazetteer, reported with known=False. The word lists in company_words.json keep out
    generic phrases ("Clean Energy"), public bodies ("... Development Corporation") and names that
    run on into a longer one ("Energy Department", "Raw Materials Act")."""

    WORD = r"[A-Z][A-Za-z0-9&]*(?:-[A-Za-z0-9&]+)*"

    def __init__(self, nlp: Language, rules: dict) -> None:
        # suffix words are spotted on the tokens (fast); the regex then runs only where they are
        self._suffix_words = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._suffix_words.add("SUFFIX", [nlp.make_doc(w) for w in rules["heads"] + rules["legal"]])
        legal = trie_alternation(rules["legal"])
        tail = rf"(?:,?[ \t]+(?:{legal})(?![\w&]))*"
        self._legal_tail = re.compile(tail)
        # the suffix is found first (it is rare), then the capitalised words before it
        heads = trie_alternation(rules["heads"])
        self._suffix = re.compile(
            rf"(?<![\w&.'’-])"
            rf"(?:(?P<head>{heads})(?![\w&-]){tail}|(?:{legal})(?![\w&]){tail})"
            rf"(?P<next>[ \t]+[A-Z][\w&-]*)?"
        )
        self._words_before = re.compile(rf"(?<![\w&.'’-])(?:{self.WORD}[ \t]+){{1,4}}$")
        self._word = re.compile(self.WORD)
        self._generic = {w.lower() for w in rules["generic"]} | STOP_WORDS
        self._public = {w.lower() for w in rules["not_within"]}
        self._titles = set(rules["titles_after"])
        self._name_openers = set(rules["name_openers"])
        self._suffixes_words = set(rules["heads"]) | set(rules["legal"])

    def extend_legal(self, text: str, end: int) -> int:
        """The end of a name once a legal tail such as ", Ltd." or " Co." is taken in."""
        match = self._legal_tail.match(text, end)
        return match.end() if match else end

    def suffixed(self, doc: Doc, text: str) -> dict[str, list[tuple[int, int]]]:
        """Every name written with its suffix, and where: what `find` reads, found once an
        article (the finder also asks it which known names open a longer one)."""
        spans: dict[str, list[tuple[int, int]]] = {}
        for match in self._suffixes(doc, text):
            next_word = match.group("next")
            end = match.start("next") if next_word else match.end()
            if next_word and text[end - 1] != "." and next_word.strip() not in self._titles:
                continue  # the name runs on: "Energy Department", "Raw Materials Act"
            before = self._words_before.search(text, max(0, match.start() - 120), match.start())
            named = self._name(before, match.group("head")) if before else None
            if named is not None:
                spans.setdefault(named[1], []).append((named[0], end))
        return spans

    def find(self, doc: Doc, text: str, *, taken: list[tuple[int, int]],
             suffixed: dict[str, list[tuple[int, int]]] | None = None) -> list[Found]:
        """Candidate mentions outside the spans already taken by known names (`suffixed`: what
        `suffixed` found, when already asked)."""
        written = self.suffixed(doc, text) if suffixed is None else suffixed
        spans = {name: kept for name, at in written.items()
                 if (kept := [(a, b) for a, b in at if not _overlaps(a, b, taken)])}
        found = []
        for name, first_spans in spans.items():
            for start, end in self._all_mentions(text, name, first_spans, taken):
                found.append(Found(start, end, name, "company", known=False))
        return found

    def _suffixes(self, doc: Doc, text: str) -> Iterator[re.Match]:
        """Non-overlapping suffix matches in text order, tried only where a suffix word stands."""
        reached = 0
        for start in sorted({doc[i].idx for _, i, _ in self._suffix_words(doc)}):
            if start >= reached and (match := self._suffix.match(text, start)):
                reached = match.end()
                yield match

    def _name(self, before: re.Match, head: str | None) -> tuple[int, str] | None:
        """Start and canonical name (legal tail dropped) once leading generic words are trimmed."""
        words = list(self._word.finditer(before.group()))
        while words and self.is_generic(words[0].group()):
            if words[0].group() in self._name_openers and any(
                    not self.is_generic(w.group()) for w in words[1:]):
                break  # "Global Kestrel Technologies": the adjective opens the name
            words.pop(0)
        if not words or any(w.group().lower() in self._public for w in words):
            return None
        if head and all(self.is_generic(w.group()) for w in words):
            return None  # "Clean Energy", "Chinese Lithium"
        name = " ".join([w.group() for w in words] + ([head] if head else []))
        return before.start() + words[0].start(), name

    def is_suffix(self, word: str) -> bool:
        """A head or a legal suffix that ends a company's name: "Energy", "Inc."."""
        return word in self._suffixes_words or word.rstrip(",") in self._suffixes_words

    def is_generic(self, word: str) -> bool:
        """A capitalised word that names nothing by itself: "Rival", "Chinese", "Texas-based"."""
        # hyphenated compounds ending in lower case are adjectives: "Texas-based", "Lithium-ion"
        return word.lower() in self._generic or bool(re.search(r"-[a-z]+$", word))

    @staticmethod
    def _all_mentions(text: str, name: str, spans: list[tuple[int, int]],
                      taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Every mention of the name, with or without legal tail ("Acme Inc." ... "Acme said")."""
        mentions = list(spans)
        # the name first, then the character before it: a pattern that opens with a lookbehind
        # is tried at every position of the text, one opening with the name is searched for
        for match in re.finditer(rf"{re.escape(name)}(?![\w&-])", text):
            at = match.start()
            if at and _NAME_CHARACTER.match(text, at - 1):
                continue  # "Kestrel" inside "NewKestrel" or "X-Kestrel"
            span = (at, match.end())
            if not _overlaps(*span, mentions) and not _overlaps(*span, taken):
                mentions.append(span)
        return sorted(mentions)


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in spans)



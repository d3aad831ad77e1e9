"""Who a quotation's speaker is: names cleaned of titles, resolved to the fullest form the article
gives, organisations to their company name, and pronouns or "the company" to whom they refer.

Attribution finds a speaker phrase next to a quotation ("Farley", "she", "the carmaker"); the
guidelines want the fullest name, so this module reads the rest of the article for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from monitor.nlp.quotes.vocabulary import Vocabulary
from monitor.nlp.text_layout import Sentences

_COURTESY = re.compile(r"(Mr|Mrs|Ms|Mx)\.?\s")
_HAS_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")  # "LFP", "BYD": not part of a personal name
_COURTESY_NAME = re.compile(r"\b(Mr|Mrs|Ms)\.?\s+[A-Z]")
# what pronouns and courtesy titles tell of a person, so "she" skips a man named just before
_GENDER = {"he": "m", "mr": "m", "she": "f", "mrs": "f", "ms": "f"}
_INITIAL = re.compile(r"[A-Z]\.")
_LOOKBACK_STEP = 400  # characters read back at a time when looking for a pronoun's antecedent
_POSSESSIVE_END = re.compile(r"\w['’]s\s+$")
_TITLE_THEN_NAME = re.compile(r",?\s+(?=[A-Z])")  # "chief executive Lena Frisk", "chief, Lena"
# the rest of an appositive after a title: "(Lena Frisk, the chief executive) of Voltaren, said"
_APPOSITIVE_END = re.compile(r"[^,;:()\n]{0,40}?(?:,|\.(?:\s|$)|$)")
_IRREGULAR_PLURALS = frozenset({"people", "men", "women", "spokespeople"})
_SINGULAR_PRONOUNS = frozenset({"he", "she", "i"})


def is_plural(word: str) -> bool:
    """Whether a noun reads as plural: 'analysts', 'people', but not 'boss'."""
    return word in _IRREGULAR_PLURALS or word.endswith("s") and not word.endswith("ss")


@dataclass
class Speaker:
    """Who a quotation is attributed to, as found next to it."""

    kind: str  # "name", "pronoun", "org", "anaphor", "description", "unnamed"
    text: str | None
    start: int
    rule: str


# the subject of the speech verb at an offset, as attribution reads it
SubjectOf = Callable[[int], "Speaker | None"]


_PLACE_PREPOSITIONS = ("to", "of", "for", "at", "in")


class Speakers:
    """The names of one article and what its pronouns refer to, each worked out once."""

    def __init__(
        self, text: str, vocab: Vocabulary, companies: list[tuple], sentences: Sentences,
        sectors: dict[str, frozenset[str]] | None = None,
    ) -> None:
        self.text = text  # the article with quoted words blanked, so quotes are never read
        self.v = vocab
        self.companies = sorted(companies)
        self.sectors = sectors or {}  # canonical company -> its sectors
        self.sentences = sentences
        self.lookback = vocab.thresholds["pronoun_lookback_chars"]
        self._names: dict[str, str] = {}
        self._runs: dict[str, list[tuple[int, str]]] = {}
        self._genders: dict[str, str] = {}  # full name -> "m" or "f", as pronouns revealed it
        self._lower: str | None = None  # the text in lower case, made when first needed
        self._clean: dict[str, str | None] = {}  # capitalised run -> clean_name(run)

    def clean_name(self, run: str) -> str | None:
        """A capitalised run without the titles before the name ('Ford CEO Jim Farley' -> 'Jim
        Farley'), or None where it is no one's name (a role, a weekday, a pronoun); read once
        per run, since an article names the same people again and again."""
        if run not in self._clean:
            self._clean[run] = self._clean_name(run)
        return self._clean[run]

    def _clean_name(self, run: str) -> str | None:
        tokens = run.split()
        while tokens and (
            tokens[0].lower() in self.v.function_words or tokens[0].lower() in ("the", "a", "an")
        ):
            tokens = tokens[1:]
        while len(tokens) > 1 and (
            self.v.openers.opens(tokens[0], at_sentence_start=False) or tokens[0].lower() in self.v.verb_forms
        ):
            tokens = tokens[1:]  # "Yet Ortiz", "Said Ortiz"
        if any(t.rstrip(".") in self.v.calendar for t in tokens):
            return None
        courtesy = bool(tokens) and _COURTESY.match(tokens[0] + " ") is not None
        cut = 0
        for i, tok in enumerate(tokens[:-1]):
            low = tok.lower()
            if (
                low in self.v.titles
                or low.rstrip(".") + "." in self.v.honorifics
                or (low.endswith("s") and low[:-1] in self.v.titles)  # "Democrats Hillary Clinton"
            ):
                cut = i + 1
        if cut and any(t.lower() in self.v.org_words for t in tokens[cut:]):
            cut = 0  # "Democratic National Committee", "General Motors": a title word in a name
        for i, tok in enumerate(tokens[:-1]):
            if tok.lower().endswith(self.v.modifier_suffixes):
                cut = max(cut, i + 1)  # "Seoul-born Jo Lee", "the Lee-run State Department"
        rest = tokens[cut:]
        if not rest:
            return None
        name = " ".join(rest)
        if (
            name.endswith(".")
            and rest[-1].lower() not in self.v.suffixes
            and not _INITIAL.fullmatch(rest[-1])
        ):
            name = name[:-1]
        low = name.lower()
        if (self.is_role(low) and not courtesy) or low in self.v.pronouns:
            return None  # "Ministers", "Analysts": a role, not a name
        if len(rest) == 1 and (
            rest[0].lower() in self.v.adverbs
            or rest[0].lower()
            in ("the", "a", "an", "this", "that", "but", "and", "so", "in", "on", "at", "as")
        ):
            return None
        return name

    def named(self, name: str, start: int, end: int) -> Speaker:
        """The speaker a clean name found at text[start:end] stands for: an organisation (by its
        canonical company name where the companies component found one) or a person. Where
        titles were cut from the run ('PowerCo CEO Frank Blome'), only the name's own words
        decide: the company before the title is the speaker's employer, not the speaker."""
        at = self.text.rfind(name, start, end)
        own = at if at > start and not self.text[at + len(name) : end].strip(" .,") else start
        if self.is_org(name, own, end):
            return Speaker("org", self.org_name(name, own), start, "")
        return Speaker("name", name, start, "")

    def is_role(self, word: str) -> bool:
        """A job or kind of person ('analyst', 'ministers') rather than a name."""
        return word in self.v.roles or (word.endswith("s") and word[:-1] in self.v.roles)

    def is_org(self, name: str, start: int, end: int) -> bool:
        if self._company_at(start, end):
            return True
        tokens = name.split()
        if any(t.lower().strip(".,") in self.v.org_words for t in tokens):
            return True
        return len(tokens) == 1 and len(name) > 1 and name.isupper()

    def _company_at(self, start: int, end: int) -> tuple | None:
        for c in self.companies:
            if c[0] < end and start < c[1]:
                return c
            if c[0] >= end:
                break
        return None

    def org_name(self, name: str, start: int) -> str:
        """The canonical company name where the companies component found one here."""
        c = self._company_at(start, start + len(name))
        return c[2] if c else name

    def names_with(self, word: str) -> list[tuple[int, str]]:
        """The capitalised runs around each use of `word`, without their titles, as (start,
        name); found once per word."""
        if word in self._runs:
            return self._runs[word]
        out = []
        text, n = self.text, len(word)
        i = text.find(word)
        while i >= 0:
            if (i == 0 or not text[i - 1].isalnum()) and not text[i + n : i + n + 1].isalnum():
                start = self._after_place(self._run_start(i), i)
                r = self.v.name_run.match(text, start)
                if r and r.end() >= i + n:
                    name = self.clean_name(r.group())
                    if name:
                        out.append((start, name))
            i = text.find(word, i + n)
        self._runs[word] = out
        return out

    def _after_place(self, start: int, i: int) -> int:
        """Where the name starts in a run that follows a title and a preposition: 'envoy to
        Ukraine Kurt Volker' is Kurt Volker, the first word the place of the title."""
        before = self.text[max(0, start - 40) : start].split()
        if len(before) < 2 or before[-1] not in _PLACE_PREPOSITIONS:
            return start
        if before[-2].lower().strip(",") not in self.v.titles:
            return start
        nxt = self.text.find(" ", start, i)
        return nxt + 1 if nxt >= 0 else start

    def _run_start(self, i: int) -> int:
        """Where the capitalised run holding offset `i` begins (up to four words back)."""
        start = i
        for _ in range(4):
            j = start - 1
            if j < 1 or self.text[j] != " ":
                break
            lo = max(0, j - 30)
            k = max(self.text.rfind(" ", lo, j), self.text.rfind("\n", lo, j)) + 1
            word = self.text[k:j]
            if (
                not word
                or not (word[0].isupper() or word in self.v.particles)
                or not word.rstrip(".").replace("-", "").isalpha()
            ):
                break
            start = k
        return start

    def fullest(self, name: str) -> str:
        """The fullest form of `name` in the article: 'Farley' -> 'Jim Farley', 'Mr. King' ->
        'Larry King', 'Choi' -> 'Choi Yoon-ho'."""
        if name in self._names:
            return self._names[name]
        core = [t for t in name.split() if t.lower() not in self.v.honorifics] or name.split()
        best = " ".join(core)
        if len(core) <= 2:
            counts: dict[str, int] = {}
            first: dict[str, int] = {}
            bare = -1
            n = len(core)
            for start, full in self.names_with(core[-1] if n == 1 else core[0]):
                toks = full.split()
                if toks == core and bare < 0:
                    bare = start
                if not n < len(toks) <= 4 or (toks[-n:] != core and toks[:n] != core):
                    continue
                if any(t.lower() in self.v.org_words for t in toks[n:] + toks[:-n]):
                    continue
                if self.v.openers.opens(toks[0], at_sentence_start=self.sentences.is_start(start)):
                    continue  # "Hosting Cook at the fair ...": a participle opening a sentence
                counts[full] = counts.get(full, 0) + 1
                first.setdefault(full, start)
            # 'Choi Yoon-ho' for 'Choi' only where the full form comes first, not 'Northvolt Ett'
            counts = {
                f: c
                for f, c in counts.items()
                if f.split()[-n:] == core or bare < 0 or first[f] < bare
            }
            if counts:
                ranked = sorted(
                    counts,
                    key=lambda f: (f.split()[-n:] == core, counts[f], -first[f]),
                    reverse=True,
                )
                # two people share the surname ("Ann Lee", "Bo Lee"): only a clear favourite
                rivals = [
                    f for f in ranked[1:] if not f.endswith(ranked[0]) and not ranked[0].endswith(f)
                ]
                if not rivals or counts[ranked[0]] >= 2 * counts[rivals[0]]:
                    best = ranked[0]
        self._names[name] = best
        return best

    def resolve(self, found: Speaker | None, *, subject_of: SubjectOf) -> tuple[str | None, str]:
        """The speaker's fullest name, and the rule that found it; `subject_of` tells who spoke
        earlier, for pronouns."""
        if found is None:
            return None, "quote/unattributed"
        if found.kind == "name":
            full = self.fullest(found.text or "")
            # the article's own courtesy title stays: "Mr. Alexander" is "Mr. Lamar Alexander"
            h = _COURTESY.match(self.text, found.start) if self.v.keep_courtesy else None
            return (f"{h.group().strip()} {full}" if h else full), found.rule
        if found.kind == "org":
            return self.fullest_org(found.text or ""), found.rule
        if found.kind == "unnamed":
            return None, found.rule
        if found.kind == "description":
            return self.described(found.text or "", found.start), found.rule + "/description"
        if found.kind == "pronoun":
            who = self.antecedent(found.start, found.text or "", subject_of=subject_of)
            return who, found.rule + "/pronoun"
        # an anaphor: "the company", "the agency"; as written where nothing named comes before
        noun = found.text or ""
        who = self.org_antecedent(found.start, noun) or self._as_written(found.start, noun)
        return who, found.rule + "/anaphor"

    def _as_written(self, start: int, noun: str) -> str | None:
        """The phrase from `start` to its head noun: "the newspaper", "the agency"."""
        i = self.text.find(noun, start, start + 80)
        return self.text[start : i + len(noun)] if i >= 0 else None

    def described(self, phrase: str, start: int) -> str | None:
        """The person a definite description refers to: the one the article, before it, gives
        that title ('chief executive Lena Frisk', 'Lena Frisk, Voltaren's chief executive'), or
        nobody named where it refers back to someone unnamed ('one engineer ... the engineer
        said'); else the description as written."""
        det = self.v.determiner.match(phrase)
        title = phrase[det.end() :].split() if det else phrase.split()
        if not title or is_plural(title[-1].lower()):
            return phrase  # a group is not one person with that title
        lo = max(0, start - self.lookback)
        best, at = None, -1
        for i in self._occurrences(" ".join(title).lower(), lo, start):
            name = self._titled(i, i + len(" ".join(title)))
            if name:
                best, at = name, i
        if any(
            i > at and self.v.someone_before.search(self.text, max(0, i - 40), i)
            for i in self._occurrences(title[-1].lower(), lo, start)
        ):
            return None
        return self.fullest(best) if best else phrase

    def _occurrences(self, words: str, lo: int, hi: int) -> list[int]:
        """Where the lower-case `words` stand as whole words in text[lo:hi], case folded (a plain
        string search: a regex compiled per description would cost more than the search)."""
        if self._lower is None:
            self._lower = self.text.lower()
        text, n, out = self._lower, len(words), []
        i = text.find(words, lo, hi)
        while i >= 0:
            if (i == 0 or not text[i - 1].isalnum()) and not text[i + n : i + n + 1].isalnum():
                out.append(i)
            i = text.find(words, i + n, hi)
        return out

    def _titled(self, start: int, end: int) -> str | None:
        """The person given the title at text[start:end]: named right after it, after a comma,
        or before it with the title in an appositive."""
        after = _TITLE_THEN_NAME.match(self.text, end)
        if after:
            r = self.v.name_run.match(self.text, after.end())
            if r:
                return self._person(r.group(), r.start(), r.end())
        before = self.v.apposed_name.search(self.text, max(0, start - 120), start)
        if before and _APPOSITIVE_END.match(self.text, end):
            return self._person(before.group(1), before.start(1), before.end(1))
        return None

    def _person(self, run: str, start: int, end: int) -> str | None:
        """The clean name of a person in a capitalised run, or None for an organisation."""
        name = self.clean_name(run)
        return name if name and not self.is_org(name, start, end) else None

    def fullest_org(self, name: str) -> str:
        """'LGES' -> 'LG Energy Solution' and 'Rio' -> 'Rio Tinto' where the article spells the name
        out before using the short form."""
        if len(name.split()) != 1:
            return name
        if name.isupper() and 2 <= len(name) <= 6:
            for r in self.v.name_run.finditer(self.text):
                toks = r.group().split()
                if len(toks) > 1 and "".join(t if t.isupper() else t[0] for t in toks) == name:
                    return self.clean_name(r.group()) or name
            return name
        return self.fullest(name)

    def antecedent(self, pos: int, pronoun: str, *, subject_of: SubjectOf) -> str | None:
        """The person (or organisation, for 'it') a pronoun speaker refers to: the latest one named
        before it as a speaker, with an appositive, or by role ('one engineer'). Read back a
        stretch at a time, since the antecedent is nearly always close."""
        want = self.v.pronouns.get(pronoun, "any")
        if want == "none":
            return None
        gender = _GENDER.get(pronoun)
        lo = max(0, pos - self.lookback)
        hi = pos
        while hi > lo:
            a = max(lo, hi - _LOOKBACK_STEP)
            found: list[tuple[int, str | None]] = []
            for m in self.v.verbs.finditer(self.text, a, hi):
                sp = subject_of(m.start())
                cand = self._mention(sp, want, pronoun) if sp else False
                if cand is not False and sp and sp.start >= a:
                    found.append((sp.start, cand))
            if want != "org":
                found += self.person_mentions(a, hi)
            for _, who in sorted(found, key=lambda x: x[0], reverse=True):
                # "he" after a woman was named: skip her for the man named before
                if gender and who and self._genders.setdefault(who, gender) != gender:
                    continue
                return who
            hi = a
        return self.org_antecedent(pos, "company") if want == "org" else None

    def _mention(self, sp: Speaker, want: str, pronoun: str) -> str | None | bool:
        """A candidate antecedent from a speaker phrase, or False when it cannot be one."""
        if sp.kind == "name" and want in ("person", "any"):
            return self.fullest(sp.text or "")
        if sp.kind == "org" and want in ("org", "any"):
            return self.fullest_org(sp.text or "")
        if sp.kind == "name" and want == "org" and len((sp.text or "").split()) == 1:
            return self.fullest_org(sp.text or "")  # "Volkswagen said ... it said"
        if sp.kind == "description" and want in ("person", "any"):
            # "he" is not "striking workers", nor "they" "the veteran engineer"
            plural = is_plural((sp.text or "").rsplit(" ", 1)[-1].lower())
            if plural != (pronoun in _SINGULAR_PRONOUNS):
                return self.described(sp.text or "", sp.start)
            return False
        if sp.kind == "unnamed" and want in ("person", "any"):
            return None
        return False

    def person_mentions(self, lo: int, hi: int) -> list[tuple[int, str | None]]:
        """People introduced in text[lo:hi] by an appositive ('Marta Kowalczyk, a senior analyst')
        or only by role ('one engineer')."""
        out: list[tuple[int, str | None]] = []
        for m in self.v.appositive.finditer(self.text, lo, hi):
            start = self._run_start(self.text.rfind(" ", max(0, m.start() - 40), m.start()) + 1)
            r = self.v.name_run.fullmatch(self.text, start, m.start())
            name = self.clean_name(r.group()) if r else None
            if name and not self.is_org(name, start, m.start()):
                out.append((start, self.fullest(name)))
        for at in [lo] + self.sentences.starts_between(lo, hi):
            # a personal name as the subject of a sentence: "Tomas Varga runs the plant."
            r = self.v.name_run.match(self.text, at)
            name = self.clean_name(r.group()) if r and self.v.finite.match(self.text, r.end()) else None
            if name and not self.is_org(name, at, r.end()) and not _HAS_ACRONYM.search(name):
                full = self.fullest(name)
                if " " in full:
                    out.append((at, full))
        for m in _COURTESY_NAME.finditer(self.text, lo, hi):  # "Mr Kanda", "Ms. Ortiz"
            r = self.v.name_run.match(self.text, m.start())
            name = self.clean_name(r.group()) if r else None
            if name:
                full = self.fullest(name)
                self._genders.setdefault(full, _GENDER[m.group(1).lower()])
                out.append((m.start(), full))
        for m in self.v.someone.finditer(self.text, lo, hi):
            if not self.text[max(0, m.start() - 2) : m.start()].strip().endswith(","):
                out.append((m.start(), None))  # "one engineer", not an appositive
        return out

    def org_antecedent(self, pos: int, noun: str) -> str | None:
        """'the company said' refers to the company named most recently before; 'the agency said'
        to the latest organisation that is not a company; 'the Japanese automaker said' to the
        first company of its sector in the nearest sentence naming one, else to a company of no
        sector known, never to one of another sector."""
        lo = max(0, pos - self.lookback)
        sector = self.v.sectors.named_by(noun)
        if sector is not None:
            of_sector = [c for c in self.companies if lo <= c[0] < pos and c[3] == "company"
                         and sector in self.sectors.get(c[2], ())]
            if of_sector:
                sentence = self.sentences.start(of_sector[-1][0])
                return next(c[2] for c in of_sector if c[0] >= sentence)
            noun = noun.split()[-1]  # "the Japanese automaker" of no carmaker named: "automaker"
            if noun not in self.v.org_nouns:
                return None  # "the oil major": as written
        want_company = self.v.org_nouns.get(noun) == "company"
        best = None
        for c in self.companies:
            if lo <= c[0] < pos and (c[3] == "company") == want_company and (
                    sector is None or not self.sectors.get(c[2])):
                best = c[2]
        if best:
            return best
        for r in self.v.name_run.finditer(self.text, lo, pos):
            start = r.start()
            company = self._company_at(start, r.end())
            if company is not None and (
                    not want_company or sector and self.sectors.get(company[2])):
                continue
            name = self.clean_name(r.group())
            if not name:
                continue
            after_possessive = _POSSESSIVE_END.search(self.text, max(0, start - 4), start)
            # a one-word subject with no fuller personal name in the article: "Volkswagen posted"
            lone_subject = (
                " " not in name
                and self.sentences.start(start) == start
                and self.v.finite.match(self.text, r.end())
                and self.fullest(name) == name
            )
            if after_possessive or lone_subject or self.is_org(name, start, r.end()):
                best = company[2] if company else name
        return best

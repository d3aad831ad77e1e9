"""The vocabulary of direct-quote attribution, read from rules/speech.json once per pipeline.

Analysts edit the word lists (speech verbs, titles, role nouns, ...) as data; this module turns
them into the sets and compiled patterns the quote finder needs, so nothing is built per article.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from monitor.nlp.openers import SentenceOpeners
from monitor.nlp.patterns import trie_alternation
from monitor.nlp.rulebook import rulebook
from monitor.nlp.sectors import SectorBook

log = logging.getLogger(__name__)

RULES_FILE = "speech.json"
CALENDAR_FILE = "calendar.json"

_CAP = "A-ZÀ-ÖØ-ÞĀ-Ž"
# one word of a name: an initial, a title abbreviation, or a capitalised word (O'Brien, McKay)
_NAME_TOKEN = (
    r"(?:[A-Z]\.(?:[A-Z]\.)*|(?:{titles})\."
    rf"|(?:Mc|Mac|O['’])?[{_CAP}][\w\-]*(?:['’][{_CAP}][\w\-]*)?)"
)


@dataclass
class Vocabulary:
    """The word lists of rules/speech.json, turned into sets and compiled patterns once."""

    verbs: re.Pattern
    verb_forms: frozenset[str]  # one-word forms, lower-case
    participles: frozenset[str]
    nominal: re.Pattern
    titles: frozenset[str]
    modifier_suffixes: tuple[str, ...]  # 'Seoul-born', 'Lee-run': a modifier before a name
    honorifics: frozenset[str]
    particles: frozenset[str]
    suffixes: frozenset[str]
    pronouns: dict[str, str]
    person_nouns: frozenset[str]
    described: frozenset[str]  # person and collective nouns: heads of a speaker's description
    someone: re.Pattern
    roles: frozenset[str]  # person nouns and titles
    org_voice: frozenset[str]
    org_nouns: dict[str, str]  # noun -> "company" or "body"
    org_words: frozenset[str]
    adverbs: frozenset[str]
    lead_ins: tuple[str, ...]
    work_cues: frozenset[str]
    naming_verbs: frozenset[str]
    name_run: re.Pattern
    keep_courtesy: bool
    abbreviations: frozenset[str]
    function_words: frozenset[str]
    not_nouns: frozenset[str]
    calendar: frozenset[str]
    openers: SentenceOpeners  # 'Yet', 'Still', 'Hosting' at a sentence start: never part of a name
    dash_name: re.Pattern
    signature: re.Pattern
    appositive: re.Pattern
    definite: frozenset[str]
    indefinite: frozenset[str]
    counting: frozenset[str]
    someone_before: re.Pattern  # an indefinite article ending a text: 'one senior ', 'a '
    determiner: re.Pattern
    apposed_name: re.Pattern
    finite: re.Pattern  # a finite verb right after a subject: "Obama is", "Trump has long"
    role_subject: re.Pattern  # a role phrase before a finite verb: "the veteran engineer went"
    sectors: SectorBook  # the sector "the Japanese automaker" names: the carmaker that speaks
    thresholds: dict[str, int] = field(default_factory=dict)


def _trie_pattern(words: list[str]) -> str:
    """The words as one trie-shaped group, a space standing for any run of whitespace."""
    return "(?:" + trie_alternation(words, space=r"\s+") + ")"


def load_vocabulary(rules_dir: str | Path) -> Vocabulary:
    """Read rules/speech.json and compile what the finder needs."""
    data = rulebook(rules_dir).json(RULES_FILE)
    calendar = rulebook(rules_dir).json(CALENDAR_FILE)  # days and months are no one's name
    forms = sorted({f for fs in data["speech_verbs"].values() for f in fs}, key=len, reverse=True)
    # lower-case and sentence-initial forms spelt out: a case-blind regex is much slower
    verbs = re.compile(r"\b" + _trie_pattern(forms + [f[0].upper() + f[1:] for f in forms]) + r"\b")
    phrases = sorted(data["attribution_phrases"], key=len, reverse=True)
    nominal = re.compile(
        r"\b(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases) + r")\b",
        re.IGNORECASE,
    )
    particles = frozenset(data["name_particles"])
    particle_alt = "|".join(sorted(particles, key=len, reverse=True))
    token = _NAME_TOKEN.replace("{titles}", "|".join(data["abbreviations"]["titles"]))
    # a name never runs on over a line break into the next paragraph
    name_run = re.compile(rf"{token}(?:[^\S\n]+(?:(?:{particle_alt})[^\S\n]+)*{token})*")
    function_words = frozenset(data["function_words"])
    definite = frozenset(data["determiners"]["definite"])
    indefinite = frozenset(data["determiners"]["indefinite"])
    determiners = "|".join(sorted(definite | indefinite, key=len, reverse=True))
    finite = re.compile(
        # a sentence adverb set off by commas may stand first: "Lee, however, is counting on"
        r"(?:,\s*(?:however|though|too|meanwhile|instead|in turn|for (?:his|her|its|their) part),)?"
        r"\s+(?:(?:also|then|later|once|now|long|never|often|has|had|is|was|[a-z]+ly)\s+)?"
        r"(?:is|was|are|were|has|had|have|will|would|can|could|did|does|[a-z]+ed|[a-z]+[^s\W]s|"
        + _trie_pattern(sorted(set(data["finite_verbs"]), key=len, reverse=True))
        + r")(?:n?['’]t)?\b"  # "didn't", "can't"
    )
    log.debug("quote rules: %d speech verb forms from %s", len(forms), rules_dir)
    return Vocabulary(
        verbs=verbs,
        verb_forms=frozenset(f for f in forms if " " not in f),
        participles=frozenset(f for f in forms if f.endswith("ing")),
        nominal=nominal,
        titles=frozenset(data["titles"]),
        modifier_suffixes=tuple(data["modifier_suffixes"]),
        honorifics=frozenset(data["honorifics"]),
        particles=particles,
        suffixes=frozenset(data["name_suffixes"]),
        pronouns=dict(data["pronouns"]),
        person_nouns=frozenset(data["person_nouns"]),
        described=frozenset(data["person_nouns"] + data["collective_nouns"]),
        roles=frozenset(data["person_nouns"] + data["titles"]),
        someone=re.compile(
            r"\b(?:one|an?|another)\s+(?:[a-z-]+\s+){0,2}?"
            + _trie_pattern(sorted(set(data["person_nouns"]) - set(data["org_voice_nouns"])))
            + r"\b"
        ),
        org_voice=frozenset(data["org_voice_nouns"]),
        org_nouns={noun: kind for kind, nouns in data["org_nouns"].items() for noun in nouns},
        org_words=frozenset(data["org_words"]),
        adverbs=frozenset(data["adverbs"]),
        lead_ins=tuple(sorted(data["verb_lead_ins"], key=len, reverse=True)),
        work_cues=frozenset(data["work_cues"]),
        naming_verbs=frozenset(data["naming_verbs"]),
        name_run=name_run,
        keep_courtesy=bool(data.get("keep_courtesy_titles", True)),
        abbreviations=frozenset(data["abbreviations"]["titles"] + data["abbreviations"]["other"]),
        function_words=function_words,
        not_nouns=function_words | frozenset(data["not_nouns"]),
        calendar=frozenset(calendar["days"] + calendar["months"] + calendar["month_abbreviations"])
        - frozenset(calendar["also_names"]),
        openers=SentenceOpeners.load(rules_dir),
        sectors=SectorBook.load(rules_dir),
        dash_name=re.compile(rf"\s*[―—–-]{{1,2}}\s*({name_run.pattern})\W*$"),
        # a name signing off a paragraph after a dash, with its outlet or place ("― Rosa
        # Delgado, Electrek") or what she was doing ("- Rosa Delgado, writing after the vote");
        # a hyphen with spaces round it, or glued to the name after a space ("-Rosa Delgado")
        signature=re.compile(
            rf"(?:(?<=[\s\"”’'])[―—–]{{1,2}}|(?<=\s)--?(?=\s)|(?<=\s)-(?=[A-Z]))"
            rf"\s*({name_run.pattern})"
            rf"(?:,\s*(?:{name_run.pattern}|[a-z]+ing\s[^\n]{{0,60}}?))?\W*$"
        ),
        appositive=re.compile(
            r",\s+(?:who\s|(?:a|an|the)\s+(?:[\w'’-]+\s+){0,4}?"
            + _trie_pattern([w for w in data["person_nouns"] + data["titles"] if w.isalpha()])
            + r"\b)"
        ),
        definite=definite,
        indefinite=indefinite,
        counting=frozenset(data["counting_words"]),
        # with up to two modifiers ('senior', 'battery') but no 'of the' before the noun
        someone_before=re.compile(
            r"\b(?:one|an?|another)\s+"
            rf"(?:(?!(?:{'|'.join(sorted(function_words | definite))})\b)[a-z'’-]+\s+){{0,2}}$",
            re.IGNORECASE,
        ),
        # a determiner word, or a capitalised possessive ('Northcell's', 'New York Times'')
        determiner=re.compile(
            rf"(?<![\w'’-])(?:(?i:{determiners})"
            rf"|(?:[{_CAP}][\w&.-]*\s+){{0,3}}[{_CAP}][\w&.-]*['’]s?)(?=\s)"
        ),
        # a name with an appositive running up to the end: "Lena Frisk, Voltaren's "
        apposed_name=re.compile(rf"({name_run.pattern}),\s+[^,;:()\n]{{0,60}}$"),
        finite=finite,
        role_subject=re.compile(
            # or opened by a possessive name: "Lee's campaign shrugged off"
            r"((?:the|a|an|one|another|(?-i:\b[A-Z][\w&.-]*)['’]s)\s+[^,;:()]{0,60}?)(?="
            + finite.pattern
            + ")",
            re.IGNORECASE,
        ),
        thresholds={k: v for k, v in data["thresholds"].items() if not k.startswith("_")},
    )


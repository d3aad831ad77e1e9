"""Unknown companies named in a list beside a company: "Kestrel, Nordhav and Voltaro Corp.",
or after a plural noun for businesses: "carmakers such as Kestrel and Nordhav", "to companies
Kestrel, Nordhav and Voltaro".

News lists companies together: where one item of a list of names is a company (known, or found
by another cue), its other items are companies too, and so is every name of a list that a
plural business noun introduces (`list_heads` before one of `list_cues`, or one of
`list_bare_heads`, nouns never used of people, right before the list; not after a word that picks
some of them, "the companies Jo Lee and Ana Ruiz founded", nor before a verb of a clause
about them, "firms Lee and Ruiz had built"). Each other
item becomes a candidate company (known=False). What keeps the rule narrow: a list spreads only
when it has three names or more ("Jo Lee and Kestrel" may pair a person with her company) or
a cue introduces it; the list stays on one line, its items are capitalised names parted only
by commas, "and" or "or", each perhaps with its abbreviation in brackets; a list right after a place preposition ("In Kokomo, Indiana, ...",
"Kestrel of Kent, Washington, and ...") is of places; a list with a person's title, a job
title or an initial ("Mr. Lee", "Jo Lee, Director, Kestrel", "George H.W. Bush") is of people; a name before "'s" closes an appositive,
not a list; a list with a company's named thing ("Kestrel's SoundLink") is of products; and an item that is generic, a place or demonym (subjects.jsonl), a public body,
a day or a month, or in a headline in title case is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from monitor.nlp.companies.name_words import NameWords
from monitor.nlp.companies.descriptors import CLAUSE_AFTER
from monitor.nlp.companies.roles import in_headline
from monitor.nlp.patterns import trie_alternation

_WORD = r"[A-Z][\w&]*(?:[-.&'’][\w&]+)*"
_GAP = r"(?:[ \t]*[,;][ \t]*(?:(?:and|or)[ \t]+)?|[ \t]+(?:and|or)[ \t]+)"
# a list right after one of these is of places ("of" only after a name: "Kestrel of Kent,
# Washington, and ...", not "the selection of Kestrel, Nordhav and ...")
_PLACES_AFTER = frozenset("of in at near outside to into across".split())
# an initial: "George H.W. Bush", "J. Lee": the list is of people
_INITIAL = re.compile(r"(?:^|[ \t])[A-Z](?:\.[A-Z])*\.")
# a word before a business noun that makes what follows the noun a clause about some of them:
# "the companies Jo Lee and Ana Ruiz founded", "two firms Lee ran", "the lobbying firms Lee used"
_DETERMINERS = frozenset("the these those this that its their his her our my your whose which what"
                         " some many few other two three four five six seven eight nine ten".split())
# a clause about the companies whose subject is the list: "firms Lee and Ruiz had built"
_AUXILIARY = re.compile(r"[ \t]+(?:had|has|have|once|would|will|could|can)[ \t]")
_ABBREVIATION = r"\([A-Z][A-Za-z&]{1,7}\)"
# an item that is a company's named thing, "Kestrel's SoundLink": its list is of products
_OWNED = re.compile(r"[\w&]['’]s[ \t]+[A-Z]")


class ListCandidates:
    """Finds (start, end, name) of unknown companies listed beside companies."""

    def __init__(self, nlp: Language, rules: dict, names: NameWords) -> None:
        legal = trie_alternation(rules["legal"])
        # a name of up to four words, its legal tail, the full stop of "Corp." before a comma,
        # and the abbreviation of the name in brackets ("Nordhav Systems Corporation (NSC)")
        item = (rf"{_WORD}(?:[ \t]+(?:&[ \t]+)?{_WORD}){{0,3}}(?:,?[ \t]+(?:{legal})(?![\w&]))?"
                rf"(?:\.(?=[ \t]*,))?(?:[ \t]+{_ABBREVIATION})?")
        self._list = re.compile(rf"(?<![\w&.'’-])(?:{item})(?:{_GAP}(?:{item}))+")
        self._item = re.compile(rf"(?<![\w&.'’-]){item}")
        self._gap_after = re.compile(rf"(?:\.(?=[ \t]*,))?{_GAP}[A-Z]")
        self._gap_before = re.compile(rf"[\w.]{_GAP}$")
        heads = trie_alternation(rules["list_heads"])
        cues = trie_alternation(rules["list_cues"])
        # "to companies Kestrel, Nordhav and Voltaro": a plural noun for businesses only, with
        # no word before it that picks some of them; spotted on the tokens first (fast)
        self._bare_spots = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._bare_spots.add("HEAD", [nlp.make_doc(head) for head in rules["list_bare_heads"]])
        self._bare_head = re.compile(
            rf"(?<![\w'’-])(?:{trie_alternation(rules['list_bare_heads'])})[ \t]+(?=[A-Z])"
        )
        # "carmakers such as", "suppliers:", "the nine companies chosen by the agency:"
        self._cue_words = re.compile(rf"(?:{cues})[ \t]*(?=[A-Z])")
        self._introduced = re.compile(
            rf"(?<![\w-])(?:{heads})(?:,?[ \t]*(?:{cues})|(?:[ \t]+[\w'’-]+){{1,8}}[ \t]*:)[ \t]*$"
        )
        self._legal = {w.rstrip(".") for w in rules["legal"]}
        self._titles_after = set(rules["titles_after"])  # "Director", "CEO", "Head"
        self._word = re.compile(_WORD)
        self._names = names

    def find(self, doc: Doc, text: str,
             companies: list[tuple[int, int]]) -> Iterator[tuple[int, int, str]]:
        """Every other item of a list that names one of `companies` (spans into text), or that
        a plural business noun introduces; `text` is doc.text."""
        seen: set[int] = set()
        for lo, hi in self._windows(doc, text, companies):
            line_end = text.find("\n", lo)
            line_end = line_end if line_end >= 0 else len(text)
            while lo < hi and (run := self._list.search(text, lo, line_end)) and run.start() < hi:
                if run.start() not in seen:
                    seen.add(run.start())
                    yield from self._other_items(text, run, companies)
                lo = run.end()

    def _windows(self, doc: Doc, text: str,
                 companies: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Where a list can stand: around a company mention that a list gap touches, and
        right after a cue ("suppliers such as")."""
        windows = []
        for start, end in companies:
            if self._gap_after.match(text, end) or self._gap_before.search(
                text, max(0, start - 8), start
            ):
                line_start = text.rfind("\n", 0, start) + 1
                windows.append((max(line_start, start - 300), end + 1))
        for cue in self._cue_words.finditer(text):
            if self._introduced.search(text, max(0, cue.end() - 90), cue.end()):
                windows.append((cue.end(), cue.end() + 1))
        for _, i, _ in self._bare_spots(doc):
            head = self._bare_head.match(text, doc[i].idx)
            if head is not None and not _determined(text, head.start()):
                windows.append((head.end(), head.end() + 1))
        return windows

    def _other_items(self, text: str, run: re.Match,
                     companies: list[tuple[int, int]]) -> Iterator[tuple[int, int, str]]:
        items = [m for m in self._item.finditer(text, run.start(), run.end())
                 if not self._legal_only(m.group())]
        first = self._word.match(text, run.start())
        word_before = re.search(r"(\S*)[ \t]+(\w+)[ \t]+$", text[max(0, run.start() - 40) : run.start()])
        introduced = bool(self._introduced.search(text, max(0, run.start() - 80), run.start())) or (
            (head := self._bare_head.search(text, max(0, run.start() - 20), run.start() + 1))
            is not None and head.end() == run.start()
            and not _determined(text, head.start())
            and not CLAUSE_AFTER.match(text, run.end()) and not _AUXILIARY.match(text, run.end()))
        if not introduced and (
            (first is not None and first.group().lower() in _PLACES_AFTER)
            or (word_before is not None and word_before.group(2) in _PLACES_AFTER
                and (word_before.group(2) != "of" or word_before.group(1)[:1].isupper()))
        ):
            return  # "In Kokomo, Indiana, Kestrel ...", "Kestrel of Kent, Washington, ..."
        if _INITIAL.search(run.group()) or self._titled(items) or in_headline(text, run.start()):
            return  # people: "Mr. Lee, Ms. Berg and ...", "J. Lee"
        if text.startswith(("'s", "’s"), run.end()):
            return  # "Jo Lee, Kestrel's chief executive": an appositive, not a list
        if any(_OWNED.search(m.group()) for m in items):
            return  # "Wi-Fi, Bluetooth or Kestrel's SoundLink": a list of what companies own
        named, others = 0, []
        for m in items:
            if _overlaps(m.start(), m.end(), companies):
                named += 1
            elif (name := self._name(m)) is not None:
                others.append(name)
        if named and (introduced or named + len(others) >= 3):
            yield from others
        elif introduced and len(others) >= 2:
            yield from others

    def _titled(self, items: list[re.Match]) -> bool:
        """Whether an item opens with a person's title ("Mr. Lee", "Senator Berg"), or is a job
        title ("Jo Lee, Director, Kestrel Securities": a person named with her post and firm)."""
        return any((w := self._word.match(m.group())) and self._names.is_title(w.group()) for m in items) \
            or any(m.group().split()[0] in self._titles_after for m in items)

    def _legal_only(self, item: str) -> bool:
        return all(w.rstrip(".") in self._legal for w in item.replace(",", " ").split())

    def _name(self, item: re.Match) -> tuple[int, int, str] | None:
        """The item's span and name (leading generic words and a closing full stop dropped),
        or None if it names no company."""
        body = item.group().split(" (")[0]  # "Nordhav Systems Corporation (NSC)"
        words = list(self._word.finditer(body))
        while words and (self._names.is_generic(words[0].group().rstrip("."))
                         or words[0].group().lower() in STOP_WORDS):
            words.pop(0)  # "Rival Kestrel", "And Nordhav"
        while len(words) > 1 and words[-1].group() in self._legal:
            words.pop()  # "Voltaro Systems, Inc." is named "Voltaro Systems"
        plain = [w.group().rstrip(".") for w in words]
        if not plain or self._names.is_place(" ".join(plain)) or re.search(r"['’]s$", plain[-1]):
            return None  # a place, or a possessive: "Kestrel's"
        if any(self._names.foreign(w) or w.lower() in STOP_WORDS for w in plain):
            return None
        start = item.start() + words[0].start()
        end = item.start() + words[-1].end()
        return start, end, item.string[start:end]


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in spans)


def _determined(text: str, head: int) -> bool:
    """Whether a determiner or a number stands before the noun at `head`, perhaps with up to
    three modifiers between ("the lobbying firms"), not across a verb or a preposition ("the
    grants went to companies")."""
    words = re.findall(r"[\w'’-]+", text[max(0, head - 60) : head])[-4:]
    for word in reversed(words):
        low = word.lower()
        if low in _DETERMINERS or low[0].isdigit():
            return True
        if low in STOP_WORDS or not word.islower():
            return False
    return False

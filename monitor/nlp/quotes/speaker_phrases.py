"""What the words next to a speech verb say of the speaker: a name, a pronoun, an organisation,
a role ('a BYD spokesperson'), a description ('the veteran engineer', 'striking workers').

Attribution (attribution.py) decides where to look; this module reads the phrase found
there, with titles, appositives and brackets around names, into a `Speaker` for resolving.
"""

from __future__ import annotations

import re

from monitor.nlp.quotes.speakers import Speaker, Speakers, is_plural
from monitor.nlp.quotes.vocabulary import Vocabulary
from monitor.nlp.text_layout import Sentences, is_abbreviation

# where a speaker phrase after an inverted verb ends: "said Rep. Jo Lee of Ohio, who ..."
_PHRASE_STOP = re.compile(
    r"[,;:()]|\.(?=\s|$)|(?<=\s)(?:who|which|that|at|of|for|from|with|in|on|during|after|before"
    r"|to|as|when|while|and)(?=\s)"
)
_NAME_AFTER_COMMA = re.compile(r",\s+([^,;:()]{2,60}?)\s*(?:[,;:()]|\.(?:\s|$)|$)")
_COORDINATION = re.compile(r"\s(?:and|but)$")
_VERB_TO = re.compile(r"\s+([a-z]+)\s+to$")  # a verb and "to" before a speech verb
_REPORTED_BY_THAT = re.compile(r"\bthat\s+$")
_OPEN_RELATIVE = re.compile(r",\s+who\s[^,;:()]*$")  # a relative clause running up to the verb
_PREPOSITION = re.compile(r"\b(?:at|of|for|in|with|from|on|by|to)\b")
BRACKET_END = re.compile(r"\s*\([^()]{1,40}\)$")  # a party or place after a name: "(D-Mo.)"
_BRACKET_AFTER = re.compile(r"\s*\([^()]{1,40}\)")
_LAST_WORD = re.compile(r"([A-Za-z]+)$")
_NEXT_WORD = re.compile(r"\s+([a-z]+)\b")
_PLAIN_WORD = re.compile(r"\b([A-Za-z]+)\b")
_NOT_WORD_CHARS = re.compile(r"[^\w-]")
# what opens a description of a company named before ("the Japanese automaker said")
_DESCRIBING = frozenset({"the", "this", "that"})
# a role phrase ending a clause ("a BYD spokesperson", "the company") and where its head ends
_ROLE_PHRASE_END = re.compile(
    r"(?:^|[\s,(])((?:the|a|an|one|another|two|three|several|some|its|his|her|their)"
    r"\s+[^,;:()]{0,60})$",
    re.IGNORECASE,
)
# a role phrase opened by a possessive name, up to the verb: "Northcell's former chief engineer"
_POSSESSIVE_PHRASE_END = re.compile(
    r"(?:^|[\s,(])((?:[A-Z][\w&.-]*\s+){0,3}[A-Z][\w&.-]*['’]s?\s+[^,;:()]{0,40})$"
)
_ROLE_PHRASE_CUT = re.compile(r"\s(?:in|at|of|for|from|with|on|who|which|that)\s")
_VOICE_OWNER = re.compile(r"\s*(?:for|from|of|at|by)\s+(?:the\s+)?")
_APPOSITION = re.compile(r",\s[^,;:()]{1,120},")
_TOKEN = re.compile(r"[\w'’&.-]+")
_GROUP_WORDS = 5  # words a group of people may take before its head: "small groups of workers"


class PhraseReader:
    """Reads speaker phrases in one article's text (quoted words blanked)."""

    def __init__(
        self, masked: str, vocab: Vocabulary, *, speakers: Speakers, sentences: Sentences
    ) -> None:
        self.m = masked
        self.v = vocab
        self.speakers = speakers
        self.sentences = sentences

    def subject_before(self, lo: int, hi: int) -> Speaker | None:
        """The speaker standing right before a speech verb at `hi` (its subject)."""
        seg = self.m[lo:hi]
        # drop adverbs and auxiliaries between subject and verb: "he has long argued"
        words = seg.rstrip()
        while words:
            low = words.lower()
            lead = next(
                (
                    p
                    for p in self.v.lead_ins
                    if low.endswith(p) and low[-len(p) - 1 : -len(p)] in ("", " ")
                ),
                "",
            )
            if lead:
                words = words[: -len(lead)].rstrip()
                continue
            verb_to = low.endswith(" to") and _VERB_TO.search(words, max(0, len(words) - 30))
            if verb_to and self.v.finite.fullmatch(words, verb_to.start(), verb_to.end(1)):
                words = words[: verb_to.start()].rstrip()  # "Lee rose to say", "interjected to"
                continue
            last = low[low.rfind(" ") + 1 :]
            if last not in self.v.adverbs:
                break
            words = words[: -len(last)].rstrip()
        relative = _OPEN_RELATIVE.search(words)
        if relative:
            # "Katie Lund, who chairs the Voltaren board said": the clause is never closed
            return self.noun_phrase_ending(lo, lo + relative.start())
        if _COORDINATION.search(words):
            # "He declined to name customers but said": the subject of the first verb
            return self.sentence_subject(lo, lo + len(words))
        # a party or place in brackets after a name: "Sen. Claire McCaskill (D-Mo.) said"
        if words.endswith(")"):
            words = BRACKET_END.sub("", words)
        end = lo + len(words)
        if not words.strip():
            return None
        tail = words.rstrip()
        if tail.endswith(","):
            return self._subject_with_apposition(lo, lo + len(tail) - 1)
        return self.noun_phrase_ending(lo, end)

    def _subject_with_apposition(self, lo: int, comma: int) -> Speaker | None:
        """ "Robin Zeng, CATL's chairman, said" and "CATL's chairman, Robin Zeng, said"."""
        seg = self.m[lo:comma]
        opener = seg.rfind(",")
        if opener < 0:
            return self.noun_phrase_ending(lo, comma)
        lead = self._titled_lead(lo, seg)
        if lead:
            return lead
        inner_lo = lo + opener + 1
        inner = self.m[inner_lo:comma].strip()
        name = self._pure_name(BRACKET_END.sub("", inner))
        if name:
            start = inner_lo + self.m[inner_lo:comma].find(inner)
            return Speaker("name", name, start, "")
        if not _PREPOSITION.search(inner):
            # "his niece, state Del. Marcia Price (D-Va.), said": a titled name between the commas
            bracket = BRACKET_END.search(self.m, inner_lo, comma)
            sp = self.noun_phrase_ending(inner_lo, bracket.start() if bracket else comma)
            if sp is not None and sp.kind == "name":
                return sp
        # an appositive describing the speaker: look before it, skipping further appositive pieces
        hi = lo + opener
        while True:
            bracket = BRACKET_END.search(self.m[lo:hi])
            if bracket:
                hi = lo + bracket.start()
            sp = self.noun_phrase_ending(lo, hi)
            if sp:
                return sp
            prev = self.m[lo:hi].rfind(",")
            if prev < 0:
                return None
            hi = lo + prev

    def _titled_lead(self, lo: int, seg: str) -> Speaker | None:
        """ "Rob Lee, President Ascom North America, says" and "Jo Ek, Senior Vice President of
        Sales for Dräger, Inc., says": a name opening the clause, then a title appositive, is the
        speaker, never the company in the title."""
        first = seg.find(",")
        lead = seg[:first].strip()
        nxt = seg[first + 1 :].split()
        if self._pure_name(lead) != lead or not nxt or nxt[0].lower().strip(",.") not in self.v.titles:
            return None
        return Speaker("name", lead, lo + seg.find(lead), "")

    def _pure_name(self, s: str) -> str | None:
        """The name when `s` is nothing but a (titled) name: "Chuck Thelen", "Mr. King"."""
        m = self.v.name_run.fullmatch(s)
        if not m:
            return None
        return self.speakers.clean_name(s)

    def noun_phrase_ending(self, lo: int, hi: int) -> Speaker | None:
        """The speaker at the end of text[lo:hi]: a pronoun, a name, 'the company', 'a BYD
        spokesperson'."""
        seg = self.m[lo:hi].rstrip()
        if not seg:
            return None
        hi = lo + len(seg)
        m = _LAST_WORD.search(seg)
        last = m.group(1) if m else ""
        low = last.lower()
        if low in self.v.pronouns and (len(seg) == len(last) or not seg[-len(last) - 1].isalnum()):
            return Speaker("pronoun", low, hi - len(last), "")
        run = None
        for r in self.v.name_run.finditer(seg):
            if r.end() == len(seg) or r.end() == len(seg.rstrip(".")):
                run = r
        if run is not None:
            name = self.speakers.clean_name(run.group())
            if name and self.v.org_nouns.get(name.lower()) == "company" and " " not in name:
                return Speaker("anaphor", name.lower(), lo + run.start(), "")  # "Management said"
            if name:
                start = lo + run.start()
                return self.speakers.named(name, start, start + len(run.group()))
        # a role noun phrase: "a BYD spokesperson", "the company", "one executive at a rival maker"
        np = _ROLE_PHRASE_END.search(seg)
        if np:
            return self._role_phrase(np.group(1), lo + np.start(1))
        np = _POSSESSIVE_PHRASE_END.search(seg)
        if np and not _ROLE_PHRASE_CUT.search(np.group(1)):
            return self._role_phrase(np.group(1), lo + np.start(1))
        if self._is_group(low):  # "Analysts said", "striking workers chanted"
            return self._group_ending(seg, lo)
        if self.speakers.is_role(low):  # "campaign strategist said": a role without a determiner
            return Speaker("unnamed", None, hi - len(last), "")
        return None

    def _role_phrase(self, phrase: str, start: int) -> Speaker | None:
        """A speaker named by role: 'a BYD spokesperson' (BYD), 'the company' (to resolve),
        'one executive at a rival maker' (nobody named)."""
        cut = _ROLE_PHRASE_CUT.search(phrase)
        rest = phrase[cut.start() :] if cut else ""
        phrase = phrase[: cut.start()] if cut else phrase
        words = phrase.split()
        head = _NOT_WORD_CHARS.sub("", words[-1].lower())
        if head in self.v.org_voice and rest:
            owner = self.voice_owner(rest, start + len(phrase))
            if owner:  # "a spokesperson for Nordhav", "a report from Kestrel Research"
                return owner
        det = words[0].lower()
        described = " ".join(words[1:])
        if det in _DESCRIBING and words[-1].islower() and self.v.sectors.named_by(described):
            # "the Japanese automaker": a company named before, by its sector, not "Japanese"
            return Speaker("anaphor", described, start, "")
        caps = self.v.name_run.search(phrase)
        if caps and (head in self.v.org_voice or head in self.v.org_nouns):
            # "a BYD spokesperson", "the United Auto Workers union": the organisation is named
            name = self.speakers.clean_name(caps.group())
            if name and self._body_of_person(name, head, start + caps.start(), start + caps.end()):
                # "the Trump campaign", "Ryan's office": the body speaks, not the person
                return Speaker("org", phrase.strip().rstrip(".,"), start, "")
            if name:
                org = self.speakers.org_name(name, start + caps.start())
                return Speaker("org", org, start, "")
        if head in self.v.org_nouns and det in ("the", "its"):
            return Speaker("anaphor", head, start, "")
        if head in self.v.org_voice:
            # "its spokesperson", "the carmaker's spokesman": the organisation named before
            owners = [w[:-2] for w in words[1:-1] if w[-2:] in ("'s", "’s")]
            owner = next((w for w in owners if w in self.v.org_nouns), None)
            if det == "its" or owner and det == "the":
                return Speaker("anaphor", owner or "company", start, "")
            kind = next((w.lower() for w in words[1:-1] if w.lower() in self.v.org_nouns), None)
            if kind:  # "a company spokesperson", "an agency spokesman": the one named before
                return Speaker("anaphor", kind, start, "")
            return Speaker("unnamed", None, start, "")  # "a spokesperson" of no company named
        if head in self.v.described or self._is_group(head):
            return self._description(phrase, start, head)
        return None

    def _body_of_person(self, name: str, head: str, start: int, end: int) -> bool:
        """Whether a body noun ('campaign', 'office', 'administration') follows the surname of a
        person the article names in full, rather than an organisation's name ('the Steelworkers
        union')."""
        if self.v.org_nouns.get(head) != "body" or self.speakers.is_org(name, start, end):
            return False
        return " " not in name and self.speakers.fullest(name) != name

    def voice_owner(self, rest: str, start: int) -> Speaker | None:
        """The organisation named right after a voice noun: 'for Nordhav' in 'a spokesperson for
        Nordhav', 'from Kestrel Research' in 'a report from Kestrel Research'."""
        m = _VOICE_OWNER.match(rest)
        run = self.v.name_run.match(rest, m.end()) if m else None
        name = self.speakers.clean_name(run.group()) if run else None
        if name is None:
            return None
        return Speaker("org", self.speakers.org_name(name, start + run.start()), start, "")

    def _description(self, phrase: str, start: int, head: str) -> Speaker:
        """A person named by a role phrase: described where the phrase is definite ('the veteran
        engineer', 'Northcell's chief engineer', a bare plural such as 'striking workers'),
        unnamed where it is indefinite ('one executive', 'several analysts')."""
        det = None
        for m in self.v.determiner.finditer(phrase):
            if det is None or phrase[det.end() : m.start()].strip():
                det = m  # the last determiner, with a possessive right after "the" kept in it
        if det is None:
            if not self._is_group(head):
                return Speaker("unnamed", None, start, "")
            det_start = 0
        elif det.group().lower() in self.v.indefinite:
            return Speaker("unnamed", None, start + det.start(), "")
        else:
            det_start = det.start()
        text = phrase[det_start:].strip().rstrip(".,")
        return Speaker("description", text, start + det_start, "")

    def _is_group(self, word: str) -> bool:
        """A plural noun for people: 'analysts', 'ministers', 'people', 'crowds'."""
        return is_plural(word) and (word in self.v.described or word[:-1] in self.v.described)

    def _is_modifier(self, word: str) -> bool:
        """Whether a word can modify a group of people ('striking', 'Wall', 'groups of'): not a
        function word other than 'of', a pronoun, an adverb or a speech verb."""
        return (
            (word == "of" or word not in self.v.function_words)
            and word not in self.v.pronouns
            and word not in self.v.adverbs
            and word not in self.v.verb_forms
        )

    def _group_ending(self, seg: str, lo: int) -> Speaker:
        """A bare plural ending `seg` with the words before it that modify it: 'Wall Street
        analysts', 'small groups of workers'; unnamed where a quantity opens it ('hundreds of')."""
        tokens = list(_TOKEN.finditer(seg, max(0, len(seg) - 80)))
        k = len(tokens) - 1
        while k > 0 and len(tokens) - k < _GROUP_WORDS:
            prev = tokens[k - 1]
            low = prev.group().lower()
            if seg[prev.end() : tokens[k].start()].strip() or not self._is_modifier(low):
                break
            k -= 1
            if low in self.v.definite or low in self.v.indefinite:
                break
        while tokens[k].group().lower() == "of":
            k += 1
        return self._group(seg, lo, tokens[k].start(), [t.group().lower() for t in tokens[k:]])

    def sentence_group(self, lo: int, hi: int) -> Speaker | None:
        """A group of people opening the sentence at `lo`, before what the sentence says of them:
        'Union members marching past the gates chanted' -> 'Union members'."""
        if not self.sentences.is_start(lo):
            return None
        words: list[str] = []
        last = lo
        capital = False  # whether the word before was capitalised
        for t in _TOKEN.finditer(self.m, lo, hi):
            word = t.group()
            low = word.lower()
            if len(words) == _GROUP_WORDS or self.m[last : t.start()].strip():
                return None
            words.append(low)
            last = t.end()
            if self._is_group(low) or low in self.v.described and words[0] in self.v.definite:
                return self._group(self.m[lo:last], lo, 0, words)
            if len(words) == 1:
                if low not in self.v.definite and not self._is_modifier(low):
                    return None
            # a verb after the subject ("Ford hired workers", "Tomas Varga met workers")
            elif not self._is_modifier(low) or low.endswith("ed") or capital and word.islower():
                return None
            capital = word[0].isupper() and len(words) > 1
        return None

    def _group(self, seg: str, lo: int, start: int, words: list[str]) -> Speaker:
        """seg[start:] as a description of the speakers, or unnamed where it is indefinite or
        counted ('hundreds of workers', '52 percent of voters')."""
        if any(w in self.v.indefinite or w in self.v.counting or w[0].isdigit() for w in words):
            return Speaker("unnamed", None, lo + start, "")
        return Speaker("description", seg[start:].strip(), lo + start, "")

    def subject_after(self, lo: int, hi: int) -> Speaker | None:
        """The speaker right after an inverted verb: 'said CATL chairman Robin Zeng, ...'."""
        seg = self.m[lo:hi]
        cut = len(seg)
        for stop in _PHRASE_STOP.finditer(seg):
            if stop.group() != "." or not is_abbreviation(seg, stop.start(), self.v.abbreviations):
                cut = stop.start()
                break
        phrase = seg[:cut]
        words = phrase.strip()
        if not words:
            return None
        start = lo + seg.find(words)
        low = words.lower()
        if low in self.v.pronouns:
            return Speaker("pronoun", low, start, "")
        runs = list(self.v.name_run.finditer(words))
        if runs:
            r = runs[-1]
            name = self.speakers.clean_name(r.group())
            if name and not words[r.end() :].strip():
                return self.speakers.named(name, start + r.start(), start + r.end())
        role = self._role_phrase(words, start)
        voice = _NOT_WORD_CHARS.sub("", words.split()[-1].lower()) in self.v.org_voice
        if voice and role is not None and role.kind in ("unnamed", "anaphor"):
            owner = self.voice_owner(seg[cut:], lo + cut)
            if owner:  # 'said a spokesperson for Nordhav'
                return owner
        described = role is not None and role.kind in ("unnamed", "description")
        if described and seg[cut : cut + 1] == ",":
            # "said the company's chief executive, Lena Frisk."
            named = _NAME_AFTER_COMMA.match(seg, cut)
            name = self._pure_name(named.group(1)) if named else None
            if name:
                return Speaker("name", name, lo + named.start(1), "")
        return role

    def sentence_subject(self, lo: int, hi: int) -> Speaker | None:
        """The subject of the clause before a colon or a participle: the last name, pronoun or
        role phrase followed by a finite verb ('President Obama is rolling out a message: ...')."""
        seg = self.m[lo:hi]
        best: Speaker | None = None
        for p in _PLAIN_WORD.finditer(seg):
            low = p.group(1).lower()
            if (
                low in self.v.pronouns
                and self.v.finite.match(seg, p.end())
                and (low != "i" or p.group(1) == "I")
                and not _REPORTED_BY_THAT.search(seg, 0, p.start())
            ):
                best = Speaker("pronoun", low, lo + p.start(), "")
        finite = self.v.finite
        for r in self.v.name_run.finditer(seg):
            if _REPORTED_BY_THAT.search(seg, 0, r.start()):
                continue  # "Lee joked that Brooklyn was the answer": the subject of what is reported
            group = _NEXT_WORD.match(seg, r.end())
            if group and self._is_group(group.group(1)) and finite.match(seg, group.end()):
                # "Ruiz supporters interrupted her, shouting": the name modifies the group
                if best is None or lo + r.start() > best.start:
                    best = self._group_ending(seg[: group.end()], lo)
                continue
            appos = _APPOSITION.match(seg, r.end()) or _BRACKET_AFTER.match(seg, r.end())
            if (finite.match(seg, r.end()) or appos and finite.match(seg, appos.end())) and (
                best is None or lo + r.start() > best.start
            ):
                name = self.speakers.clean_name(r.group())
                if name:
                    best = self.speakers.named(name, lo + r.start(), lo + r.end())
        if best is None:
            np = self.v.role_subject.search(seg)
            if np:
                return self._role_phrase(np.group(1), lo + np.start(1))
        if best is None or best.start == lo:
            # a group opening the sentence, whose first word is capitalised only as its first:
            # "Small groups of workers stood ..."
            return self.sentence_group(lo, hi) or best
        return best

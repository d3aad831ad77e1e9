"""The quote finder's spaCy component: direct quotations, and who said them, as quote claims.

Quotation marks are paired (`marks`), quotations broken by their attribution are joined,
headlines, titles and scare quotes are set aside, and each remaining quotation is attributed
(`attribution` finds where, `speaker_phrases` reads the phrase) and its speaker resolved to the
fullest name (`speakers`). The vocabulary lives in rules/speech.json (`vocabulary`).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from monitor.nlp.quotes.attribution import Attributor
from monitor.models import Claim
from monitor.nlp.doc import doc_text, start_claims
from monitor.nlp.quotes.marks import Quotation, joined, scan_quotations
from monitor.nlp.quotes.speakers import Speaker, Speakers
from monitor.nlp.quotes.vocabulary import Vocabulary
from monitor.nlp.text_layout import SENT_END, Sentences, is_abbreviation, opens_paragraph, paragraph_end

_WORD = re.compile(r"[^\W_]+(?:[’'.\-][^\W_]+)*")
_PIECE_ENDS = frozenset(",?!.…-—–")  # how the first half of a quote broken by "he said" ends
_WORD_BEFORE = re.compile(r"(\w+)\s+$")
_BY_NAME = re.compile(r",?\s+by\s+[A-Z]")  # a byline or a passive's agent right after the marks
_CONJUNCTIONS = frozenset(("and", "but", "or"))
_LAST_WORD = re.compile(r"([^\W\d_]+)\s*$")  # a gap that runs into the next mark with a word
# after these a speech-verb form is a noun ("in her remarks")
_NOUN_DETERMINERS = frozenset(("the", "a", "an", "his", "her", "its", "their", "our", "my", "your"))
_SHORT_ATTRIBUTION = 200  # characters of "he said, referring to ..." after a paragraph's quote
_NEXT_WORD = re.compile(r"\s+([a-z][\w-]*)")
# 'call' naming something or someone, no speech: "a fund called Northpeak", "called on voters"
_NAMING_CALL = re.compile(r"call(?:ed|s|ing)?\s+(?:on\b|[A-Z])")
_RIGHT_AFTER_CHARS = 40  # how far after a fragment's closing mark its "Lee said" may start
_OWN_ATTRIBUTION_CHARS = 60  # how far after a quotation its own "she added" may stand
# what stands right before a speech verb in a clause that describes an attribution: a comma
# ("said Lee, pointing out that"), a relative pronoun and its verb's helpers ("who has said"),
# or a subordinator and its subject ("when asked", "after the mayor announced the plan")
_MODIFIER_BEFORE = re.compile(
    r"(?:,\s*|\b(?:who|which|that|when|after|before|as|while|if|since)\s+(?:\w+\s+){0,2})$"
)


class QuoteFinder:
    """Appends a `Claim(kind="quote")` for every direct quotation with its speaker."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab

    def __call__(self, doc: Doc) -> Doc:
        claims = start_claims(doc)
        claims.extend(find_quotes(doc_text(doc), self.vocab, doc._.company_mentions or [],
                                  doc._.company_sectors))
        return doc


def find_quotes(text: str, vocab: Vocabulary, companies: list[tuple] | None = None,
                sectors: dict[str, frozenset[str]] | None = None) -> list[Claim]:
    """Every direct quotation in `text` as a quote claim; `companies`: the company mentions
    (start, end, canonical, kind), `sectors`: their sectors."""
    reader = QuoteReader(text, vocab, companies or [], sectors or {})
    return reader.claims()


class QuoteReader:
    """Everything needed to find the quotes of one text; lives for one call."""

    def __init__(self, text: str, vocab: Vocabulary, companies: list[tuple],
                 sectors: dict[str, frozenset[str]]) -> None:
        self.text = text
        self.v = vocab
        self.companies = companies
        self.sectors = sectors
        self.t = vocab.thresholds
        self._words: dict[tuple[int, int], int] = {}

    # -- top level -----------------------------------------------------------------------------

    def claims(self) -> list[Claim]:
        """Pair the marks, join what attributions interrupt, then keep and attribute each quote."""
        quotes = self.join_broken(scan_quotations(self.text))
        masked = self.masked(quotes)
        sentences = Sentences(masked, self.v.abbreviations, self.t["window_chars"])
        speakers = Speakers(masked, self.v, self.companies, sentences, self.sectors)
        attributor = Attributor(
            self.text,
            masked,
            self.v,
            sentences=sentences,
            speakers=speakers,
            quotations=quotes,
            is_aside=self._is_aside,
        )
        out: list[Claim] = []
        for q in quotes:
            if not self.may_be_quote(q):
                continue
            found = attributor.attribute(q)
            if self.is_quote(q, found):
                speaker, rule = speakers.resolve(found, subject_of=attributor.verb_subject)
                out.append(self.claim(q, speaker, rule))
        return out

    def masked(self, quotes: list[Quotation]) -> str:
        """The text with every quotation's words blanked, so that attribution never reads what
        someone is quoted as saying."""
        parts, pos = [], 0
        for s, e in sorted(piece for q in quotes for piece in q.pieces):
            parts.append(self.text[pos:s])
            parts.append(" " * (e - s))
            pos = e
        parts.append(self.text[pos:])
        return "".join(parts)

    def claim(self, q: Quotation, speaker: str | None, rule: str) -> Claim:
        words = " ".join(self.text[s:e] for s, e in q.pieces)
        return Claim(
            kind="quote",
            text=words,
            start=q.start,
            end=q.end,
            rule=rule,
            speaker=speaker,
            extra={"parts": [[s, e] for s, e in q.pieces]} if len(q.pieces) > 1 else {},
        )

    # -- joining a quotation broken by its attribution ------------------------------------------

    def join_broken(self, quotes: list[Quotation]) -> list[Quotation]:
        """ "A," she said, "B." is one quotation whose pieces are A and B."""
        out: list[Quotation] = []
        for q in quotes:
            if out and self._is_interruption(out[-1], q) and not self._is_quoted_name(q):
                out[-1] = joined(out[-1], q)
            elif len(out) > 1 and self._is_aside(out[-1]) and self._is_interruption(out[-2], q):
                # a show or paper named in the attribution stays apart
                out[-2] = joined(out[-2], q)
            elif out and self._goes_on_next_paragraph(out[-1], q):
                out[-1] = joined(out[-1], q)
            else:
                out.append(q)
        return out

    def _goes_on_next_paragraph(self, a: Quotation, b: Quotation) -> bool:
        """'"A," he said.' (or 'he said, referring to the plan.') closing one paragraph and
        '"B."' filling the next: the speaker goes on; a sentence of narrative after the
        attribution ('he said. He then turned to the crowd.') ends the quote."""
        a_end = paragraph_end(self.text, a.closes)
        tail = self.text[a.closes : a_end]
        return (
            opens_paragraph(self.text, a.opens)
            and opens_paragraph(self.text, b.opens)
            and not self.text[a_end : b.opens].strip()
            and not self.text[b.closes : paragraph_end(self.text, b.closes)].strip()
            and len(tail) <= _SHORT_ATTRIBUTION
            and len(self.v.verbs.findall(tail)) == 1
            and not self._holds_a_sentence_end(tail)
            and self.text[a.start : a.end].rstrip("'’\"”")[-1:] in (",", "?", "!")
        )

    def _holds_a_sentence_end(self, tail: str) -> bool:
        """Whether the words after a quotation run past the end of its attribution's sentence
        ('" Lee added. He then asked the crowd.'), so they are narrative, not only the
        attribution."""
        return any(
            not is_abbreviation(tail, m.start(), self.v.abbreviations)
            for m in SENT_END.finditer(tail.rstrip())
        )

    def _is_aside(self, q: Quotation) -> bool:
        """A short quoted name inside a sentence, such as the show an interview was given to."""
        return len(q.pieces) == 1 and self.is_partial(q) and self.n_words(q) <= 4

    def _is_quoted_name(self, q: Quotation) -> bool:
        """An aside whose words are capitalised: the name of a show or paper inside the
        attribution ('said on CNN's "State of the Union."'), never the second half of a quote."""
        if not self._is_aside(q):
            return False
        words = _WORD.findall(self.text, q.start, q.end)
        named = [w for w in words if w.lower() not in self.v.not_nouns]
        return bool(named) and all(w[0].isupper() for w in named)

    def _is_interruption(self, a: Quotation, b: Quotation) -> bool:
        """Whether the text between two quotations is only their attribution ('he said,')."""
        gap = self.text[a.closes : b.opens]
        if not gap.strip() or "\n" in gap or len(gap) > self.t["join_gap_chars"]:
            return False
        ending = self.text[a.start : a.end].rstrip("'’\"”")[-1:]
        if ending not in _PIECE_ENDS or self.is_partial(a):
            return False  # a title or scare quote before the gap, not the first half of a sentence
        if ending in ".?!" and gap.lstrip(" \"”’'")[:1].isupper() and gap.rstrip()[-1:] in ",:":
            return False  # '"A." He added, "B."': a new sentence introduces a second utterance
        if self._quotes_inside_the_clause(gap, b):
            return False  # '"A," Lee said, calling the plan "a big step."': a fragment of hers
        verbs = [
            m
            for m in self.v.verbs.finditer(gap)
            if not self._is_noun(gap, m) and not _NAMING_CALL.match(gap, m.start())
        ]
        if len(verbs) == 2 and self._reports_a_clause(gap, verbs[1]):
            verbs.pop()  # '"A," she said, adding that the line would run. "B."': still her
        if len(verbs) > 1 and self._modifies_the_attribution(gap, verbs[1:]):
            del verbs[1:]  # '"A," said Lee, who told me she would stay. "B."': still Lee
        if len(verbs) != 1:
            return False  # no attribution, or a second one introducing a new utterance ("adding,")
        # a stop ends a sentence only before a capital, so any end found here has more gap after it
        if any(
            not is_abbreviation(gap, m.start(), self.v.abbreviations)
            for m in SENT_END.finditer(gap)
        ):
            return False  # a sentence of narrative between the two
        if gap.rstrip()[-1:] in ".!?" and self._has_own_attribution(b):
            return False  # '"A," Lee said. "B," she added.': two utterances, each attributed
        # the second piece must not be a fragment inside a longer sentence, unless it opens a
        # sentence of its own after the attribution that names no other speaker ('he said. "B"
        # and other issues.', but not '"B" to drive up costs, she said')
        if gap.rstrip()[-1:] == "." and self.text[b.start : b.start + 1].isupper():
            rest = self.text[b.closes : paragraph_end(self.text, b.closes)]
            end = SENT_END.search(rest)
            if not self.v.verbs.search(rest, 0, end.start() if end else len(rest)):
                return True
        m = _NEXT_WORD.match(self.text, b.closes, b.closes + 30)
        return not m or m.group(1) in self.v.pronouns or bool(self.v.verbs.fullmatch(m.group(1)))

    def _quotes_inside_the_clause(self, gap: str, b: Quotation) -> bool:
        """Whether the second quotation opens inside a clause of the gap ('she said, calling the
        plan "a big step."', '... because he "had no choice."'): the gap runs up to its mark with
        a plain word, not with the comma, colon or stop that hands back to the speaker, a speech
        verb ('he added "B"') or a conjunction ('she said, but "B"'). A title-cased quotation
        there is a name inside the attribution ('said on ABC's "This Week."'), dealt with apart."""
        m = _LAST_WORD.search(gap)
        if not m or self.v.verbs.fullmatch(m.group(1)) or m.group(1).lower() in _CONJUNCTIONS:
            return False
        words = _WORD.findall(self.text, b.start, b.end)
        return 2 * sum(w[0].isupper() for w in words) < len(words)

    def _is_noun(self, gap: str, verb: re.Match) -> bool:
        """A speech-verb form after an article or possessive is a noun: 'she said in her
        remarks', 'between the calls'."""
        m = _WORD_BEFORE.search(gap, 0, verb.start())
        return bool(m) and m.group(1).lower() in _NOUN_DETERMINERS

    def _reports_a_clause(self, gap: str, verb: re.Match) -> bool:
        """Whether a participle after the attribution reports a clause that ends the gap with a
        full stop ('..., adding that the line would run. '), rather than opening the next
        quotation ('..., adding, "B"')."""
        rest = gap[verb.end() :]
        return (
            verb.group().lower() in self.v.participles
            and rest[:1] == " "
            and gap.rstrip().endswith(".")
            and len(rest.split()) >= 3
        )

    def _modifies_the_attribution(self, gap: str, later: list[re.Match]) -> bool:
        """Whether the speech verbs after an attribution that ends the sentence ('said Lee, who
        told me she would stay. ') are in a clause describing its speaker or the occasion (after
        a comma, 'who', 'which', 'that' or a subordinator such as 'when'), so that none of them
        introduces the next quotation; a verb ending the gap does ('before the chairman
        replied. ')."""
        return gap.rstrip().endswith(".") and all(
            _MODIFIER_BEFORE.search(gap, 0, v.start()) and gap[v.end() :].strip(" .,:;")
            for v in later
        )

    def _has_own_attribution(self, q: Quotation) -> bool:
        """Whether the quotation runs on into an attribution of its own: '"...," she added.'
        (after '"..." She estimated that ...' a new sentence starts)."""
        last = self.text[q.start : q.end].rstrip("'’\"”")[-1:]
        after = self.text[q.closes : q.closes + 2].lstrip()[:1]
        if last != "," and not (last in "?!" and after.islower()):
            return False
        end = min(paragraph_end(self.text, q.closes), q.closes + _OWN_ATTRIBUTION_CHARS)
        m = self.v.verbs.search(self.text, q.closes, end)
        if m is None:
            return False
        head = self.text[q.closes : m.start()]
        return len(head.split()) <= 4 and not any(c in head for c in ".!?\"“”")

    # -- deciding what is a quote -----------------------------------------------------------------

    def n_words(self, q: Quotation) -> int:
        key = (q.start, q.end)
        if key not in self._words:
            self._words[key] = sum(len(_WORD.findall(self.text, s, e)) for s, e in q.pieces)
        return self._words[key]

    def is_partial(self, q: Quotation) -> bool:
        """A fragment inside a sentence rather than a quoted sentence of its own."""
        before = self.text[max(0, q.opens - 3) : q.opens]
        first = self.text[q.start]
        if opens_paragraph(self.text, q.opens) or not before.strip():
            return False
        last = before.rstrip()[-1:]
        # after a colon, or a capital after a comma, dash or full stop, it is a sentence of its own
        if last == ":" or (last and last in ",—–.!?" and first.isupper()):
            return False
        # so is a capitalised sentence right after a speech verb: 'Protesters chanted "What now?"'
        return not (
            first.isupper()
            and self.text[q.end - 1] in ".?!"
            and self.text[max(0, q.opens - 20) : q.opens].rstrip().split(" ")[-1]
            in self.v.verb_forms
        )

    def may_be_quote(self, q: Quotation) -> bool:
        """What can be told without the attribution: headlines, scare quotes and titles are out."""
        n = self.n_words(q)
        if n == 0 or self._in_headline(q) or self._is_followed_by_agent(q):
            return False
        if self.is_partial(q):
            return (
                n >= self.t["partial_min_words"]
                and not self._is_title(q)
                and not self._is_quoted_name(q)
                and not self._modifies_noun(q)
            )
        return True

    def is_quote(self, q: Quotation, found: Speaker | None) -> bool:
        """A fragment inside a sentence counts only with a speech verb before it; a quoted sentence
        counts unless it is too short or a title and nobody is said to have said it."""
        if self.is_partial(q):
            return found is not None and (
                found.rule.endswith("-before") or self._attributed_right_after(q, found)
            )
        if found is not None:
            return True
        return (
            self.n_words(q) >= self.t["standalone_min_words"]
            and not self._is_title(q)
            and not self._is_subheading(q)
        )

    def _is_subheading(self, q: Quotation) -> bool:
        """A short quoted line filling a paragraph alone, with nobody said to have said it: a
        subheading or pull quote set between paragraphs ("'A fight to the finish.'")."""
        return (
            self.n_words(q) <= self.t["subheading_max_words"]
            and opens_paragraph(self.text, q.opens)
            and not self.text[q.closes : paragraph_end(self.text, q.closes)].strip(" .,;:")
        )

    def _attributed_right_after(self, q: Quotation, found: Speaker) -> bool:
        """'Apple was "pulled into the enterprise," Tim Cook said': a fragment closed by a comma
        with the attribution right after its mark is what the speaker said."""
        if (
            found.rule not in ("quote/said-after", "quote/said-after-inverted")
            or self.text[q.end - 1] != ","
            or found.start - q.closes > _RIGHT_AFTER_CHARS
            or self.text[q.opens - 5 : q.opens].rstrip().endswith((" and", " or"))
        ):
            return False  # '... and "our own citizens," Lee said yes': one of a list of phrases
        words = _WORD.findall(self.text, q.start, q.end)
        if 2 * sum(w[0].isupper() for w in words) >= len(words):
            return False  # 'on CBS's "Face the Nation," Lee said': the name of a show
        if found.rule == "quote/said-after-inverted":
            return True
        # 'Lee said Tuesday.' attributes the fragment; 'Lee said the shooting ...' reports a clause
        verb = self.v.verbs.search(self.text, found.start, found.start + _RIGHT_AFTER_CHARS)
        m = _NEXT_WORD.match(self.text, verb.end()) if verb else None
        if verb is None or m is None:
            return verb is not None
        word = m.group(1)
        return word in self.v.function_words or word in self.v.adverbs

    def _is_followed_by_agent(self, q: Quotation) -> bool:
        """'"Plant to close in spring," by Jo Lee:' and 'was called "a disgrace" by Lee': words
        followed by 'by' and a name are a work's title with its byline, or what a passive clause
        says someone was called, not speech reported as said."""
        return bool(_BY_NAME.match(self.text, q.closes, q.closes + 20))

    def _in_headline(self, q: Quotation) -> bool:
        """Quoted words in a title-cased line (a headline or subheading) are not reported speech."""
        lo = self.text.rfind("\n", 0, q.opens) + 1
        hi = paragraph_end(self.text, q.closes)
        if hi - lo > 200:
            return False
        words = [
            w
            for w in _WORD.findall(self.text[lo:hi])
            if w.lower() not in self.v.function_words and w[0].isalpha()
        ]
        return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)

    def _is_title(self, q: Quotation) -> bool:
        """A work's name: after 'titled' or 'dubbed', title-cased words next to a cue such as
        'report' or 'show', or a short run of capitalised words standing alone."""
        words = _WORD.findall(self.text[q.start : q.end])
        caps = sum(1 for w in words if w[0].isupper())
        before = self.text[max(0, q.opens - 40) : q.opens].lower().split()
        last = before[-1].strip(",.:") if before else ""
        if last in self.v.naming_verbs:
            return True
        after = self.text[q.closes : q.closes + 25].lower().split()
        cue = last in self.v.work_cues or bool(after) and after[0].strip(",.:") in self.v.work_cues
        if cue and 2 * caps >= len(words):
            return True
        return len(words) <= 6 and caps == len(words) and self.text[q.end - 1] not in ".?!,"

    def _modifies_noun(self, q: Quotation) -> bool:
        """'a "super-gap" product': the quoted words are part of a noun phrase."""
        if self.n_words(q) > 3 or self.text[q.end - 1] in ".,?!;:":
            return False
        m = _NEXT_WORD.match(self.text, q.closes, q.closes + 30)
        return (
            bool(m)
            and m.group(1) not in self.v.not_nouns
            and not self.v.verbs.fullmatch(m.group(1))
        )


"""Attribution: where the speaker of a quotation is named, in a window of text around it.

Speech verbs ("said", "told reporters"), inverted verbs ("said Jo Lee, the chief executive"),
"according to", colons and dashes, a name signing off the paragraph, and a paragraph that
introduces a quoted one: the phrase found there is read by `speaker_phrases` and resolved by
`speakers`. The vocabulary comes from rules/speech.json.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable

from monitor.nlp.quotes.marks import Quotation
from monitor.nlp.quotes.speaker_phrases import BRACKET_END, PhraseReader
from monitor.nlp.quotes.speakers import Speaker, Speakers
from monitor.nlp.quotes.vocabulary import Vocabulary
from monitor.nlp.text_layout import (
    Sentences,
    next_paragraph_start,
    opens_paragraph,
    paragraph_end,
    rstrip_end,
)

# a verb after these is in a clause of its own: "when I asked him" (but not past a comma: "Asked
# if it had rattled them as well, Ryan said")
_SUBORDINATE = re.compile(
    r"\b(?:when|as|while|after|before|because|if|since|although|though|until)"
    r"\s+[^\s,;]+(?:\s+[^\s,;]+)?\s*$"
)
# a reported clause after a speech verb ("said members would meet"), which a bare attribution
# ("Smith said on Monday.") does not have
_REPORTED_CLAUSE = re.compile(
    r"\s(?:that|would|will|is|was|are|were|has|had|have|could|should|can)\s"
)
# a piece's closing mark, after a blank where a nested quotation closes first: "... 'Well done,' "
_CLOSING_MARK = re.compile(r"[ \u00a0]?(?:''|[\"”’'])")
_LEADING_PUNCTUATION = re.compile(r"[\s,;:—–\-]*")
_PLACE_BEFORE = re.compile(r"\b(?:on|in|at|to|via|through|from)\s+(?:the\s+)?$")
_GERUND_AFTER = re.compile(r"\b(?:by|in|while|after|before)\s*$")  # "by saying": the subject
# "Said Ellis: ", "Said Jo Lee, who grew up there, "
_SHORT_NAME_INTRO = re.compile(r"[\w.' -]{1,60}(?:,[^,;:\"“”]{1,100})?[,:]\s*")
_COLON_END = re.compile(r":\s*$")
_ADVERB_END = re.compile(r"\s+[a-z]+ly\s*$")
_AND = re.compile(r"\s+and\s+")
# a name alone before the colon, opening the sentence or after a dash: "Clinton: ", "- Bump: "
_SIGNATURE_LINE = re.compile(r"\s*[―—–-]{1,2}\s*[^\W\d][^\n]{0,60}$")  # "- Bernie Sanders."
# what may stand right before a name labelling a quotation: a dash, a closing mark
_LABEL_OPENERS = (" - ", "–", "—", '"', "”", "’")


def _blanks(s: str, i: int) -> int:
    """How many blanks stand at s[i:]."""
    return len(s) - i - len(s[i:].lstrip())


class Attributor:
    """Finds who each quotation of one article is attributed to; lives for one article."""

    def __init__(
        self,
        text: str,
        masked: str,
        vocab: Vocabulary,
        *,
        sentences: Sentences,
        speakers: Speakers,
        quotations: list[Quotation],
        is_aside: Callable[[Quotation], bool],
    ) -> None:
        self.text = text
        self.m = masked  # the text with quoted words blanked, so attribution never reads them
        self.v = vocab
        self.sentences = sentences
        self.speakers = speakers
        self.phrases = PhraseReader(masked, vocab, speakers=speakers, sentences=sentences)
        # the article's quotations in order: an attribution reads past a short quoted aside (a
        # nickname, the name of a show) but stops at any other quotation
        self.quotations = quotations
        self.opens = [q.opens for q in quotations]
        self.is_aside = is_aside
        self._subjects: dict[int, Speaker | None] = {}
        # the speaker of the last attributed quotation of each paragraph, by paragraph start
        self._last_in_paragraph: dict[int, Speaker] = {}

    def attribute(self, q: Quotation) -> Speaker | None:
        """The speaker named right after the quotation, else before it in the same sentence, else
        in the paragraph that introduces a quoted paragraph."""
        for (_, e), (s, _) in zip(q.pieces, q.pieces[1:]):
            inner = Quotation(pieces=[(0, e)], opens=0, closes=self._closing_end(e))
            found = self._after(inner, limit=s)
            if found:
                return found
        after = self._after(q)
        before = self._before(q)
        if after and before:
            # the one closer to the quotation marks wins
            gap_after = after.start - q.closes
            gap_before = q.opens - before.start
            return after if gap_after <= gap_before or before.kind == "unnamed" else before
        found = after or before
        if found is None and opens_paragraph(self.m, q.opens):
            found = self._signed(q)
            if found is None and not self._has_own_verb(q):
                found = self._introduced(q) or self._continued(q)
        if found is not None and found.kind != "unnamed":
            self._last_in_paragraph[self.m.rfind("\n", 0, q.opens) + 1] = found
        return found

    def _continued(self, q: Quotation) -> Speaker | None:
        """A quoted paragraph with no attribution of its own right after a paragraph whose last
        quotation is attributed: the same speaker goes on ('"...," Le Pen told CNN when asked.'
        then '"It is everything but ..."')."""
        j = self.m.rfind("\n", 0, q.opens)
        if j <= 0:
            return None
        prev_end = rstrip_end(self.m, j)
        prev_start = self.m.rfind("\n", 0, prev_end) + 1
        last = self._last_in_paragraph.get(prev_start)
        if last is None or self.m[q.closes : paragraph_end(self.m, q.closes)].strip(" .,;"):
            return None
        return Speaker(last.kind, last.text, last.start, "quote/continued")

    def _signed(self, q: Quotation) -> Speaker | None:
        """The name signing off the quotation's paragraph after a dash, as in a list of readers'
        comments ('"..." And that is "the point." ― Rosa Delgado'), for every quote in it; or
        signing it from the next paragraph, a dash and a name alone ('- Rosa Delgado.')."""
        tail_start = q.closes
        tail = self.m[tail_start : paragraph_end(self.m, tail_start)]
        if not tail.strip(" .,;\"”’'"):
            tail_start = next_paragraph_start(self.m, paragraph_end(self.m, tail_start))
            tail = " " + self.m[tail_start : paragraph_end(self.m, tail_start)]
            tail_start -= 1
            if not _SIGNATURE_LINE.match(tail):
                return None
        m = self.v.signature.search(tail)
        name = self.speakers.clean_name(m.group(1)) if m else None
        if m is None or name is None:
            return None
        return Speaker("name", name, tail_start + m.start(1), "quote/dash-name")

    def _closing_end(self, e: int) -> int:
        """Offset just past the closing mark(s) after a piece ending at `e`."""
        m = _CLOSING_MARK.match(self.text, e, e + 3)
        return m.end() if m else e

    def _after(self, q: Quotation, limit: int | None = None) -> Speaker | None:
        end = self.sentences.end(q.closes)
        if limit is not None:
            end = min(end, limit)
        nxt = self.m.find("\n", q.closes)
        if 0 <= nxt < end:
            end = nxt
        # stop before the next quotation in the sentence, reading past a short quoted aside
        # such as a nickname or the name of a show
        k = bisect_left(self.opens, q.closes)
        while k < len(self.opens) and self.opens[k] < end:
            if not self.is_aside(self.quotations[k]):
                end = self.opens[k]
                break
            k += 1
        post = self.m[q.closes : end]
        if not post.strip():
            return None
        dash = self.v.dash_name.match(post)
        if dash:
            name = self.speakers.clean_name(dash.group(1))
            if name:
                return Speaker("name", name, q.closes + dash.start(1), "quote/dash-name")
        lead = _LEADING_PUNCTUATION.match(post).end()
        if lead == 0 and post[:1].isalnum() and not self._glued_attribution(q, post):
            return None  # the sentence goes on ("...," which ...)
        new_sentence = self.text[q.end - 1] == "." and post[lead : lead + 1].isupper()
        for m in self.v.verbs.finditer(post):
            head = post[lead : m.start()]
            if head.split()[:1] and head.split()[0] in self.v.function_words:
                comma = head.rfind(",")
                if comma < 0 or not head[comma + 1 :].strip():
                    return None  # "..." when Clinton blasted him: another clause, no attribution
                lead += comma + 1  # '"..." for the win, Lee said': the clause ends at the comma
                head = post[lead : m.start()]
            if new_sentence and _REPORTED_CLAUSE.search(post, m.end()):
                return None  # '..."." A spokesperson said members would meet.': news of its own
            if not head.strip():
                if m.group().lower() in self.v.participles:
                    return None  # '"..." promising the club will return': no inverted subject
                sp = self.phrases.subject_after(q.closes + m.end(), end)
                if sp:
                    sp.rule = "quote/said-after-inverted"
                return sp
            sp = self.phrases.subject_before(q.closes + lead, q.closes + m.start())
            if sp:
                sp.rule = "quote/said-after"
                return sp
            return None
        m = self.v.nominal.search(post)
        if m and not post[lead : m.start()].strip(" ,"):
            sp = self.phrases.subject_after(q.closes + m.end(), end)
            if sp:
                sp.rule = "quote/according-to-after"
            return sp
        return None

    def _glued_attribution(self, q: Quotation, post: str) -> bool:
        """'"...,"Clinton said.': a capitalised attribution typed without its space after a
        quotation that ends its sentence or clause."""
        return post[:1].isupper() and self.text[q.end - 1 : q.end] in (",", "?", "!", ".")

    def _before(self, q: Quotation) -> Speaker | None:
        start = self.sentences.start(q.opens)
        pre = self.m[start : q.opens]
        if "\n" in pre:
            start += pre.rfind("\n") + 1
            pre = self.m[start : q.opens]
        labelled = self._labelled(pre, start)
        if labelled:
            return labelled
        verbs = list(self.v.verbs.finditer(pre))
        nom = list(self.v.nominal.finditer(pre))
        if nom and (not verbs or nom[-1].start() > verbs[-1].start()):
            m = nom[-1]
            sp = self.phrases.subject_after(start + m.end(), q.opens)
            if sp:
                sp.rule = "quote/according-to-before"
            return sp
        for m in reversed(verbs):
            form = m.group().lower()
            if (
                _SUBORDINATE.search(pre, 0, m.start())
                and m.start() > 0
                and any(v.start() < m.start() for v in verbs)
            ):
                continue  # "Ruiz put it this way when I asked him: ..." - not the asking
            gerund = _GERUND_AFTER.search(pre, 0, m.start()) if form in self.v.participles else None
            if gerund:
                # "Lee closed the briefing by saying": the subject of the sentence said it
                hi = start + gerund.start()
                sp = self.phrases.sentence_group(start, hi)
                sp = sp or self.phrases.sentence_subject(start, hi)
            elif form in self.v.participles:
                # "footage of Trump saying" names the speaker right before; "..., saying" means
                # the subject of the clause
                sp = (
                    None
                    if pre[: m.start()].rstrip().endswith(",")
                    else self.phrases.noun_phrase_ending(
                        start, self._before_adverb(start, m.start())
                    )
                )
                if sp is not None and _PLACE_BEFORE.search(self.m, max(0, sp.start - 20), sp.start):
                    sp = None  # "she replied on Facebook writing": a place, not who is writing
                if sp is None or sp.kind not in ("name", "org"):
                    sp = self.phrases.sentence_subject(start, start + m.start())
            else:
                sp = self.phrases.subject_before(start, start + m.start())
            if (
                sp is None
                and not pre[: m.start()].strip()
                and _SHORT_NAME_INTRO.fullmatch(self.m, start + m.end(), q.opens)
            ):
                sp = self.phrases.subject_after(start + m.end(), q.opens)  # "Said Ellis: ..."
            if (
                sp is None
                and self.text[q.start].isupper()
                and not self.m[start + m.end() : q.opens].strip(" ,:")
            ):
                # the verb introduces the quote and its subject is no name: a group of people
                # opening the sentence ("Union members marching past chanted"), or nobody named
                sp = self.phrases.sentence_group(start, start + m.start()) or Speaker(
                    "unnamed", None, start + m.start(), ""
                )
            if sp:
                sp.rule = "quote/said-before"
                return sp
        m = _COLON_END.search(pre)
        if m:
            sp = self.phrases.sentence_subject(start, start + m.start())
            if sp:
                sp.rule = "quote/colon-before"
            return sp
        return None

    def _before_adverb(self, start: int, at: int) -> int:
        """Where the words before a participle end once an adverb in -ly is set aside: 'with Lee
        reportedly yelling' is Lee yelling."""
        m = _ADVERB_END.search(self.m, max(start, start + at - 30), start + at)
        return m.start() if m else start + at

    def _labelled(self, pre: str, start: int) -> Speaker | None:
        """ "Clinton: ...", "- Pew Research: ...", "Jo Lee, Electrek: ...", "Jo Lee and Ana Ruiz:
        ...": a name alone (or with its outlet), or two names, before the colon labels what it
        said."""
        colon = _COLON_END.search(pre)
        if colon is None:
            return None
        cut = 0
        for mark in _LABEL_OPENERS:
            i = pre.rfind(mark, 0, colon.start())
            if i >= 0:
                cut = max(cut, i + len(mark))
        lo = cut + _blanks(pre, cut)
        comma = pre.find(",", lo, colon.start())
        if comma >= 0 and not self.v.name_run.fullmatch(
            pre, comma + 1 + _blanks(pre, comma + 1), colon.start()
        ):
            return None  # "Jo Lee, Electrek: ..." (a name and its outlet) but no longer phrase
        hi = comma if comma >= 0 else colon.start()
        bracket = BRACKET_END.search(pre, lo, hi)  # "Rep. Jo Lee (D-Ohio): ..."
        hi = bracket.start() if bracket else hi
        pair = _AND.search(pre, lo, hi)  # "Jo Lee and Ana Ruiz: ...", two authors
        if pair and self.v.name_run.fullmatch(pre, pair.end(), hi):
            first = self.v.name_run.fullmatch(pre, lo, pair.start())
            runs = (first.group(), pre[pair.end() : hi]) if first else ()
            names = [self.speakers.clean_name(r) for r in runs]
            if names and all(names):
                return Speaker("name", " and ".join(names), start + lo, "quote/colon-before")
        label = self.v.name_run.fullmatch(pre, lo, hi)
        name = self.speakers.clean_name(label.group()) if label else None
        if label is None or name is None:
            return None
        sp = self.speakers.named(name, start + label.start(), start + label.end())
        sp.rule = "quote/colon-before"
        return sp

    def verb_subject(self, verb: int) -> Speaker | None:
        """The subject of the speech verb at `verb`, worked out once per verb."""
        if verb not in self._subjects:
            s0 = max(self.sentences.start(verb), self.m.rfind("\n", 0, verb) + 1)
            self._subjects[verb] = self.phrases.subject_before(s0, verb)
        return self._subjects[verb]

    def _has_own_verb(self, q: Quotation) -> bool:
        """Whether the quotation's paragraph holds a speech verb outside the quotation."""
        return bool(self.v.verbs.search(self.m, q.closes, paragraph_end(self.m, q.closes)))

    def _introduced(self, q: Quotation) -> Speaker | None:
        """The speaker of a quoted paragraph with no attribution of its own, from the paragraph
        that introduces it ("Wu told journalists that ...")."""
        j = self.m.rfind("\n", 0, q.opens)
        if j <= 0:
            return None
        prev_end = rstrip_end(self.m, j)
        k = self.m.rfind("\n", 0, prev_end)
        prev_start = k + 1
        para = self.m[prev_start:prev_end]
        if not para or para.lstrip()[:1] in "“\"'‘":
            return None
        start = self.sentences.start(prev_end - 1)
        start = max(start, prev_start)
        sent = self.m[start:prev_end]
        for m in reversed(list(self.v.verbs.finditer(sent))):
            sp = self.phrases.subject_before(start, start + m.start())
            if sp:
                sp.rule = "quote/introduced"
                return sp
        if sent.rstrip().endswith(":"):
            labelled = self._labelled(self.m[prev_start:prev_end], prev_start)
            if labelled:  # a round-up: "Jo Lee, Electrek:" above what she wrote
                labelled.rule = "quote/introduced"
                return labelled
            sp = self.phrases.sentence_subject(start, prev_end)
            if sp:
                sp.rule = "quote/introduced"
            return sp
        return None

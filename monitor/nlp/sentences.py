"""Sentence boundaries for the blank pipeline: one regex over the text, abbreviations respected.

spaCy's rule-based sentencizer walks every token from Python-level checks and splits after "Mr."
and "Corp."; this component finds the stops with a compiled regex, skips the abbreviations listed
in rules/speech.json, and writes the result into the doc in one array call. Later components read
the character offsets from `sentence_starts(doc)` instead of iterating `doc.sents`.
"""

from __future__ import annotations

from pathlib import Path

import numpy
from spacy.attrs import IDX, SENT_START
from spacy.tokens import Doc

from monitor.nlp.doc import doc_text
from monitor.nlp.rulebook import rulebook
from monitor.nlp.text_layout import SENT_END, is_abbreviation

_STARTS_KEY = "monitor.sentence_starts"


def find_sentence_starts(text: str, abbreviations: frozenset[str]) -> list[int]:
    """Character offsets where sentences start, 0 first."""
    starts = [0]
    for m in SENT_END.finditer(text):
        i = m.start()
        if text[i] == "." and is_abbreviation(text, i, abbreviations):
            continue
        if m.end() < len(text):
            starts.append(m.end())
    return starts


def sentence_starts(doc: Doc) -> list[int]:
    """The sentence starts the component stored (computed here when it did not run)."""
    starts = doc.user_data.get(_STARTS_KEY)
    if starts is None:
        columns = doc.to_array([SENT_START, IDX]).astype("int64")
        starts = [0, *columns[(columns[:, 0] == 1) & (columns[:, 1] > 0), 1].tolist()]
        doc.user_data[_STARTS_KEY] = starts
    return starts


class SentenceSplitter:
    """Sets sentence starts on a doc of the blank pipeline, from the stops in its text."""

    def __init__(self, rules_dir: Path) -> None:
        speech = rulebook(rules_dir).json("speech.json")
        self.abbreviations = frozenset(w for words in speech["abbreviations"].values() for w in words)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        starts = find_sentence_starts(doc_text(doc), self.abbreviations)
        doc.user_data[_STARTS_KEY] = starts
        token_starts = doc.to_array(IDX).astype("int64")
        flags = numpy.full(len(doc), -1, dtype="int32")
        first_tokens = numpy.searchsorted(token_starts, numpy.asarray(starts, dtype="int64"))
        flags[first_tokens[first_tokens < len(doc)]] = 1
        flags[0] = 1
        doc.from_array([SENT_START], flags.reshape(-1, 1).astype("uint64"))
        return doc

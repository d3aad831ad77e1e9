"""Finds quantities in article text (placeholder until the rules land)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .nlp import start_claims


@Language.factory("monitor_quantities", default_config={"rules_dir": None})
def make_quantities_finder(nlp: Language, name: str, rules_dir: str | None) -> "Finder":
    return Finder()


class Finder:
    def __call__(self, doc: Doc) -> Doc:
        start_claims(doc)
        return doc

"""Claims from text: run the pipeline and return plain `Claim` records, the one entry point of the rules stage."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .models import Claim
from .nlp import load_pipeline, start_claims


@Language.factory("monitor_claims", default_config={"rules_dir": None})
def make_claim_linker(nlp: Language, name: str, rules_dir: str | None) -> "ClaimLinker":
    return ClaimLinker()


class ClaimLinker:
    """Puts claims in text order and fills each one's sentence."""

    def __call__(self, doc: Doc) -> Doc:
        claims = start_claims(doc)
        for claim in claims:
            if claim.sentence is None:
                span = doc.char_span(claim.start, claim.end, alignment_mode="expand")
                if span is not None:
                    claim.sentence = span.sent.text
        claims.sort(key=lambda c: (c.start, c.end, c.kind))
        return doc


def extract_claims(text: str, *, nlp: Language | None = None) -> list[Claim]:
    """Every claim in `text`, in text order."""
    doc = (nlp or load_pipeline())(text)
    return list(start_claims(doc))


def is_battery_relevant(text: str) -> bool:
    """Whether an article is about batteries or EVs (placeholder until the vocabulary in rules/ lands)."""
    lowered = text.lower()
    return any(term in lowered for term in ("battery", "batteries", "electric vehicle", " ev ", "lithium"))

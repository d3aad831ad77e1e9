"""The spaCy pipeline: a blank English tokenizer (or a trained pipeline when installed) plus our rules.

Each claim finder is a registered pipeline component that appends `Claim`s to `doc._.claims`;
components run in order, so later ones (quotes, the claim linker) can use what earlier ones found.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .resources import rules_dir as default_rules_dir
from .resources import rules_version

log = logging.getLogger(__name__)

if not Doc.has_extension("claims"):
    Doc.set_extension("claims", default=None)
# every organisation mention the companies component found, for later components (speakers,
# subjects): tuples (start_char, end_char, canonical_name, kind) with kind "company" or "outlet" ...
if not Doc.has_extension("company_mentions"):
    Doc.set_extension("company_mentions", default=None)

# name of the registered factory, in pipeline order; each module registers its own factory
COMPONENTS = ("monitor_companies", "monitor_quantities", "monitor_quotes", "monitor_claims")


def _register_components() -> None:
    # importing the modules registers their factories with spaCy
    from . import claims, companies, quantities, quotes, sentences  # noqa: F401


@lru_cache(maxsize=4)
def load_pipeline(rules_dir: str | None = None, model: str | None = None) -> Language:
    """Build the pipeline once per rules folder; `model` is used only where it is installed.

    The pipeline keeps the rules it was built from for its life (a daemon's, a worker's), so it
    carries their version, `nlp.meta["rules_version"]`, for the claims it finds to be stamped with.
    """
    _register_components()
    directory = str(Path(rules_dir) if rules_dir else default_rules_dir())
    nlp = None
    if model:
        try:
            nlp = spacy.load(model, exclude=["ner"])
        except OSError:
            log.warning("spaCy model %s is not installed; using the blank English pipeline", model)
    if nlp is None:
        nlp = spacy.blank("en")
    if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
        nlp.add_pipe("monitor_sentences", config={"rules_dir": directory})
    for name in COMPONENTS:
        nlp.add_pipe(name, config={"rules_dir": directory})
    nlp.meta["rules_version"] = rules_version(Path(directory))
    return nlp


def start_claims(doc: Doc) -> list:
    """The claims list of a doc, created by whichever component runs first."""
    if doc._.claims is None:
        doc._.claims = []
    return doc._.claims


def run_pipeline(nlp: Language, text: str) -> Doc:
    """`nlp(text)`, with the text kept on the doc up front so no component pays to rebuild it.

    spaCy's tokenizer is non-destructive (`doc.text == text`), so the input is the doc's text.
    """
    doc = nlp.make_doc(text)
    doc.user_data["monitor.text"] = text
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def doc_text(doc: Doc) -> str:
    """`doc.text`, built once per doc and kept: spaCy joins the tokens anew on every access, which
    costs each component about an eighth of the tokenizer's time."""
    text = doc.user_data.get("monitor.text")
    if text is None:
        text = doc.user_data["monitor.text"] = doc.text
    return text

"""The spaCy pipeline: a blank English tokenizer (or a trained pipeline when installed) plus our
rules; the only importer of the factories, and the entry point of the rules stage.

Each claim finder is a registered pipeline component that appends `Claim`s to `doc._.claims`;
components run in order, so later ones (quotes, the claim linker) can use what earlier ones found.
"""

from __future__ import annotations

import logging
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from monitor.models import Claim
from monitor.nlp.credits import credit_lines
from monitor.nlp.doc import PUBLISHED_KEY, TEXT_KEY, TITLE_KEY, start_claims
from monitor.nlp.factories import COMPONENTS, SENTENCES, register_factories
from monitor.nlp.rulebook import rulebook

log = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def load_pipeline(rules_dir: str | None = None, model: str | None = None) -> Language:
    """Build the pipeline once per rules folder; `model` is used only where it is installed.

    The pipeline keeps the rules it was built from for its life (a daemon's, a worker's), so it
    carries their version, `nlp.meta["rules_version"]`, for the claims it finds to be stamped with.
    """
    register_factories()
    rules = rulebook(rules_dir)
    directory = str(rules.folder)
    nlp = None
    if model:
        try:
            nlp = spacy.load(model, exclude=["ner"])
        except OSError:
            log.warning("spaCy model %s is not installed; using the blank English pipeline", model)
    if nlp is None:
        nlp = spacy.blank("en")
    if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
        nlp.add_pipe(SENTENCES, config={"rules_dir": directory})
    for name in COMPONENTS:
        nlp.add_pipe(name, config={"rules_dir": directory})
    nlp.meta["rules_version"] = rules.version
    nlp.meta["rules_dir"] = directory
    return nlp


def run_pipeline(nlp: Language, text: str, *, published: str | None = None,
                 title: str | None = None) -> Doc:
    """`nlp(text)`, with the text kept on the doc up front so no component pays to rebuild it,
    beside the article's publication date and headline where known (the claim linker dates
    figures and carries subjects with them).

    spaCy's tokenizer is non-destructive (`doc.text == text`), so the input is the doc's text,
    save that credit and caption lines ("Image: Opel") are blanked first: offsets stay exact.
    """
    text = credit_lines(nlp.meta.get("rules_dir")).blank(text)
    doc = nlp.make_doc(text)
    doc.user_data[TEXT_KEY] = text
    if published:
        doc.user_data[PUBLISHED_KEY] = published
    if title:
        doc.user_data[TITLE_KEY] = title
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def extract_claims(text: str, *, nlp: Language | None = None, published: str | None = None,
                   title: str | None = None) -> list[Claim]:
    """Every claim in `text`, in text order; `published` (an ISO date) resolves "last year" and
    dates undated figures, `title` is the headline a figure's subject may be carried from."""
    doc = run_pipeline(nlp or load_pipeline(), text, published=published, title=title)
    return list(start_claims(doc))

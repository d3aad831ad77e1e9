"""The Doc extensions and helpers every rules component shares; the only nlp module components import.

Components talk through the doc: each appends `Claim`s to `doc._.claims`, the companies component
leaves `doc._.company_mentions` and `doc._.company_sectors` for later ones, and the text is kept
in `user_data` once.
"""

from __future__ import annotations

from spacy.tokens import Doc

if not Doc.has_extension("claims"):
    Doc.set_extension("claims", default=None)
# every organisation mention the companies component found, for later components (speakers,
# subjects): tuples (start_char, end_char, canonical_name, kind) with kind "company" or "outlet"
if not Doc.has_extension("company_mentions"):
    Doc.set_extension("company_mentions", default=None)

# the sectors of the companies of `company_mentions` that have one: {canonical_name: frozenset of
# sectors ("carmaker", "battery maker", ...)}, from rules/company_sectors.json or the text
if not Doc.has_extension("company_sectors"):
    Doc.set_extension("company_sectors", default=None)

TEXT_KEY = "monitor.text"
# what the pipeline was told about the article beside its text: the publication date (ISO) that
# resolves "last year", and the headline a subject may be carried from; absent for bare text
PUBLISHED_KEY = "monitor.published"
TITLE_KEY = "monitor.title"


def start_claims(doc: Doc) -> list:
    """The claims list of a doc, created by whichever component runs first."""
    if doc._.claims is None:
        doc._.claims = []
    return doc._.claims


def doc_text(doc: Doc) -> str:
    """`doc.text`, built once per doc and kept: spaCy joins the tokens anew on every access, which
    costs each component about an eighth of the tokenizer's time."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def doc_published(doc: Doc) -> str | None:
    """The article's publication date as given to the pipeline, if any."""
    return doc.user_data.get(PUBLISHED_KEY)


def doc_title(doc: Doc) -> str | None:
    """The article's headline as given to the pipeline, if any."""
    return doc.user_data.get(TITLE_KEY)

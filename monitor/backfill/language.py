"""Whether a page is in the language the backfill keeps (English by default, which the rules are
written for): the language the page declares (`<html lang>`), else py3langid's guess on the
extracted text, its model shipped in the package."""

from __future__ import annotations

from monitor.models import Article

ENGLISH = "en"
SAMPLE_CHARS = 3000  # enough text for a sure guess; the guess costs time in proportion


def primary_subtag(code: str) -> str:
    """"en-GB" -> "en": the language without its region or script."""
    return code.split("-")[0].split("_")[0].strip().lower()


def in_language(article: Article, language: str = ENGLISH) -> bool:
    """The declared language when there is one (only its primary subtag), else the guess."""
    if article.language:
        return primary_subtag(article.language) == language
    return guess_language(article.text) == language


def guess_language(text: str) -> str:
    """py3langid's language code for `text` (its model loads once, at the first guess)."""
    import py3langid  # imported here: only pages that passed the gate and declare nothing need it

    return py3langid.classify(text[:SAMPLE_CHARS])[0]

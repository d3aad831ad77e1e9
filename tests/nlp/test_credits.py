"""Picture credits, captions and file names are not article text: no claim comes from them."""

from __future__ import annotations

import pytest

from monitor.nlp.pipeline import extract_claims


def kinds(nlp, text: str) -> set[tuple[str, str]]:
    found = set()
    for c in extract_claims(text, nlp=nlp):
        assert text[c.start : c.end] == c.text  # offsets stay exact around blanked lines
        found.add((c.kind, c.company or c.text))
    return found


@pytest.mark.parametrize(
    "credit",
    [
        "Image: Renault",
        "Photo credit: Renault Group/Jo Lee",
        "The new Scenic at the Douai plant. Photo: Renault",
        "© Renault Group 2025",
        "renault-scenic-douai-1200x800.jpg",
        "(Image credit: Renault)",
        "The line at Douai builds 1,200 Scenics a day. (Photo: Renault)",
    ],
)
def test_a_credit_or_caption_line_names_no_company_and_no_figure(nlp, credit):
    text = f"{credit}\n\nNorthvolt cut 1,600 jobs in Sweden, the company said."
    assert kinds(nlp, text) == {("company", "Northvolt"), ("quantity", "1,600 jobs")}


def test_a_company_named_in_the_story_and_the_credit_still_counts(nlp):
    text = "Image: Renault\n\nRenault will build 300,000 cells a year in Douai."
    assert ("company", "Renault") in kinds(nlp, text)


@pytest.mark.parametrize(
    "line",
    [
        "Video shows the line running at 1,600 cells a minute.",
        "Sources say Renault will cut 1,600 jobs.",
    ],
)
def test_a_sentence_that_opens_with_a_credit_word_is_still_text(nlp, line):
    assert ("company", "Renault") in kinds(nlp, line + " Renault agreed.")

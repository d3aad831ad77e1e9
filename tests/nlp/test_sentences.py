"""Sentence boundaries of the blank pipeline: stops and line breaks split, abbreviations do not."""

import pytest


@pytest.mark.parametrize(
    "text, sentences",
    [
        ("Ford Motor Co. cut prices. CATL did not.", ["Ford Motor Co. cut prices.", "CATL did not."]),
        ("Mr. Zeng spoke in the U.S. on Monday. Analysts agreed.",
         ["Mr. Zeng spoke in the U.S. on Monday.", "Analysts agreed."]),
        ("Sales rose 8%.\nMargins fell.", ["Sales rose 8%.", "Margins fell."]),
        ('"We are ready," she said. "Are you?" he asked.', ['"We are ready," she said.', '"Are you?" he asked.']),
        ("Prices fell to $115/kWh. 2026 will be harder.", ["Prices fell to $115/kWh.", "2026 will be harder."]),
        ("Panasonic Energy Co., Ltd. opened the plant.", ["Panasonic Energy Co., Ltd. opened the plant."]),
    ],
)
def test_sentences_split_at_stops_and_breaks_but_not_abbreviations(nlp, text, sentences):
    doc = nlp(text)
    assert [s.text.strip() for s in doc.sents] == sentences


def test_claims_carry_their_sentence(nlp):
    from monitor.nlp.pipeline import extract_claims

    text = "Mr. Lee said nothing. Northvolt cut 1,600 jobs in Sweden. The rest stayed."
    [jobs] = [c for c in extract_claims(text, nlp=nlp) if c.kind == "quantity"]
    assert jobs.sentence == "Northvolt cut 1,600 jobs in Sweden."

"""The claim linker: claims in text order, each with its sentence, subject, hedge and battery flag;
and the per-article battery relevance."""

from __future__ import annotations

import pytest

from monitor.models import Claim
from monitor.nlp.pipeline import extract_claims
from monitor.nlp.relevance import battery_vocabulary, is_battery_relevant


# figures are described as claims in battery articles only: the texts are set in one
BATTERY_STORY = " The story is about EV batteries."


def linked(nlp, text: str, target: str, kind: str = "quantity") -> Claim:
    """A bare claim over `target`, as another component would leave it, after the linker ran, in a
    battery article."""
    doc = nlp(text + BATTERY_STORY)
    start = text.index(target)
    claim = Claim(kind=kind, text=target, start=start, end=start + len(target), rule="test")
    doc._.claims = [claim]
    nlp.get_pipe("monitor_claims")(doc)
    return claim


@pytest.mark.parametrize("text, target, subject", [
    ("Hyundai lifted US sales by 12%, and Kia added 9% in the same month.", "12%", "Hyundai"),
    ("Hyundai lifted US sales by 12%, and Kia added 9% in the same month.", "9%", "Kia"),
    ("The largest holder is Stellantis, with a stake of roughly 14%.", "14%", "Stellantis"),
    ("A stake of 10% in the recycler was bought by Glencore.", "10%", "Glencore"),
    ("Kestrel Lithium Corp. will produce 20,000 tonnes a year.",
     "20,000 tonnes", "Kestrel Lithium"),
    ("Cobalt prices have dropped 40% over two years.", "40%", "cobalt"),
    ("Polestar cut its outlook. Registrations in Norway rose 6% in June.", "6%", "Norway"),
    ("Charger installations rose 18% in the quarter, Reuters reported.", "18%", "global"),
])
def test_quantity_subject_is_the_owner_its_sentence_names(nlp, text, target, subject):
    assert linked(nlp, text, target).subject == subject


@pytest.mark.parametrize("text, target, hedge", [
    ("Recyclers are estimated to recover 95% of the nickel.", "95%", "estimated"),
    ("The cathode plant is expected to employ 1,200 people.", "1,200", "expected"),
    ("She said Umicore expects margins near 12% next year.", "12%", "expected"),
    ("Sodium-ion output could reach 30 GWh by 2028.", "30 GWh", "could"),
    ("Pack prices may fall 8% next year.", "8%", "may"),
    ("The start-up plans to ship 2,000 packs a month in Poland.", "2,000", "plans to"),
    ("Storage demand is forecast to grow 25% this year.", "25%", "forecast"),
    ("Deliveries of 90,000 trucks are projected for 2027.", "90,000", "projected"),
    ("Xpeng delivered 31,000 cars in May.", "31,000", None),
    ("The maker shipped 70,000 vans last year, and it expects more.", "70,000", None),
])
def test_hedge_of_a_quantity_is_recorded(nlp, text, target, hedge):
    assert linked(nlp, text, target).hedge == hedge


def test_hedge_inside_a_quote_is_recorded(nlp):
    text = '"We could halve the cost by 2030," the engineer said.'
    assert linked(nlp, text, "We could halve the cost by 2030,", kind="quote").hedge == "could"


@pytest.mark.parametrize("text, target, battery", [
    ("The pickup's pack holds 131 kWh.", "131 kWh", True),
    ("EV registrations in Spain rose 22% in April.", "22%", True),
    ("Lithium hydroxide rose 6% on the week.", "6%", True),
    ("The gigafactory will employ 2,500 people.", "2,500", True),
    ("Advertising revenue rose 5% in the quarter.", "5%", False),
    ("A sev or a level is no term here, and costs rose 4%.", "4%", False),
])
def test_battery_flag_follows_the_vocabulary_of_the_sentence(nlp, text, target, battery):
    assert linked(nlp, text, target).battery is battery


def test_sentence_is_the_trimmed_sentence_of_the_claim(nlp):
    text = "Sunwoda reported results.\n\nIts gross margin widened 3 points from a year ago. Done."
    claim = linked(nlp, text, "3 points")
    assert claim.sentence == "Its gross margin widened 3 points from a year ago."


def test_claims_come_in_text_order_with_sentences(nlp):
    text = ('Verkor raised $1.3 billion for its plant in Dunkirk. "We are ready," said its '
            "chief executive. Renault owns about 20% of Verkor.")
    claims = extract_claims(text, nlp=nlp)
    assert [c.start for c in claims] == sorted(c.start for c in claims)
    assert all(c.sentence and c.sentence in text for c in claims)
    assert {c.company for c in claims if c.kind == "company"} == {"Verkor", "Renault"}


@pytest.mark.parametrize("text, relevant", [
    ("Gotion showed a sodium-ion battery rated at 160 Wh/kg for city cars.", True),
    ("Honda will build LFP cells in Ohio for its EV crossovers.", True),
    ("Lithium prices fell again as gigafactory projects stalled.", True),
    ("The senator was charged with assault and spent a night in a cell.", False),
    ("The central bank left interest rates unchanged on Thursday.", False),
    ("The laptop's battery lasts ten hours, and charging it takes an hour.", False),
])
def test_article_is_battery_relevant_with_two_different_terms_one_of_them_core(text, relevant):
    assert is_battery_relevant(text) is relevant


@pytest.mark.parametrize("text, start, end, mentioned", [
    ("Batteries got cheaper again.", 0, None, True),
    ("Costs fell. Batteries got cheaper again.", 12, None, True),
    ("Costs fell. Batteries got cheaper again.", 0, 11, False),
    ("The old photocells were replaced.", 13, None, False),  # "cells" inside a word
    ("The old photo-cells were replaced.", 14, None, True),  # after a hyphen: a word of its own
    ("The new EVs arrive in May.", 8, 10, True),
    ("Größere Batteries sind teurer.", 8, None, True),  # offsets past letters of two bytes
    ("Größere Zellen sind teurer.", 0, None, False),
])
def test_a_span_mentions_a_term_that_begins_a_word_inside_it(text, start, end, mentioned):
    assert battery_vocabulary().mentioned(text, start, end) is mentioned

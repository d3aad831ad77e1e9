"""The claim linker: claims in text order, each with its sentence, subject, hedge and battery flag;
and the per-article battery relevance."""

from __future__ import annotations

import pytest

from monitor.claims import extract_claims, is_battery_relevant
from monitor.models import Claim


def linked(nlp, text: str, target: str, kind: str = "quantity") -> Claim:
    """A bare claim over `target`, as another component would leave it, after the linker ran."""
    doc = nlp(text)
    start = text.index(target)
    claim = Claim(kind=kind, text=target, start=start, end=start + len(target), rule="test")
    doc._.claims = [claim]
    nlp.get_pipe("monitor_claims")(doc)
    return claim


@pytest.mark.parametrize("text, target, subject", [
    ("CATL extended its lead with 38.1%, while BYD's share rose to 17.8%.", "38.1%", "CATL"),
    ("CATL extended its lead with 38.1%, while BYD's share rose to 17.8%.", "17.8%", "BYD"),
    ("Its biggest shareholder is Volkswagen, with a stake of about 21%.", "21%", "Volkswagen"),
    ("A stake of 25% in the cell maker is held by Volkswagen.", "25%", "Volkswagen"),
    ("Kestrel Lithium Corp. will produce 20,000 tonnes a year.", "20,000 tonnes", "Kestrel Lithium"),
    ("Lithium carbonate prices have fallen 80% since late 2022.", "80%", None),
    ("Tesla cut prices in China. Deliveries rose 5% in the quarter.", "5%", None),
    ("Sales rose 12% in the quarter, Reuters reported.", "12%", None),
])
def test_quantity_is_tied_to_the_company_of_its_sentence(nlp, text, target, subject):
    assert linked(nlp, text, target).subject == subject


@pytest.mark.parametrize("text, target, hedge", [
    ("Today the Chinese are estimated to control 83% of cell capacity.", "83%", "estimated"),
    ("The plant is expected to employ 4,000 people.", "4,000", "expected"),
    ("He said CATL expects the cell to be fitted to 67 car models.", "67", "expected"),
    ("Output could reach 40 GWh by 2030.", "40 GWh", "could"),
    ("Prices may fall 10% next year.", "10%", "may"),
    ("The carmaker plans to build 500,000 vehicles a year in Hungary.", "500,000", "plans to"),
    ("Demand is forecast to grow 30% this year.", "30%", "forecast"),
    ("Sales of 500,000 units are projected for 2026.", "500,000", "projected"),
    ("BYD sold 2.15 million vehicles in May.", "2.15 million", None),
    ("The company sold 300,000 cars last year, and it expects more.", "300,000", None),
])
def test_hedge_of_a_quantity_is_recorded(nlp, text, target, hedge):
    assert linked(nlp, text, target).hedge == hedge


def test_hedge_inside_a_quote_is_recorded(nlp):
    text = '"We could double output by 2027," Zeng said.'
    assert linked(nlp, text, "We could double output by 2027,", kind="quote").hedge == "could"


@pytest.mark.parametrize("text, target, battery", [
    ("The pack stores 100 kWh.", "100 kWh", True),
    ("EV sales in Europe rose 30% in March.", "30%", True),
    ("Lithium carbonate fell 80% from its peak.", "80%", True),
    ("The gigafactory will employ 3,000 people.", "3,000", True),
    ("Revenue rose 5% in the quarter.", "5%", False),
    ("The ev in the word level means nothing here, sales rose 4%.", "4%", False),
])
def test_battery_flag_follows_the_vocabulary_of_the_sentence(nlp, text, target, battery):
    assert linked(nlp, text, target).battery is battery


def test_sentence_is_the_trimmed_sentence_of_the_claim(nlp):
    text = "Albemarle cut spending.\n\nSecond-quarter net sales fell 7% from a year earlier. Shares rose."
    claim = linked(nlp, text, "7%")
    assert claim.sentence == "Second-quarter net sales fell 7% from a year earlier."


def test_claims_come_in_text_order_with_sentences(nlp):
    text = ('Northvolt had $5.8 billion of debt when it filed. "This is a sad day," said chairman '
            "Tom Johnstone. Volkswagen owned about 21% of Northvolt.")
    claims = extract_claims(text, nlp=nlp)
    assert [c.start for c in claims] == sorted(c.start for c in claims)
    assert all(c.sentence and c.sentence in text for c in claims)
    assert {c.company for c in claims if c.kind == "company"} == {"Northvolt", "Volkswagen"}


@pytest.mark.parametrize("text, relevant", [
    ("CATL unveiled a sodium-ion battery with 175 Wh/kg for electric cars.", True),
    ("Ford will build LFP cells in Michigan for its EV pickups.", True),
    ("Lithium prices fell again as gigafactory projects stalled.", True),
    ("The senator was charged with assault and spent a night in a cell.", False),
    ("The central bank left interest rates unchanged on Thursday.", False),
    ("The laptop's battery lasts ten hours, and charging it takes an hour.", False),
])
def test_article_is_battery_relevant_with_two_different_terms_one_of_them_core(text, relevant):
    assert is_battery_relevant(text) is relevant

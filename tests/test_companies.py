"""Companies named in an article: gazetteer names mapped to canonical ones, organisations kept
apart, and unknown names with corporate suffixes reported as candidates."""

from __future__ import annotations

import pytest


def claims_of(nlp, text: str, kind: str = "company") -> dict:
    """Claims of one kind, by canonical name, checking every span points into the text."""
    doc = nlp(text)
    found = {}
    for claim in doc._.claims:
        assert text[claim.start:claim.end] == claim.text
        if claim.kind == kind:
            assert claim.company not in found, "one claim per name per article"
            found[claim.company] = claim
    return found


@pytest.mark.parametrize("text, canonical, surface", [
    ("Contemporary Amperex Technology Co. Limited unveiled a sodium-ion cell on Monday.",
     "CATL", "Contemporary Amperex Technology Co. Limited"),
    ("Shares of Contemporary Amperex Technology Co., Ltd. rose 2% in Shenzhen.",
     "CATL", "Contemporary Amperex Technology Co., Ltd."),
    ("Analysts expect CONTEMPORARY AMPEREX TECHNOLOGY to keep its lead.", "CATL", "CONTEMPORARY AMPEREX TECHNOLOGY"),
    ("Ford Motor Co. will license the chemistry for its Michigan plant.", "Ford", "Ford Motor Co."),
    ("The Ford Motor Company said demand for its electric pickup had slowed.", "Ford", "Ford Motor Company"),
    ("General Motors will switch its trucks to prismatic cells.", "GM", "General Motors"),
    ("LGES said it would make LFP cells in Michigan.", "LG Energy Solution", "LGES"),
    ("Volkswagen AG owns about a quarter of the Chinese cell maker.", "Volkswagen", "Volkswagen AG"),
    ("Bayerische Motoren Werke plans six new electric models.", "BMW", "Bayerische Motoren Werke"),
    ("Guoxuan High-Tech is building a plant in Illinois.", "Gotion", "Guoxuan High-Tech"),
    ("Sociedad Química y Minera raised its lithium output forecast.", "SQM", "Sociedad Química y Minera"),
    ("Toyota Motor Corp. has lined up suppliers for its solid-state batteries.", "Toyota", "Toyota Motor Corp."),
])
def test_alias_maps_to_canonical_name(nlp, text, canonical, surface):
    claim = claims_of(nlp, text)[canonical]
    assert claim.text == surface
    assert claim.known is True and claim.rule == "company/gazetteer"


@pytest.mark.parametrize("text, canonical", [
    ("CATL's Shenzhen-listed shares rose on Tuesday.", "CATL"),
    ("Tesla’s Berlin plant uses cells from a Chinese supplier.", "Tesla"),
    ("It is BYD's second plant in Europe.", "BYD"),
    ("Samsung SDI’s shares fell after the rights offering.", "Samsung SDI"),
])
def test_possessive_still_names_the_company(nlp, text, canonical):
    claim = claims_of(nlp, text)[canonical]
    assert claim.text == canonical


def test_one_claim_per_company_at_its_first_mention_with_a_count(nlp):
    text = ("Rivian will build its cheaper SUV in Georgia. Rivian said the plant would open in 2028, "
            "and Rivian's partner Volkswagen will supply software.")
    companies = claims_of(nlp, text)
    assert set(companies) == {"Rivian", "Volkswagen"}
    assert (companies["Rivian"].start, companies["Rivian"].extra["mentions"]) == (0, 3)


def test_every_mention_is_recorded_for_later_components(nlp):
    text = "Reuters reported that GM and General Motors' partner LG Energy Solution cut output."
    mentions = [(text[s:e], name, kind) for s, e, name, kind in nlp(text)._.company_mentions]
    assert mentions == [("Reuters", "Reuters", "outlet"), ("GM", "GM", "company"),
                        ("General Motors", "GM", "company"),
                        ("LG Energy Solution", "LG Energy Solution", "company")]


@pytest.mark.parametrize("text, expected", [
    ("BlueOval SK, the joint venture of Ford and SK On, delayed its second plant.", {"BlueOval SK", "Ford", "SK On"}),
    ("The partners already run Ultium Cells LLC, with plants in Ohio and Tennessee.", {"Ultium Cells"}),
    ("StarPlus Energy, the venture of Stellantis and Samsung SDI, hired 1,400 workers.",
     {"StarPlus Energy", "Stellantis", "Samsung SDI"}),
    ("Panasonic Energy opened the plant; Panasonic Holdings shares rose.", {"Panasonic Energy", "Panasonic"}),
    ("NIO Power, the swapping arm of NIO, opened its 3,000th station.", {"NIO Power", "NIO"}),
    ("BYD's battery arm FinDreams Battery supplies Tesla.", {"BYD", "FinDreams Battery", "Tesla"}),
])
def test_subsidiaries_and_joint_ventures_are_companies_of_their_own(nlp, text, expected):
    assert set(claims_of(nlp, text)) == expected


@pytest.mark.parametrize("text, name, kind, category", [
    ("Ford is slowing its EV spending, Reuters reported.", "Reuters", "outlet", None),
    ("Farley told The New York Times the gap was humbling.", "The New York Times", "outlet", None),
    ("Pack prices fell 20%, according to BloombergNEF.", "BloombergNEF", "organisation", "research"),
    ("The International Energy Agency expects demand to triple.", "International Energy Agency",
     "organisation", "agency"),
    ("Goldman Sachs cut its lithium price forecast.", "Goldman Sachs", "organisation", "finance"),
    ("Researchers at Argonne National Laboratory tested the cells.", "Argonne National Laboratory",
     "organisation", "university"),
])
def test_outlets_and_other_organisations_are_kept_apart_from_companies(nlp, text, name, kind, category):
    assert name not in claims_of(nlp, text)
    claim = claims_of(nlp, text, kind)[name]
    assert claim.extra.get("category") == category
    assert (claim.start, claim.end, name, kind) in nlp(text)._.company_mentions


@pytest.mark.parametrize("text", [
    "The old ford across the river flooded again.",
    "Li said the company would cut prices.",
    "The nio test is not a name.",
    "Ontario Premier Doug Ford welcomed the battery plant.",
    "Novelist Mike Ford wrote six books; Ford died in 2006.",
    "Nikola Tesla never saw an electric car.",
    "Rio is hosting the climate summit this year.",
    "SDI is a common abbreviation.",
])
def test_common_words_names_and_places_are_not_companies(nlp, text):
    assert claims_of(nlp, text) == {}


def test_ambiguous_short_name_counts_where_the_full_name_appears(nlp):
    text = "Rio Tinto completed the deal. Rio paid $5.85 a share."
    [rio] = claims_of(nlp, text).values()
    assert (rio.company, rio.extra["mentions"]) == ("Rio Tinto", 2)


def test_place_before_a_company_name_is_not_a_given_name(nlp):
    assert "Ford" in claims_of(nlp, "Workers at the Kentucky Ford plant voted on the contract.")


@pytest.mark.parametrize("text, name, surface", [
    ("Kestrel Lithium Corp. agreed to supply spodumene for five years.", "Kestrel Lithium", "Kestrel Lithium Corp."),
    ("Norvik Batteries AB said its pilot line was running.", "Norvik Batteries", "Norvik Batteries AB"),
    ("The cells come from Aurora Cell Technologies, a start-up.", "Aurora Cell Technologies",
     "Aurora Cell Technologies"),
    ("Meanwhile Halden Energy said it would double capacity.", "Halden Energy", "Halden Energy"),
    ("Texas-based Lonestar Materials Inc. makes cathode powder.", "Lonestar Materials", "Lonestar Materials Inc."),
    ("Halvorsen Group CEO Anna Berg said the plant would open.", "Halvorsen Group", "Halvorsen Group"),
])
def test_unknown_name_with_corporate_suffix_is_a_candidate(nlp, text, name, surface):
    claim = claims_of(nlp, text)[name]
    assert (claim.text, claim.known, claim.rule) == (surface, False, "company/suffix-candidate")


def test_candidate_counts_its_mentions_without_the_legal_suffix(nlp):
    text = "Kestrel Lithium Corp. will list in Toronto. Kestrel Lithium has two mines."
    claim = claims_of(nlp, text)["Kestrel Lithium"]
    assert claim.extra["mentions"] == 2


@pytest.mark.parametrize("text", [
    "The Energy Department approved the loan.",
    "A loan from the Department of Energy will fund the plant.",
    "The plant will make Lithium-Ion Phosphate (LFP) batteries.",
    "Investment in Clean Energy rose again.",
    "The Critical Raw Materials Act sets targets for 2030.",
    "Chinese Lithium output rose.",
    "The Michigan Economic Development Corporation said the company was in default.",
    "US Energy Secretary Chris Wright visited the site.",
    "The Blade Battery passed the nail test.",
])
def test_phrases_with_suffix_words_that_name_no_company(nlp, text):
    assert {name for name, c in claims_of(nlp, text).items() if not c.known} == set()

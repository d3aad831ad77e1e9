"""Companies named in an article: gazetteer names mapped to canonical ones, organisations kept
apart, and unknown names with corporate suffixes reported as candidates."""

from __future__ import annotations

import pytest
import spacy

from monitor.resources import rules_dir


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
    ("Contemporary Amperex Technology Co. Limited will open a service centre in Bavaria.",
     "CATL", "Contemporary Amperex Technology Co. Limited"),
    ("A filing by Contemporary Amperex Technology Co., Ltd. listed three new customers.",
     "CATL", "Contemporary Amperex Technology Co., Ltd."),
    ("Brokers rate CONTEMPORARY AMPEREX TECHNOLOGY a buy.",
     "CATL", "CONTEMPORARY AMPEREX TECHNOLOGY"),
    ("Ford Motor Co. recalled 9,000 electric vans over a seat bolt.", "Ford", "Ford Motor Co."),
    ("The Ford Motor Company has hired a new head of software.", "Ford", "Ford Motor Company"),
    ("General Motors opened a battery lab in Warren.", "GM", "General Motors"),
    ("LGES won an order for storage cells from a Texas utility.", "LG Energy Solution", "LGES"),
    ("Volkswagen AG named a new chief for its software unit.", "Volkswagen", "Volkswagen AG"),
    ("Bayerische Motoren Werke raised its dividend.", "BMW", "Bayerische Motoren Werke"),
    ("Guoxuan High-Tech posted a rise in first-half profit.", "Gotion", "Guoxuan High-Tech"),
    ("Sociedad Química y Minera signed a lease with the Chilean state.",
     "SQM", "Sociedad Química y Minera"),
    ("Toyota Motor Corp. will sell hydrogen trucks in Japan.", "Toyota", "Toyota Motor Corp."),
])
def test_alias_maps_to_canonical_name(nlp, text, canonical, surface):
    claim = claims_of(nlp, text)[canonical]
    assert claim.text == surface
    assert claim.known is True and claim.rule == "company/gazetteer"


@pytest.mark.parametrize("text, expected", [
    ("Hydrovolt, a venture of Norsk Hydro and Northvolt, shreds old packs in Norway.",
     {"Hydrovolt", "Norsk Hydro", "Northvolt"}),
    ("Blue Solutions, part of the Bolloré group, makes solid-state cells for buses.",
     {"Blue Solutions", "Bolloré"}),
    ("Sweden's Altris and Faradion, owned by Reliance Industries, work on sodium-ion cathodes.",
     {"Altris", "Faradion", "Reliance Industries"}),
    ("Agratas, the battery business of India's Tata group, picked Somerset.",
     {"Agratas", "Tata Group"}),
    ("IGO wrote down its stake in the Kwinana refinery.", {"IGO"}),
    ("Hanwha Qcells will buy cells from ATL, Amperex Technology Limited, for home storage.",
     {"Qcells", "ATL"}),
    ("Sungrow and Trina Storage won grid battery orders in Chile.", {"Sungrow", "Trina Solar"}),
    ("Marubeni and Sumitomo Electric joined the sodium-ion project.",
     {"Marubeni", "Sumitomo Electric"}),
    ("Sunwoda will supply LFP cells to Ampere, Renault's electric car company.",
     {"Sunwoda", "Ampere", "Renault"}),
    ("Rajesh Exports won a share of India's cell subsidy.", {"Rajesh Exports"}),
    ("Fluence, the venture of Siemens and AES, won an order.", {"Fluence", "Siemens", "AES"}),
])
def test_battery_supply_chain_companies_beyond_cell_makers(nlp, text, expected):
    assert set(claims_of(nlp, text)) == expected


@pytest.mark.parametrize("text, canonical", [
    ("CATL's new chemistry targets delivery vans.", "CATL"),
    ("Tesla’s Shanghai factory idled one line for a week.", "Tesla"),
    ("Reviewers praised BYD's cheapest hatchback.", "BYD"),
    ("Rivian’s second-generation platform cuts wiring.", "Rivian"),
])
def test_possessive_still_names_the_company(nlp, text, canonical):
    claim = claims_of(nlp, text)[canonical]
    assert claim.text == canonical


def test_one_claim_per_company_at_its_first_mention_with_a_count(nlp):
    text = ("Lucid will build its midsize SUV in Arizona. Lucid said the line would start in "
            "2026, and Lucid's investor Aramco will take a larger stake.")
    companies = claims_of(nlp, text)
    assert set(companies) == {"Lucid", "Aramco"}
    assert (companies["Lucid"].start, companies["Lucid"].extra["mentions"]) == (0, 3)


def test_every_mention_is_recorded_for_later_components(nlp):
    text = "Reuters said GM and General Motors' supplier LG Energy Solution trimmed shifts."
    mentions = [(text[s:e], name, kind) for s, e, name, kind in nlp(text)._.company_mentions]
    assert mentions == [("Reuters", "Reuters", "outlet"), ("GM", "GM", "company"),
                        ("General Motors", "GM", "company"),
                        ("LG Energy Solution", "LG Energy Solution", "company")]


@pytest.mark.parametrize("text, expected", [
    ("BlueOval SK, owned by Ford and SK On, hired its first 500 workers.",
     {"BlueOval SK", "Ford", "SK On"}),
    ("Ultium Cells LLC settled a lawsuit over fumes at its Ohio site.", {"Ultium Cells"}),
    ("NextStar Energy, the Stellantis and LG Energy Solution venture, began module production.",
     {"NextStar Energy", "Stellantis", "LG Energy Solution"}),
    ("Panasonic Energy hired engineers in Oklahoma while Panasonic sold a TV unit.",
     {"Panasonic Energy", "Panasonic"}),
    ("NIO Power signed a swapping deal with a second carmaker, NIO said.", {"NIO Power", "NIO"}),
    ("FinDreams Battery, a unit of BYD, will sell cells to a Hungarian bus maker.",
     {"FinDreams Battery", "BYD"}),
])
def test_subsidiaries_and_joint_ventures_are_companies_of_their_own(nlp, text, expected):
    assert set(claims_of(nlp, text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("Goldman Sachs and UBS cut their lithium price forecasts.", {"Goldman Sachs", "UBS"}),
    ("Canada's RBC expects nickel to stay cheap.", {"RBC"}),
    ("Royal Bank of Canada led the bond sale.", {"RBC"}),
])
def test_banks_and_brokers_are_companies(nlp, text, expected):
    assert set(claims_of(nlp, text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("Intel and Samsung Group signed a chip supply deal for battery management units.",
     {"Intel", "Samsung Group"}),
    ("Blackstone, KKR and Hillhouse Capital backed the anode maker; LG Group stayed out.",
     {"Blackstone", "KKR", "Hillhouse", "LG Group"}),
    ("Boeing and Airbus test hybrid engines while Vodafone and Tencent fund charging apps.",
     {"Boeing", "Airbus", "Vodafone", "Tencent"}),
    ("Oaktree Capital Management lent the cell maker $300 million; Oaktree wants a board seat.",
     {"Oaktree"}),
])
def test_large_companies_outside_the_battery_trade_are_companies(nlp, text, expected):
    assert set(claims_of(nlp, text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("The UPS units ship with lithium iron phosphate cells.", set()),
    ("Target voltages were reached after the third charge.", set()),
    ("Target Corporation will sell e-bikes; Target expects strong demand.", {"Target"}),
])
def test_a_large_company_whose_short_name_is_a_word_counts_only_beside_its_full_name(
        nlp, text, expected):
    assert set(claims_of(nlp, text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("Installations in May: CATL: 28.4 GWh, BYD: 14.1 GWh, EVE: 7 GWh.",
     {"CATL", "BYD", "EVE Energy"}),
    ("Global share in 2025: CATL 37%, BYD 16%, Pilbara 4%.",
     {"CATL", "BYD", "Pilbara Minerals"}),
    ("The carmaker buys cells from CATL, EVE and Gotion.", {"CATL", "EVE Energy", "Gotion"}),
])
def test_a_short_name_that_is_also_a_word_counts_in_a_ranking_or_a_list(nlp, text, expected):
    assert set(claims_of(nlp, text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("Samsung showed a foldable phone and LG a rollable screen at the Las Vegas fair.",
     {"Samsung", "LG"}),
    ("Samsung SDI will build a second line in Indiana; Samsung said the cells go to Stellantis.",
     {"Samsung SDI", "Stellantis"}),
    ("LG Chem supplies the cathode. LG expects the plant to run at full rate by 2027.",
     {"LG Chem"}),
    ("Tata will spend £4bn on a cell plant in Somerset, the group said.", {"Tata Group"}),
])
def test_a_groups_short_name_is_the_member_the_article_names_or_else_the_group(nlp, text, expected):
    assert set(claims_of(nlp, text)) == expected


def test_a_groups_short_name_beside_two_named_members_is_left_out(nlp):
    text = ("Samsung Electronics makes the phone and Samsung SDI its cells; "
            "Samsung did not comment on prices.")
    doc = nlp(text)
    assert {name for _, _, name, _ in doc._.company_mentions} == {"Samsung Electronics", "Samsung SDI"}


def test_a_groups_short_name_used_as_a_surname_is_no_company(nlp):
    assert claims_of(nlp, "The new campus in Pune was opened by Ratan Tata on Friday.") == {}


@pytest.mark.parametrize("text, expected", [
    ("Installations in May: CATL: 28.4 GWh, BYD: 14.1 GWh, Voltrana: 7.2 GWh, Others: 9 GWh.",
     {"CATL", "BYD", "Voltrana"}),
    ("Share in 2025: CATL 37%, BYD 16%, Voltrana 4%, China 60%.", {"CATL", "BYD", "Voltrana"}),
    ("Voltrana cut prices again. CATL: 28%.", {"CATL"}),
    ("Share by region: Europe: 20%, China: 60%, Japan: 8%.", set()),
])
def test_an_unknown_name_ranked_beside_known_companies_is_a_company(nlp, text, expected):
    assert set(claims_of(nlp, text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("Brightwell Capital and Nordhav Ventures took stakes in the cathode maker.",
     {"Brightwell Capital", "Nordhav Ventures"}),
    ("Venture Capital money has dried up, and Working Capital is scarce.", set()),
])
def test_investors_named_by_their_suffix_are_companies(nlp, text, expected):
    assert set(claims_of(nlp, text)) == expected


@pytest.mark.parametrize("text, name, kind, category", [
    ("Honda will delay its Ontario plant, Reuters reported.", "Reuters", "outlet", None),
    ("Barra told The New York Times the company would stay the course.",
     "The New York Times", "outlet", None),
    ("Stationary storage prices fell sharply, according to BloombergNEF.",
     "BloombergNEF", "organisation", "research"),
    ("The International Energy Agency raised its outlook for electric trucks.",
     "International Energy Agency", "organisation", "agency"),
    ("The European Investment Bank lent the plant 350 million euros.",
     "European Investment Bank", "organisation", "finance"),
    ("Researchers at Argonne National Laboratory tested the new anode.",
     "Argonne National Laboratory", "organisation", "university"),
    ("Amnesty International traced the cobalt to artisanal mines.",
     "Amnesty International", "organisation", "ngo"),
])
def test_outlets_and_other_organisations_are_kept_apart_from_companies(
        nlp, text, name, kind, category):
    assert name not in claims_of(nlp, text)
    claim = claims_of(nlp, text, kind)[name]
    assert claim.extra.get("category") == category
    assert (claim.start, claim.end, name, kind) in nlp(text)._.company_mentions


@pytest.mark.parametrize("text", [
    "The old ford across the river flooded again.",
    "Li said the company would cut prices.",
    "The nio test is not a name.",
    "Ontario Premier Doug Ford opened the new bridge.",
    "Novelist Mike Ford wrote six books; Ford died in 2006.",
    "Nikola Tesla never saw an electric car.",
    "Rio is hosting the climate summit this year.",
    "SDI is a common abbreviation.",
    "Lithium brine lies under the salt flats far from the Amazon rainforest.",
    "The Aral Sea shrank as cotton farms took its water.",
    "Hydro power supplies most of the grid in the north.",
])
def test_common_words_names_and_places_are_not_companies(nlp, text):
    assert claims_of(nlp, text) == {}


def test_ambiguous_short_name_counts_where_the_full_name_appears(nlp):
    text = "Rio Tinto approved a lithium mine in Argentina. Rio will spend $2.5 billion on it."
    [rio] = claims_of(nlp, text).values()
    assert (rio.company, rio.extra["mentions"]) == ("Rio Tinto", 2)


def test_place_before_a_company_name_is_not_a_given_name(nlp):
    assert "Ford" in claims_of(nlp, "Workers at the Kentucky Ford plant voted on the contract.")


@pytest.mark.parametrize("text, names", [
    ("Shares in Brightwell, Voltaro and Nordhav rose after the tariff ruling.",
     {"Brightwell", "Voltaro", "Nordhav"}),
    ("The index gained as Brightwell and Tesla shares rose.", {"Brightwell", "Tesla"}),
    ("Stocks rallied after Brightwell, Nordhav and Tesla shares jumped.",
     {"Brightwell", "Nordhav", "Tesla"}),
])
def test_each_name_of_a_list_with_shares_is_a_company(nlp, text, names):
    assert set(claims_of(nlp, text)) == names


def _cued(cue: str, *cases: tuple) -> list:
    """Test cases of one cue, the cue as their id; a case's surface is its name unless given."""
    return [pytest.param(cue, text, name, surface[0] if surface else name, id=cue)
            for text, name, *surface in cases]


@pytest.mark.parametrize("cue, text, name, surface", [
    *_cued("suffix",
           ("Kestrel Lithium Corp. agreed to supply spodumene for five years.",
            "Kestrel Lithium", "Kestrel Lithium Corp."),
           ("Norvik Batteries AB said its pilot line was running.",
            "Norvik Batteries", "Norvik Batteries AB"),
           ("The cells come from Aurora Cell Technologies, a start-up.",
            "Aurora Cell Technologies"),
           ("Meanwhile Halden Energy said it would double capacity.", "Halden Energy"),
           ("Texas-based Lonestar Materials Inc. makes cathode powder.",
            "Lonestar Materials", "Lonestar Materials Inc."),
           ("Halvorsen Group CEO Anna Berg said the plant would open.", "Halvorsen Group"),
           ("The keyboards come from Tesla and Global Kestrel Technologies, it said.",
            "Global Kestrel Technologies"),
           ("International Voltaro Metals Ltd. shipped its first cargo.",
            "International Voltaro Metals", "International Voltaro Metals Ltd.")),
    *_cued("appositive",
           ("Voltaro, a Polish cell maker, will supply the buses.", "Voltaro"),
           ("The cathodes come from Nordhav, the Norwegian materials group, which opened a"
            " plant.", "Nordhav"),
           ("Meanwhile Kestrel Cells, a start-up backed by two carmakers, raised $40 million.",
            "Kestrel Cells"),
           ("Salar Blanco, a lithium producer in Argentina, halted work.", "Salar Blanco")),
    *_cued("role",
           ("The cell line will open in May, Brightwell CEO Jo Lee told staff.", "Brightwell"),
           ("A statement from Kestrel Cells' founder blamed the delay on permits.",
            "Kestrel Cells"),
           ("The buses run on packs from Voltaro, and Voltaro shareholders approved the sale.",
            "Voltaro"),
           ("After the recall, Nordhav shares fell 4%.", "Nordhav"),
           ("Brightwell CEO Jo Lee quit. The board of Brightwell met on Monday.", "Brightwell"),
           ("The deal left Ampera investors with half of the new group.", "Ampera"),
           ("Departing Brightwell CEO Jo Lee will keep a seat on the board.", "Brightwell"),
           ("Instead Brightwell shareholders voted against the sale.", "Brightwell"),
           ("Shares of Brightwell fell 4% on Monday.", "Brightwell"),
           ("VoltWorks CEO Jo Lee quit.", "VoltWorks")),
    *_cued("ticker",
           ("Voltrana (NYSE: VLTR) shares rose 5% after the results.", "Voltrana"),
           ("Kestrel Cells Co (688999.SS) cut its cell prices again.", "Kestrel Cells"),
           ("Rival Nordhav (NASDAQ:NRDH) said sales doubled.", "Nordhav")),
    *_cued("descriptor",
           ("Shares of beauty company Voltaro rose after the results.", "Voltaro"),
           ("The cells come from Swedish battery maker Nordhav, which opened a second line.",
            "Nordhav"),
           ("Passengers of Turkish-based carrier Aerolinea Sur were rebooked.", "Aerolinea Sur"),
           ("The property firm Kestrel & Wakeman said rents fell.", "Kestrel & Wakeman"),
           ("He founded his own company, Voltaro, in 2015.", "Voltaro"),
           ("She sold her firm, Nordhav Systems, which made separators.", "Nordhav Systems")),
])
def test_unknown_name_a_cue_shows_to_be_a_business_is_a_candidate(nlp, cue, text, name, surface):
    """A corporate suffix, a business appositive, a corporate role after the name or a business
    noun before it: each makes an unknown name a candidate, named by that cue."""
    claim = claims_of(nlp, text)[name]
    assert (claim.text, claim.known, claim.rule) == (surface, False, f"company/{cue}-candidate")


@pytest.mark.parametrize("text", [
    # appositives describing a person, a clause, a group
    "In December, the company said it would hire 300 workers.",
    "Anna Berg, a policy maker in Stockholm, backed the subsidy.",
    "Tim Olsen, a battery analyst with a research firm, was sceptical.",
    "In the Capitol, a group of senators met the carmakers.",
    "The Alliance for Battery Recycling, a group that lobbies for recyclers, agreed.",
    # people, places and public bodies before a role
    "Retail investors piled into battery stocks.",
    "Republican investors backed the bill, and Senator Jo Lee's shareholders did not.",
    "Hungarian investors bought the site near the border.",
    "Marta Kowalczyk shares her view of the market on Mondays.",
    "Wall Street investors sold the stock.",
    "A Pentagon spokesperson and the Ohio chairman of the party said the plant was safe.",
    "Jo Lee's investors lost money on the lithium bet.",
    "The State Department executives met on Tuesday.",
    "Battery Maker Ousts CEO After Losses",
    "Shares of China fell, and shares in Jo Lee's company were sold.",
    "Markets slid as tech and Tesla shares fell.",
    # business nouns before people and clauses
    "He left the company Jo Lee founded in 2015.",
    "The Swedish company Monday said it would hire 300 workers.",
    "The navy sent an aircraft carrier Gerald Ford to the region.",
    "She met theatre producer Jo Lee and manufacturer Ana Ruiz in Ohio.",
    "A battery company President Jo Lee visited was closed.",
    "His company Voltaro makes cells.",
    "It was his company, Mr. Lee said, and his company, Jo Lee added.",
    "The Chinese carmaker Chinese officials praised was fined.",
    # brackets that hold no ticker
    "The Kestrel Ridge Battery Plant (KRBP) opened in May.",
    "Stocks in Japan's Nikkei 225 (N225) fell, and so did the Hang Seng (.HSI).",
    # phrases with suffix words
    "The Energy Department approved the loan.",
    "A loan from the Department of Energy will fund the plant.",
    "The plant will make Lithium-Ion Phosphate (LFP) batteries.",
    "Investment in Clean Energy rose again.",
    "The Critical Raw Materials Act sets targets for 2030.",
    "Chinese Lithium output rose.",
    "The Michigan Economic Development Corporation approved the grant.",
    "US Energy Secretary Chris Wright visited the site.",
    "The Blade Battery passed the nail test.",
])
def test_what_only_looks_like_a_cue_names_no_unknown_company(nlp, text):
    assert {n for n, c in claims_of(nlp, text).items() if not c.known} == set()


@pytest.mark.parametrize("text, names", [
    ("Bids came from Tesla, Blue Ridge Cells, Nordhav and Salt Robotics.",
     {"Blue Ridge Cells", "Nordhav", "Salt Robotics"}),
    ("The agency chose Kestrel, Amperia Corp., Salt Robotics and Voltaro Systems, Inc. for the"
     " next round.", {"Kestrel", "Salt Robotics"}),
    ("It joins the seven companies picked by the ministry last year: Kestrel, Nordhav, Deep"
     " Ridge Systems and Voltaro. In May, Kestrel won a contract.",
     {"Kestrel", "Nordhav", "Deep Ridge Systems", "Voltaro"}),
    ("Cells come from suppliers such as Nordhav and Kestrel.", {"Nordhav", "Kestrel"}),
    ("The grants went to companies Nordhav, Deep Ridge Systems and Voltaro.",
     {"Nordhav", "Deep Ridge Systems", "Voltaro"}),
    ("The six firms — Tesla, Blue Ridge Cells, Nordhav Materials Corporation (NMC), Kestrel"
     " and Salt Robotics — were chosen.", {"Blue Ridge Cells", "Kestrel", "Salt Robotics"}),
])
def test_unknown_names_listed_beside_companies_are_candidates(nlp, text, names):
    found = {n: c for n, c in claims_of(nlp, text).items() if not c.known}
    assert names <= set(found)
    assert all(found[n].rule == "company/list-candidate" for n in names - {"Amperia"})


@pytest.mark.parametrize("text", [
    "The plant of Blue Ridge Corp. of Kent, Washington, and Ohio opened.",
    "In Kokomo, Indiana, Nordhav Corp. builds cells.",
    "Tesla was praised by Mr. Lee, Ms. Berg and Dr. Ruiz.",
    "Leaders including Ford, Reagan and George H.W. Bush spoke.",
    "Tesla and Jo Lee met on Monday.",
    "First, Jo Lee, Tesla's chief executive, spoke.",
    "Tesla sells cars in China, Germany and Norway.",
    "He left the companies Jo Lee and Ana Ruiz founded.",
    "One of the lobbying firms Jo Lee and Ana Ruiz worked with has ties to Tesla.",
    "Consulting firms Jo Lee and Ana Ruiz had built were sold.",
    "The film's producers Jo Lee and Ana Ruiz thanked Tesla.",
])
def test_lists_of_people_and_places_name_no_company(nlp, text):
    unknown = {n for n, c in claims_of(nlp, text).items() if not c.known}
    assert unknown <= {"Blue Ridge", "Nordhav"}  # named by their suffix "Corp."


def test_candidate_counts_its_mentions_without_the_legal_suffix(nlp):
    text = "Kestrel Lithium Corp. will list in Toronto. Kestrel Lithium has two mines."
    claim = claims_of(nlp, text)["Kestrel Lithium"]
    assert claim.extra["mentions"] == 2


def test_gazetteer_with_an_unknown_label_is_refused(tmp_path):
    for name in ("company_words.json", "battery_terms.json", "hedges.json"):
        (tmp_path / name).write_bytes((rules_dir() / name).read_bytes())
    record = '{"label": "COMPNY", "pattern": "Acme", "id": "Acme"}\n'
    (tmp_path / "companies.jsonl").write_text(record)
    with pytest.raises(ValueError, match="COMPNY"):
        spacy.blank("en").add_pipe("monitor_companies", config={"rules_dir": str(tmp_path)})


def test_a_list_holding_a_companys_product_names_no_new_companies(nlp):
    text = "Stream music over Wi-Fi, Bluetooth or Google's Chromecast to the speaker."
    assert "Wi-Fi" not in claims_of(nlp, text) and "Bluetooth" not in claims_of(nlp, text)


@pytest.mark.parametrize("text, name", [
    ("Veltrix, a global software provider focused on warehouses, signed the deal.", "Veltrix"),
    ("Nordhav, a Danish cell maker specialising in sodium-ion, raised $40 million.", "Nordhav"),
    ("Kestrel, a start-up co-founded by two former Tesla engineers, showed its pack.", "Kestrel"),
])
def test_an_appositive_description_may_go_on_past_its_head(nlp, text, name):
    assert claims_of(nlp, text)[name].rule == "company/appositive-candidate"


@pytest.mark.parametrize("text, name", [
    ("Shares of Kestrel Power jumped 12% after the supply deal.", "Kestrel Power"),
    ("Nordhav Storage shares fell 4% in Oslo.", "Nordhav Storage"),
    ("Former Voltrana Power CEO Jo Lee joined the board.", "Voltrana Power"),
])
def test_a_name_before_a_role_or_its_shares_may_end_in_a_business_word(nlp, text, name):
    assert claims_of(nlp, text)[name].rule == "company/role-candidate"


@pytest.mark.parametrize("text", [
    "Energy shares rose as oil climbed.",
    "Chinese Energy shares rose.",
])
def test_business_words_alone_before_shares_name_no_company(nlp, text):
    assert claims_of(nlp, text) == {}


@pytest.mark.parametrize("text, name", [
    ("Lithium producer Andina Litio will double output next year.", "Andina Litio"),
    ("The Korean cathode developer Ferrix will supply the cells.", "Ferrix"),
    ("Battery giant Zentro cut its prices again.", "Zentro"),
])
def test_a_head_a_person_also_is_names_a_company_after_an_industry_word(nlp, text, name):
    assert claims_of(nlp, text)[name].rule == "company/descriptor-candidate"


@pytest.mark.parametrize("text", [
    "Film producer Harvey Stone denied the claims.",
    "Software developer Ana Ruiz wrote the app.",
    "Retail giant Kestrel cut prices.",
])
def test_a_head_a_person_also_is_names_no_company_after_other_words(nlp, text):
    assert claims_of(nlp, text) == {}


@pytest.mark.parametrize("text, names", [
    ("The plant is run by Solvera, a unit of Brennhaus.", {"Solvera", "Brennhaus"}),
    ("Nordhav, the battery division of Kestrel Co., opened a line.", {"Nordhav", "Kestrel"}),
    ("Solvera, a subsidiary of Japan's Brennhaus, will hire 300 people.", {"Solvera", "Brennhaus"}),
])
def test_a_description_as_part_of_a_company_names_the_parent_too(nlp, text, names):
    assert set(claims_of(nlp, text)) == names


def test_a_place_before_a_unit_is_no_parent(nlp):
    assert set(claims_of(nlp, "Nordhav, a Danish unit of Brennhaus, opened a line.")) == {
        "Nordhav", "Brennhaus"}


@pytest.mark.parametrize("text, expected", [
    ("An analyst at Lotus Ridge Capital said prices would fall.", {"Lotus Ridge Capital"}),
    ("Apple Hospitality REIT Inc. said rents rose.", {"Apple Hospitality REIT"}),
    ("Tesla Energy will build a storage plant in Shanghai.", {"Tesla"}),
    ("Apple Inc. said sales rose.", {"Apple"}),
])
def test_a_known_name_opening_a_longer_name_with_a_suffix_is_that_other_company(nlp, text, expected):
    assert set(claims_of(nlp, text)) == expected


def test_brokers_and_partnerships_are_named_by_their_suffix(nlp):
    text = "Nordhav Securities and Kestrel Partners both raised their price targets."
    assert set(claims_of(nlp, text)) == {"Nordhav Securities", "Kestrel Partners"}


def test_a_person_named_with_her_post_and_firm_is_no_list_of_companies(nlp):
    text = '"We expect a rebound," said Jo Lee, Director, Nordhav Securities.'
    assert set(claims_of(nlp, text)) == {"Nordhav Securities"}


@pytest.mark.parametrize("text, name", [
    ("Tarvo, which makes sodium-ion cells, raised $120 million.", "Tarvo"),
    ("Nordhav, which supplies cathodes to carmakers, said output doubled.", "Nordhav"),
])
def test_a_clause_of_what_only_a_business_does_names_a_company(nlp, text, name):
    assert claims_of(nlp, text)[name].rule == "company/appositive-candidate"


@pytest.mark.parametrize("text", [
    "Gigafactory Nevada, which makes cells for the carmaker, is expanding.",
    "The Kwinana Refinery, which produces lithium hydroxide, is idle.",
    "The Model Y, which makes up half of sales, sold well.",
    "Europe, which makes few cells, imports most of them.",
])
def test_a_plant_a_product_or_a_place_doing_business_is_no_company(nlp, text):
    assert claims_of(nlp, text) == {}


@pytest.mark.parametrize("text, name, sectors", [
    ("BYD opened a plant in Szeged.", "BYD", {"carmaker", "battery maker"}),
    ("Shell will install chargers at its stations.", "Shell", {"oil company"}),
    # an unknown company takes the sector the text describes it with, after its name or before it
    ("Kestrel Dynamics, a Shanghai-based battery maker, signed a deal.", "Kestrel Dynamics",
     {"battery maker"}),
    ("The deal with Swedish battery maker Nordhav was signed in May.", "Nordhav",
     {"battery maker"}),
    ("Lumen Power Corp., a Texas utility, will buy the batteries.", "Lumen Power", {"utility"}),
    ("Arvo Metals Ltd., the world's third-largest lithium producer, raised prices.", "Arvo Metals",
     {"miner"}),
    # else the one the last word of its name says
    ("Kestrel Lithium Corp. will list in Toronto.", "Kestrel Lithium", {"miner"}),
    ("Orrin Motors Inc. recalled 400 vans. Orrin Motors, a Detroit start-up, said so.",
     "Orrin Motors", {"carmaker"}),
])
def test_a_company_is_in_the_sectors_the_gazetteer_or_its_description_says(
        nlp, text, name, sectors):
    assert nlp(text)._.company_sectors[name] == frozenset(sectors)
    assert claims_of(nlp, text)[name].extra["sectors"] == sorted(sectors)


@pytest.mark.parametrize("text, name", [
    ("Kestrel Corp., a Swedish start-up, raised $20 million.", "Kestrel"),
    ("Kestrel Corp., a unit of the battery maker Nordhav, raised prices.", "Kestrel"),
])
def test_a_description_naming_no_sector_gives_none(nlp, text, name):
    doc = nlp(text)
    assert name in {mention[2] for mention in doc._.company_mentions}
    assert name not in doc._.company_sectors


def test_every_company_given_a_sector_is_a_company_of_the_gazetteer():
    import json

    lines = (rules_dir() / "companies.jsonl").read_text().splitlines()
    ids = {json.loads(line)["id"] for line in lines if line.strip()}
    sectors = json.loads((rules_dir() / "company_sectors.json").read_text())["sectors"]
    assert {name for entry in sectors.values() for name in entry["companies"]} <= ids
    nouns = [noun for entry in sectors.values() for noun in entry["nouns"]]
    assert len(nouns) == len(set(nouns)), "a noun names one sector"

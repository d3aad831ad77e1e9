"""Quantities: what counts as a figure; its value, unit, range, approximation, direction, object."""

from __future__ import annotations

import itertools
import json
import shutil

import pytest

from monitor.models import Claim
from monitor.nlp.quantities.finder import find_quantities
from monitor.nlp.quantities.rules import QuantityRules
from monitor.resources import rules_dir


@pytest.fixture(scope="module")
def rules() -> QuantityRules:
    return QuantityRules(rules_dir())


def quantities(rules: QuantityRules, text: str) -> list[Claim]:
    found = find_quantities(text, rules)
    for q in found:
        assert text[q.start : q.end] == q.text
    return found


def only(rules: QuantityRules, text: str) -> Claim:
    found = quantities(rules, text)
    assert len(found) == 1, [(q.text, q.value, q.unit) for q in found]
    return found[0]


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("Chinese firms control 83% of global cell capacity.", 83, "%"),
        ("The plant runs at 85 per cent of its design output.", 85, "%"),
        ("Sodium-ion cells could take 10 percent of the market by 2030.", 10, "%"),
        ("Shares of the cathode maker rose 4.5pc in Seoul.", 4.5, "%"),
        ("LFP's share rose 4.3 percentage points from a year earlier.", 4.3, "pp"),
        ("Margins narrowed by 2 percentage points.", 2, "pp"),
        ("The company raised $1.2 billion from investors.", 1_200_000_000, "USD"),
        ("The state offered US$500 million in grants.", 500_000_000, "USD"),
        ("It booked a €1.6 billion impairment on the unit.", 1_600_000_000, "EUR"),
        ("BMW cancelled a 2 billion euro order.", 2_000_000_000, "EUR"),
        ("The plant will cost 10 billion yuan.", 10_000_000_000, "CNY"),
        ("The group raised RMB 5 billion in Shenzhen.", 5_000_000_000, "CNY"),
        ("Britain pledged £300 million for a gigafactory.", 300_000_000, "GBP"),
        ("The ministry offered ¥55.7 billion in subsidies.", 55_700_000_000, "JPY"),
        ("It reported a loss of 153.3 billion yen.", 153_300_000_000, "JPY"),
        ("The cell maker lost 434.1 billion won in the quarter.", 434_100_000_000, "KRW"),
        ("The startup closed a $5.4m seed round.", 5_400_000, "USD"),
        ("Pack prices fell to $115/kWh last year.", 115, "USD/kWh"),
        ("Cells sold for $60 per kilowatt-hour in China.", 60, "USD/kWh"),
        ("European cells cost about €100/kWh to make.", 100, "EUR/kWh"),
        ("LFP cells were quoted at 400 yuan per kWh.", 400, "CNY/kWh"),
        ("The pack stores 100 kWh of energy.", 100, "kWh"),
        ("The storage site holds 2.5 MWh.", 2.5, "MWh"),
        ("The factory will make 40 GWh of cells a year.", 40, "GWh"),
        ("Output will reach 16 gigawatt-hours by then.", 16, "GWh"),
        ("Global demand passed 1 TWh for the first time.", 1, "TWh"),
        ("The chargers deliver 350 kW to each car.", 350, "kW"),
        ("It supports a peak charging power of 1.3 megawatts.", 1.3, "MW"),
        ("The grid link is rated at 2 GW.", 2, "GW"),
        ("The cells reach 300 Wh/kg at pack level.", 300, "Wh/kg"),
        ("It targets 250 watt-hours per kilogram.", 250, "Wh/kg"),
        ("The cells reach 900 Wh/L of energy density.", 900, "Wh/L"),
        ("The sedan has a range of 600 km on one charge.", 600, "km"),
        ("It adds 520 kilometres of range.", 520, "km"),
        ("The pickup offers 400 miles of range.", 400, "mi"),
        ("It charges from empty in 18 minutes.", 18, "min"),
        ("A full charge at home takes 8 hours.", 8, "h"),
        ("The cells lasted 3,000 cycles in testing.", 3000, "cycles"),
        ("They passed 1,500 charge cycles.", 1500, "cycles"),
        ("The refinery will process 50,000 tonnes of spodumene.", 50000, "t"),
        ("Output reached 10,000 metric tons last year.", 10000, "t"),
        ("The carmaker delivered 500,000 vehicles in the quarter.", 500_000, "count"),
        ("The closure will cost 1,600 jobs.", 1600, "count"),
        ("The operator runs 3,000 swap stations.", 3000, "count"),
        ("The battery will go into 12 car models.", 12, "count"),
        ("The group will close seven factories.", 7, "count"),
        ("The plant will employ 2,500 workers.", 2500, "count"),
        ("The miner shipped 310,000 dry metric tonnes of concentrate.", 310_000, "t"),
        ("The mine sold 41,200 dmt of spodumene in the quarter.", 41_200, "t"),
        ("The cells kept their capacity over 2,000 full charge cycles.", 2000, "cycles"),
        ("The packs are rated for 6,000 deep cycles.", 6000, "cycles"),
        ("The carrier will retire 30 older aircraft.", 30, "count"),
        ("Tickets for the battery expo cost 45,000₩ each.", 45_000, "KRW"),
        ("The operator will open a 200-charger hub near Oxford.", 200, "count"),
        ("The mall installed 500 Level 2 chargers.", 500, "count"),
        ("Each 12-cell module weighs less than before.", 12, "count"),
        ("Petrol averaged 145.7p a litre.", 145.7, "p"),
        ("The battery unit lost W1.3 trillion last year.", 1_300_000_000_000, "KRW"),
        ("The refinery will make 1m tonnes of hydroxide.", 1_000_000, "t"),
        ("The cells store 300 Wh per kg.", 300, "Wh/kg"),
        ("The pouch cells reach 750 Wh per litre.", 750, "Wh/L"),
        ("Spodumene fetched $1,150 per tonne in March.", 1150, "USD/t"),
        ("Cobalt hydroxide traded at $9,800/t.", 9800, "USD/t"),
        ("Carbonate slipped to 74,500 yuan a tonne.", 74_500, "CNY/t"),
        ("Nickel sulphate costs €3,900 a metric ton in Rotterdam.", 3900, "EUR/t"),
        ("The miner expects A$1,050 a tonne for its concentrate.", 1050, "AUD/t"),
        ("The grid will need 1.5TW of batteries by 2040.", 1.5, "TW"),
        ("The hatchback has a range of c.250 miles.", 250, "mi"),
        ("The supplier will build three battery plants in Spain.", 3, "count"),
    ],
)
def test_unit_and_value_are_read(rules, text, value, unit):
    q = only(rules, text)
    assert (q.value, q.unit) == (pytest.approx(value), unit)


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("Eighty-three percent of the cells came from China.", 83, "%"),
        ("The car gains 400 km of range in five minutes.", 5, "min"),
        ("The brand sold two million vehicles last year.", 2_000_000, "count"),
        ("Charging takes twenty-five minutes.", 25, "min"),
        ("A swap takes three minutes.", 3, "min"),
        ("The brand cut its target to about one million, sources said.", 1_000_000, "count"),
        ("The site will need one megawatt of grid capacity.", 1, "MW"),
        ("Half a million EVs were sold in the state.", 500_000, "count"),
        ("The mill laid off two hundred and fifty workers in March.", 250, "count"),
        ("The depot will get three hundred twenty electric buses.", 320, "count"),
        ("A hundred and twenty chargers went in along the motorway.", 120, "count"),
        ("The grant covers a thousand home batteries.", 1000, "count"),
        ("The county paid a million pounds for the land.", 1_000_000, "GBP"),
        ("The scheme reached one and a half million households.", 1_500_000, "count"),
        ("Fewer than a dozen dealers stock the van.", 12, "count"),
        ("Charging took one hundred and five minutes in the cold.", 105, "min"),
    ],
)
def test_spelled_numbers_are_read(rules, text, value, unit):
    q = quantities(rules, text)[-1]
    assert (q.value, q.unit) == (pytest.approx(value), unit)


@pytest.mark.parametrize(
    "text, value",
    [
        ("LFP cells made up half of the market.", 50),
        ("Imports supplied two-thirds of installations.", 66.67),
        ("Three-quarters of the lithium is refined in China.", 75),
        ("Recyclers recover a third of the cobalt.", 33.33),
    ],
)
def test_fraction_of_something_is_a_percentage(rules, text, value):
    q = only(rules, text)
    assert (q.value, q.unit) == (pytest.approx(value, abs=0.01), "%")
    assert q.object.startswith("of ")


@pytest.mark.parametrize(
    "text",
    [
        "Sales doubled in the first half of 2025.",
        "The second half of the year was weaker.",
        "The plant is half built.",
        "A fast top-up takes about a quarter of an hour.",
    ],
)
def test_fraction_of_a_period_or_without_of_is_not_a_quantity(rules, text):
    assert [q.text for q in quantities(rules, text)] == []


@pytest.mark.parametrize(
    "text, value, high, unit",
    [
        ("High-nickel cells cost 20-30% more.", 20, 30, "%"),
        ("It charges from 10 to 80% in 18 minutes.", 10, 80, "%"),
        ("Solid-state cells promise 400-500 Wh/kg.", 400, 500, "Wh/kg"),
        (
            "Spending will be between $650 million and $700 million.",
            650_000_000,
            700_000_000,
            "USD",
        ),
        ("LFP cells cost $50 to $60 a kilowatt-hour.", 50, 60, "USD/kWh"),
        ("The plant needs 1 to 2 thousand workers.", 1000, 2000, "count"),
        ("Sites wait years for one or two megawatts.", 1, 2, "MW"),
        ("Margins may slip 5 or 6 percent this year.", 5, 6, "%"),
    ],
)
def test_range_with_unit_written_once_is_one_quantity(rules, text, value, high, unit):
    q = quantities(rules, text)[0]
    assert (q.value, q.high, q.unit) == (pytest.approx(value), pytest.approx(high), unit)


@pytest.mark.parametrize(
    "text, values",
    [
        ("The pack charges from 5% to 80% in 15 minutes.", [(5, "%"), (80, "%"), (15, "min")]),
        ("It charges from 10%-80% in 18 minutes.", [(10, "%"), (80, "%"), (18, "min")]),
        (
            "Revenue grew by $43.6 million to $419.2 million.",
            [(43_600_000, "USD"), (419_200_000, "USD")],
        ),
        ("Prices ranged from $200 to $4 million.", [(200, "USD"), (4_000_000, "USD")]),
        ("Efficiency rose from 2018 to 92% in 2024.", [(92, "%")]),
        ("Lithium climbed $1,200 to $11,300 a tonne.", [(1200, "USD"), (11300, "USD/t")]),
        ("The grant is $12 million or $6 million.", [(12_000_000, "USD"), (6_000_000, "USD")]),
    ],
)
def test_ends_with_their_own_unit_are_two_quantities(rules, text, values):
    found = quantities(rules, text)
    assert [(q.value, q.unit) for q in found] == [(pytest.approx(v), u) for v, u in values]
    assert all(q.high is None for q in found)


@pytest.mark.parametrize(
    "text",
    [
        "Production will start in 2026.",
        "The plant opened on March 12 in Hungary.",
        "BEIJING, April 22 (Reuters) - CATL unveiled a new cell.",
        "Tesla cut the price of the Model Y and the Model 3.",
        "The 4680 cells are made in Texas.",
        "Volkswagen updated the ID.4 software.",
        "The new cells support 4C charging.",
        "It is the 2nd generation of the cell.",
        "Panasonic is the third-largest supplier.",
        "Jane Smith, 54, said the line was ready.",
        "A 45-year-old engineer led the project.",
        "Call the press office on 555-0100.",
        "It will churn out thousands of batteries.",
        "The plant will employ hundreds of people.",
        "We needed their IP just as they needed ours 20 years ago.",
        "It will be one of the most important races in the industry.",
        "The two companies signed a supply deal.",
        "South Korea's three big battery makers lost ground.",
        "The company filed for Chapter 11 protection.",
        "The battery lab moved into Building 7 last spring.",
        "The update arrives at 10:30 on Tuesday.",
        "The top three cell makers hold most of the market.",
        'The trio were known as the "Three Amigos" at the plant.',
        "The airline flies 787-9 Dreamliner jets on the route.",
        "The 4680-cell pack is lighter.",
        "The W140 sedan was built in Sindelfingen.",
        "Half a dozen of them were there.",
        "At 16, she built her first battery pack.",
        "The dashboard streams maps at up to 4K.",
        "The home side won 3-1 on Sunday.",
        "No one expects the plant to close.",
        "They are a dozen times safer than before.",
    ],
)
def test_names_dates_ranks_and_vague_words_are_not_quantities(rules, text):
    assert [q.text for q in quantities(rules, text)] == []


@pytest.mark.parametrize(
    "text, approx",
    [
        ("Lithium prices fell about 80% since 2022.", "about"),
        ("The cells survived more than 1,000 cycles.", "more than"),
        ("The car offers up to 400 km of range.", "up to"),
        ("Each plant needs at least 5 GWh of orders.", "at least"),
        ("BYD sold nearly 2 million cars.", "nearly"),
        ("The line runs at roughly 60% yields.", "roughly"),
    ],
)
def test_approximation_is_kept_in_span_and_field(rules, text, approx):
    q = only(rules, text)
    assert q.approx == approx
    assert q.text.startswith(approx)


@pytest.mark.parametrize(
    "text, direction",
    [
        ("Albemarle shares rose 3.2% in late trading.", "rose"),
        ("Revenue fell 34% from a year earlier.", "fell"),
        ("Northvolt cut 1,600 jobs.", "cut"),
        ("Panasonic shares closed 1.2% higher.", "higher"),
        ("Installations increased by 37% in the half.", "increased"),
    ],
)
def test_direction_word_is_kept(rules, text, direction):
    assert only(rules, text).direction == direction


@pytest.mark.parametrize(
    "text, obj",
    [
        (
            "China controls 83% of the global lithium refining capacity.",
            "of the global lithium refining capacity",
        ),
        ("The cells keep 90% of their capacity at minus 20 degrees.", "of their capacity"),
        ("CATL had a market share of 38% in the half.", "market share"),
        ("Volkswagen owns a 25% stake in the supplier.", "stake"),
        ("The cells contain about 35% nickel.", "nickel"),
        ("It charges to 80% state of charge in 20 minutes.", "state of charge"),
        ("The pack has 33% higher energy density.", "energy density"),
        ("CATL's Shenzhen-listed shares rose 1.8% on Tuesday.", "CATL's Shenzhen-listed shares"),
        ("Net profit in the second quarter fell 30%.", "Net profit"),
        ("Second-quarter revenue fell 12%.", "revenue"),
        (
            "Its combined share of that market fell to 38.8% from 45.7%.",
            "Its combined share of that market",
        ),
        ("Nio delivered 221,970 vehicles last year, up 38.7% from a year earlier.", "vehicles"),
        ("The design will cut the number of parts by 75%.", "the number of parts"),
        ("Startups that begin at yields above 90% survive.", "yields"),
        ("Sodium-ion cells are maybe 20-30% cheaper.", "Sodium-ion cells"),
        ("Gross margin on car sales narrowed to 16.4%.", "Gross margin on car sales"),
        ("The supplier holds a 9.6% share of the global market.", "share of the global market"),
        ("Its shares, which have lost a third of their value, rose 4% on Monday.", "Its shares"),
        ("A 20% rise in orders lifted the stock.", "orders"),
        ("Chinese LFP packs can recharge from 10-80% in 12 minutes.", "charge"),
        ("Fast chargers charge most cars to 80% in 25 minutes.", "charge"),
        ("The share of LFP in new cars reached 41% in the first half.", "share of LFP in new cars"),
        ("Brussels imposed tariffs of up to 35.3% on imported EVs.", "tariffs"),
        ("The miner plans to raise its stake in the project to 25%.", "its stake in the project"),
        ("A new line runs with yields approaching 95%.", "yields"),
        ("Nio said 60% of its buyers chose battery swapping.", "of its buyers"),
        (
            "Prices for lithium carbonate have fallen by more than 80%.",
            "Prices for lithium carbonate",
        ),
        ("Carmakers demand price cuts of 10-15% a year.", "price cuts"),
        ("Output at the Kentucky plant fell 12% last year.", "Output at the Kentucky plant"),
        ("Cell makers trade at a discount of 5% to their peers.", "discount"),
        ("The Stoxx 600 fell 1.2% on Monday.", "Stoxx 600"),
        ("EcoPro BM closed down 8.9% at 168,400 won.", "EcoPro BM"),
        ("Its operating profit was 5.4 billion won, down 98% on the year.", "Its operating profit"),
        ("The charger maker reported revenue of $108 million, down 27%.", "revenue"),
        ("The unit posted operating profit of 48.6 billion yen, up 22.1%.", "operating profit"),
        ("Korea's Kospi Index (KS11) slipped 0.5% by midday.", "Korea's Kospi Index"),
        ("Nordhav Power (NDH.OL) fell 3.1% in Oslo.", "Nordhav Power"),
        ("Lithium prices plunge 20% as new mines open", "Lithium prices"),
        ("Cell prices tumble 14% in a year of oversupply", "Cell prices"),
    ],
)
def test_object_of_a_percentage(rules, text, obj):
    pct = [q for q in quantities(rules, text) if q.unit in ("%", "pp") and q.rule != "fraction"]
    assert pct[0].object == obj


@pytest.mark.parametrize(
    "text, obj",
    [
        ("Shares rose 3.1%, beating the benchmark Kospi, which was down 0.4%.", "benchmark Kospi"),
        (
            "Utilisation across the industry fell to 41% in 2023, down from 68% two years earlier.",
            "Utilisation across the industry",
        ),
        (
            "EV sales rose 7.3%, giving EVs a market share of 8.9%, up 1.1 percentage points.",
            "market share",
        ),
        ("Sales rose 4% and the margin was 20%, up 2 percentage points.", "margin"),
        ("LG Energy Solution finished 1.5% higher and Samsung SDI edged up 0.3%.", "Samsung SDI"),
        ("Battery prices fell 20% y/y and EV sales grew 35% YoY.", "EV sales"),
        ("At 5:30 p.m., the shares were trading at HK$250.40, down 1.2%.", "shares"),
        ("Sales grew 35% in 1H24 and 28% in the quarter.", "Sales"),
        ("The scrap rate was reportedly above 20% for a long time.", "scrap rate"),
        (
            "Its shares rose 3.4% after it reported net profit of 14 billion yuan, up 32.9%.",
            "net profit",
        ),
        (
            "Oil fell 3.4% to $55.12 and Brent was last at $60.73, down 2.7% on the day.",
            "Oil",
        ),
        (
            "The average rate on car loans was 5.7% in October, down from 6.2% a year earlier.",
            "average rate on car loans",
        ),
    ],
)
def test_object_of_a_later_percentage_in_the_sentence(rules, text, obj):
    pct = [q for q in quantities(rules, text) if q.unit in ("%", "pp")]
    assert pct[-1].object == obj


@pytest.mark.parametrize(
    "text, value",
    [
        ("The bank cut its rate by a quarter of a percentage point.", 0.25),
        ("Rates rose by half a percentage point.", 0.5),
    ],
)
def test_fraction_of_a_percentage_point_is_in_points(rules, text, value):
    q = only(rules, text)
    assert (q.value, q.unit) == (pytest.approx(value), "pp")


def test_linked_percentages_share_one_object(rules):
    found = quantities(rules, "The pack charges from 10% to 80% state of charge in 18 minutes.")
    assert [q.object for q in found if q.unit == "%"] == ["state of charge", "state of charge"]


def test_percentage_with_nothing_it_measures_has_no_object(rules):
    assert only(rules, "It is closer to 75%.").object is None


def test_percentage_with_no_object_of_its_own_continues_the_paragraph(rules):
    text = "LGES had a share of 9.3%. CATL extended its lead with 38.1%.\n\nIt is up 2%."
    assert [q.object for q in quantities(rules, text)] == ["share", "share", None]


@pytest.mark.parametrize(
    "text, values",
    [
        (
            "LFP cells fell to about 360 yuan ($50) per kilowatt-hour.",
            [(360, "CNY/kWh", "about 360 yuan"), (50, "USD/kWh", "$50")],
        ),
        ("Cells cost 0.4 yuan (5.5 US cents)/Wh in tenders.", [(0.4, "CNY/Wh", "0.4 yuan")]),
        ("Rapid charging cost 79p per kWh in October.", [(0.79, "GBP/kWh", "79p per kWh")]),
        ("Night tariffs of 7-9p/kWh are common.", [(0.07, "GBP/kWh", "7-9p/kWh")]),
    ],
)
def test_price_per_unit_of_energy_after_a_conversion_in_brackets(rules, text, values):
    found = quantities(rules, text)
    assert [(q.value, q.unit, q.text) for q in found[: len(values)]] == [
        (pytest.approx(v), u, t) for v, u, t in values
    ]


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("The car reaches 100 km/h in 3.5 seconds.", 100, "km/h"),
        ("Wind gusts hit 50 mph on the coast.", 50, "mph"),
        ("The 1,000 pounds saved come from fewer modules.", 1000, "lb"),
        ("The cells work at minus 40 degrees Celsius.", -40, "°C"),
        ("The new charging canopy is 37m long.", 37, "m"),
        ("The battery container is 2.5m high.", 2.5, "m"),
    ],
)
def test_units_outside_the_guidelines_are_kept_apart_from_counts(rules, text, value, unit):
    q = quantities(rules, text)[0]
    assert (q.value, q.unit) == (pytest.approx(value), unit)


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("The index rose 1.1% to end at 1,334.20.", 1334.2, "count"),
        ("Deliveries fell short of estimates of 64,900.", 64900, "count"),
        ("Sales reached 5.5 million, the company said.", 5_500_000, "count"),
        ("Nio delivered 21,304 cars and Xpeng 23,917 in May.", 23_917, "count"),
        ("The rival startup delivered 25,049 in October.", 25_049, "count"),
        ("Of those, 189,614 were battery-electric.", 189_614, "count"),
        ("The group sold 40,000-odd in its home market.", 40_000, "count"),
        ("It now expects 47,000 vehicles, down from 57,000 previously.", 57_000, "count"),
        ("The app had 2.7m users, up from 2.2m the year before.", 2_200_000, "count"),
    ],
)
def test_bare_number_after_a_verb_or_preposition_is_a_figure(rules, text, value, unit):
    q = quantities(rules, text)[-1]
    assert (q.value, q.unit) == (pytest.approx(value), unit)


@pytest.mark.parametrize(
    "text",
    [
        "| 12 | Erik Jones | 2194 | 1 | 0 |",
        "Cathode costs dominate (13). Anode costs follow [14].",
        "Destiny 2 runs in native 4K on the new console.",
        "The stream is capped at 720p on phones.",
        "The meeting starts at 4 p.m. on Friday.",
        "The laptop ships with a Radeon Pro 5300M chip.",
    ],
)
def test_table_cells_citations_and_format_names_are_not_quantities(rules, text):
    assert [q.text for q in quantities(rules, text)] == []


def test_counted_noun_is_looked_for_only_in_the_same_paragraph(rules):
    found = quantities(rules, "Rated 4.5 out of 5\nMechanics praised the pack.")
    assert [(q.text, q.unit) for q in found] == [("5", "count")]


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("The offense gained minus-5 yards in the half.", -5, "yd"),
        ("The defect rate fell to .5 per cent.", 0.5, "%"),
        ("Oil traded at US $58.24 a barrel.", 58.24, "USD"),
        ("The bond raised USD 500 million.", 500_000_000, "USD"),
        ("Trade figures showed a deficit of $-50.8bn.", -50_800_000_000, "USD"),
    ],
)
def test_sign_decimal_point_and_spaced_currency_before_the_number(rules, text, value, unit):
    q = only(rules, text)
    assert (q.value, q.unit) == (pytest.approx(value), unit)


@pytest.mark.parametrize(
    "text, found",
    [
        ("The cells have been cycled for two years.", [(2, "year")]),
        ("Over the past three months the price halved.", [(3, "month")]),
        ("The warranty runs for 8 years or 160,000 km.", [(8, "year"), (160_000, "km")]),
        ("Production could start in two years.", []),
        ("Four months after the launch, the line stopped.", []),
        ("A 45-year-old engineer and a five-year plan.", []),
        ("In the first five months, cell output rose 31%.", [(31, "%")]),
        ("Over the past two years it has hired 1,200 engineers.", [(1200, "count")]),
        ("In the first 18 minutes the pack charges to 80%.", [(18, "min"), (80, "%")]),
        ("The line was halted for more than three months.", [(3, "month")]),
        ("The strike at the cathode plant lasted nearly two weeks.", [(2, "week")]),
        ("Cell output rose 30% in the past three quarters.", [(30, "%")]),
    ],
)
def test_spans_of_time_but_not_points_in_time(rules, text, found):
    assert [(q.value, q.unit) for q in quantities(rules, text)] == found


def test_claims_carry_kind_rule_and_exact_offsets(rules):
    text = "CATL will invest up to 2.5 billion yuan in 1,000 stations, about 20% of its plan."
    found = quantities(rules, text)
    assert [(q.kind, q.rule) for q in found] == [
        ("quantity", "money"),
        ("quantity", "count"),
        ("quantity", "percent"),
    ]
    assert [q.text for q in found] == ["up to 2.5 billion yuan", "1,000 stations", "about 20%"]


def test_pipeline_component_appends_quantity_claims(nlp):
    doc = nlp(
        "The Chinese are estimated to control 83% of the entire global lithium-ion battery "
        "manufacturing capacity."
    )
    [q] = [c for c in doc._.claims if c.kind == "quantity"]
    assert (q.value, q.unit, q.object) == (
        83,
        "%",
        "of the entire global lithium-ion battery manufacturing capacity",
    )


GUIDELINE_UNITS = [
    "%", "pp", "USD", "EUR", "CNY", "GBP", "JPY", "KRW", "USD/kWh", "EUR/kWh", "CNY/kWh", "kWh",
    "MWh", "GWh", "TWh", "kW", "MW", "GW", "Wh/kg", "Wh/L", "km", "mi", "min", "h", "cycles", "t",
    "USD/t", "CNY/t", "EUR/t", "AUD/t",
]  # fmt: skip


def test_every_guideline_unit_code_is_in_the_rules():
    lines = (rules_dir() / "units.jsonl").read_text("utf-8").splitlines()
    entries = [json.loads(line) for line in lines if line.strip()]
    codes = {e["unit"] for e in entries} | {c for e in entries for c in e.get("per", {}).values()}
    assert set(GUIDELINE_UNITS) <= codes


def test_claims_are_in_text_order_and_do_not_overlap(rules):
    text = (
        "CATL will spend 10 billion yuan on a 30 GWh plant, about 20% of its budget. The cells "
        "reach 175 Wh/kg and charge from 10% to 80% in 12 minutes; 1,200 workers will run it "
        "from 2027, with two-thirds of output going to Europe at $90/kWh."
    )
    found = quantities(rules, text)
    assert [(q.value, q.unit) for q in found] == [
        (10_000_000_000, "CNY"),
        (30, "GWh"),
        (20, "%"),
        (175, "Wh/kg"),
        (10, "%"),
        (80, "%"),
        (12, "min"),
        (1200, "count"),
        (pytest.approx(66.67), "%"),
        (90, "USD/kWh"),
    ]
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def test_unit_forms_are_read_from_the_rules_folder(tmp_path):
    shutil.copytree(rules_dir(), tmp_path, dirs_exist_ok=True)
    units = tmp_path / "units.jsonl"
    lines = [json.loads(line) for line in units.read_text("utf-8").splitlines() if line.strip()]
    for entry in lines:
        if entry["unit"] == "GWh":
            entry["forms"].append("gigawatt-hrs")
    units.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in lines), "utf-8")
    q = only(QuantityRules(tmp_path), "The line adds 8 gigawatt-hrs a year.")
    assert (q.value, q.unit) == (8, "GWh")


@pytest.mark.parametrize(
    "text, values",
    [
        ("The operator runs 40 737 Max jets on short routes.", [(40, "count")]),
        ("The carrier took two new 787 Dreamliner jets in May.", [(2, "count")]),
        ("The lessor placed 15 A321neo aircraft with the airline.", [(15, "count")]),
        (
            "The depot added 30 Sprinter vans and 12 e-Actros trucks.",
            [(30, "count"), (12, "count")],
        ),
    ],
)
def test_a_models_number_inside_a_count_is_part_of_its_name(rules, text, values):
    found = quantities(rules, text)
    assert [(q.value, q.unit) for q in found] == [(pytest.approx(v), u) for v, u in values]


@pytest.mark.parametrize(
    "text, values",
    [
        ("The maker shut 12 of its 30 plants last year.", [(12, "count"), (30, "count")]),
        ("Regulators picked three of those suppliers for the tender.", [(3, "count")]),
        ("About 800 of them went to dealers in Norway.", [(800, "count")]),
        ("Two of the lines will make LFP cells.", [(2, "count")]),
    ],
)
def test_some_of_the_things_named_are_a_count(rules, text, values):
    found = quantities(rules, text)
    assert [(q.value, q.unit) for q in found] == [(pytest.approx(v), u) for v, u in values]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Five of the past six years were records for the port.", id="period"),
        pytest.param("One of the best-selling vans is electric.", id="one-of"),
        pytest.param("Sales grew for several quarters of the cycle.", id="plural-fraction"),
        pytest.param("Both halves of the plant were flooded.", id="plural-fraction-both"),
    ],
)
def test_no_count_and_no_share(rules, text):
    """A period, 'one of' and a plural fraction word with no number say how many of nothing."""
    assert [q.unit for q in quantities(rules, text) if q.unit in ("count", "%")] == []


@pytest.mark.parametrize(
    "text, values",
    [
        (
            "Lithium carbonate ended the year at 88,000 yuan a tonne in China, or about $12,400.",
            [(88_000, "CNY/t"), (12_400, "USD/t")],
        ),
        (
            "Spodumene fell to about $850 a tonne from more than $7,500 at its peak.",
            [(850, "USD/t"), (7_500, "USD/t")],
        ),
        (
            "Nickel sat at $16,200 a tonne ($1,100 lower than in May).",
            [(16_200, "USD/t"), (1_100, "USD/t")],
        ),
        ("Cells cost $95 per kWh, against $140 in 2022.", [(95, "USD/kWh"), (140, "USD/kWh")]),
        (
            "The miner paid $9,000 a tonne and raised $40 million.",
            [(9_000, "USD/t"), (40_000_000, "USD")],
        ),
    ],
)
def test_an_amount_linked_to_a_price_per_unit_is_a_price_per_that_unit(rules, text, values):
    found = quantities(rules, text)
    assert [(q.value, q.unit) for q in found] == [(pytest.approx(v), u) for v, u in values]


@pytest.mark.parametrize(
    "text, value",
    [
        ("The supplier is building 400 chargers along the motorway.", 400),
        ("The cell maker is building two more plants in Hungary.", 2),
        ("The utility will issue 300 million new shares.", 300_000_000),
    ],
)
def test_a_name_word_that_is_a_verb_in_lower_case_leads_a_count(rules, text, value):
    assert [(q.value, q.unit) for q in quantities(rules, text)] == [(value, "count")]


@pytest.mark.parametrize(
    "text, value",
    [
        ("The ministry announced that nine suppliers were eligible to bid.", 9),
        ("Officials said this week that three plants would close.", 3),
    ],
)
def test_that_before_a_spelled_count_is_a_conjunction(rules, text, value):
    assert [(q.value, q.unit) for q in quantities(rules, text)] == [(value, "count")]


@pytest.mark.parametrize(
    "text, value",
    [
        ("The three automakers will split the cost of the new plant.", 3),
        ("Those four suppliers now ship cathodes to Poland.", 4),
        ("The regulator added the nine startups to its list of approved bidders.", 9),
    ],
)
def test_a_definite_spelled_count_of_three_or_more_counts(rules, text, value):
    assert [(q.value, q.unit) for q in quantities(rules, text)] == [(value, "count")]


@pytest.mark.parametrize(
    "text, found",
    [
        ("One in five new cars sold in Norway last month was electric.", [(20, "%")]),
        ("Three out of four drivers charge at home overnight.", [(75, "%")]),
        ("Nearly 1 in 3 buyers said range was their main worry.", [(33.33, "%")]),
        ("About one in 1,000 cells failed the nail test.", [(0.1, "%")]),
        ("The pack charged to 80% in 18 minutes.", [(80, "%"), (18, "min")]),
        ("The plant opened one in 2024 and another in 2025.", []),
    ],
)
def test_one_in_five_is_a_share_in_percent(rules, text, found):
    assert [(q.value, q.unit) for q in quantities(rules, text)] == [
        (pytest.approx(v, abs=0.01), u) for v, u in found
    ]


@pytest.mark.parametrize(
    "text, found",
    [
        ("The dealer has 500 new and used cars on its lot.", [("500 new and used cars", 500)]),
        (
            "The depot will take about 1,200 electric or hybrid buses.",
            [("about 1,200 electric or hybrid buses", 1200)],
        ),
        ("The plant makes 20 cells and packs a day.", [("20 cells", 20)]),
        ("They added 300 new and the old ones stayed.", []),
    ],
)
def test_a_count_reaches_its_noun_past_two_joined_descriptions(rules, text, found):
    assert [(q.text, q.value) for q in quantities(rules, text) if q.unit == "count"] == found


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("The cells lost a fifth of their range at -20C.", -20, "°C"),
        ("The pack must stay below 45C while it charges.", 45, "°C"),
        ("Phoenix reached 118F on the day the plant opened.", 118, "°F"),
    ],
)
def test_temperature_glued_to_its_letter_is_a_quantity(rules, text, value, unit):
    found = [q for q in quantities(rules, text) if q.unit == unit]
    assert [q.value for q in found] == [value]


@pytest.mark.parametrize(
    "text",
    ["The new cells charge at 6C.", "Its 5C-rated cells fill up in ten minutes."],
)
def test_charging_rate_glued_to_c_is_not_a_temperature(rules, text):
    assert [q.unit for q in quantities(rules, text) if q.unit == "°C"] == []


@pytest.mark.parametrize(
    "text, value",
    [
        ("About two dozen engineers moved to the Ohio plant.", 24),
        ("The supplier shipped three dozen prototype packs.", 36),
        ("The start-up has a 1,200-strong workforce in Poland.", 1200),
        ("The fire destroyed four buses and damaged 22 others.", 22),
        ("Labour's 12 MPs backed the battery levy.", 12),
    ],
)
def test_counts_written_as_dozens_strengths_others_and_short_plurals(rules, text, value):
    assert value in [q.value for q in quantities(rules, text) if q.unit == "count"]


def test_bare_number_moved_after_a_moved_percentage_shares_its_unit(rules):
    found = quantities(rules, "Cell output rose by 4 percent in May and fell by 2 in June.")
    assert [(q.value, q.unit, q.object) for q in found] == [
        (4, "%", "Cell output"),
        (2, "%", "Cell output"),
    ]


def test_level_before_a_range_takes_the_scale_and_unit_written_at_the_range(rules):
    found = quantities(rules, "Revenue should climb from 8.5 to 10-11 billion euros by 2030.")
    assert [(q.value, q.high, q.unit) for q in found] == [
        (8_500_000_000, None, "EUR"),
        (10_000_000_000, 11_000_000_000, "EUR"),
    ]


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("Carmakers want a sub-$25,000 electric hatchback.", 25_000, "USD"),
        ("The phone pairs a 50MP camera with a 5,000mAh cell.", 50, "MP"),
        ("The lithium brine field covers 3,000 square kilometres.", 3_000, "km2"),
    ],
)
def test_general_units_and_a_glued_sub_before_the_number(rules, text, value, unit):
    assert (value, unit) in [(q.value, q.unit) for q in quantities(rules, text)]


@pytest.mark.parametrize(
    "text, value",
    [
        ("Chinese cell makers accounted for more than two-thirds.", 66.67),
        ("Hitting the target would take growth of almost a third.", 33.33),
        ("Installations grew by a fifth, the tracker said.", 20),
    ],
)
def test_fraction_closing_a_clause_after_a_preposition_is_a_share(rules, text, value):
    assert [(q.value, q.unit) for q in quantities(rules, text)] == [(value, "%")]


@pytest.mark.parametrize(
    "text",
    ["The Korean maker finished third.", "The line was cut in half.", "It is the third."],
)
def test_ordinal_or_half_closing_a_clause_without_a_preposition_is_no_share(rules, text):
    assert quantities(rules, text) == []


def test_count_out_of_a_counted_whole(rules):
    found = quantities(rules, "The supplier passed 25 of 32 audits this year.")
    assert [(q.text, q.value) for q in found][:1] == [("25 of 32 audits", 25)]


@pytest.mark.parametrize(
    "text, values",
    [
        ("The explosion at the cathode plant killed 3 and injured 17.", [3, 17]),
        ("Police said 40 were arrested at the mine protest.", [40]),
        ("The gigafactory hired 450 in its first month.", [450]),
    ],
)
def test_number_alone_after_a_verb_that_befalls_people_counts_them(rules, text, values):
    assert [(q.value, q.unit) for q in quantities(rules, text)] == [(v, "count") for v in values]


def test_amount_a_price_per_tonne_later_moved_to_is_that_price_again(rules):
    text = (
        "Cobalt hydroxide sat near 80,000 yuan per tonne in May. It had fallen to 95,000 yuan "
        "by January. The refinery cost 3 billion yuan, and prices must climb above 120,000 yuan."
    )
    assert [(q.value, q.unit) for q in quantities(rules, text)] == [
        (80_000, "CNY/t"),
        (95_000, "CNY/t"),
        (3_000_000_000, "CNY"),
        (120_000, "CNY/t"),
    ]


def test_bare_m_before_a_metre_word_is_metres_even_when_a_count_follows(rules):
    found = quantities(rules, "The test driver ran the 400m in 58.2 seconds beside the plant.")
    assert [(q.value, q.unit) for q in found] == [(400, "m"), (58.2, "s")]

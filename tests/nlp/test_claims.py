"""A figure as a trackable claim: subject, metric, scope, period and canonical value, read by the
claim describer the linker calls (monitor/nlp/claims/)."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.models import Claim
from monitor.nlp.claims.periods import find_times, step_back
from monitor.nlp.claims.units import UnitTable
from monitor.nlp.pipeline import extract_claims
from monitor.resources import rules_dir

PUBLISHED = "2025-03-10"
# figures are described as claims in battery articles only: the texts are set in one
BATTERY_STORY = " The story is about EV batteries."


def figure(nlp, text: str, target: str, published: str | None = PUBLISHED, title: str | None = None) -> Claim:
    claims = extract_claims(text + BATTERY_STORY, nlp=nlp, published=published, title=title)
    return next(c for c in claims if c.kind == "quantity" and target in c.text)


def test_figures_of_an_article_without_battery_wording_are_not_described(nlp):
    claims = extract_claims("The bakery sold 1,200 loaves last year.", nlp=nlp, published=PUBLISHED)
    loaves = next(c for c in claims if c.kind == "quantity")
    assert loaves.battery is False and loaves.subject is None and loaves.metric is None


@pytest.mark.parametrize("text, target, subject", [
    ("Chinese firms control 85% of the world's anode capacity.", "85%", "China"),
    ("Northvolt said on Tuesday it had cut 1,600 jobs in Sweden.", "1,600", "Northvolt"),
    ("Panasonic supplies the cells. The company made 40 GWh of them last year.", "40 GWh", "Panasonic"),
    ("Sodium-ion cells typically store about 150 Wh/kg.", "150 Wh/kg", "sodium-ion"),
    ("Lithium hydroxide prices fell to $9,500 a tonne in June.", "$9,500", "lithium hydroxide"),
    ("Gotion's shares jumped 6%, according to data from Samsung SDI analysts.", "6%", "Gotion"),
    ("Investors including Volkswagen put $500 million into the start-up, which plans 20 GWh.", "20 GWh", None),
])
def test_subject_is_the_owner_the_clause_names(nlp, text, target, subject):
    got = figure(nlp, text, target).subject
    if subject is None:
        assert got != "Volkswagen"
    else:
        assert got == subject


@pytest.mark.parametrize("text, target, subject", [
    ("Honda and the oil company Shell will build charging hubs together. The Japanese automaker "
     "sold 3.7 million cars last year.", "3.7 million", "Honda"),
    ("Mazda will buy its cells from Panasonic. The battery maker plans 30 GWh of new capacity in "
     "Kansas.", "30 GWh", "Panasonic"),
    ("Albemarle signed a supply deal with Hyundai on Monday. The world's largest lithium producer "
     "expects to sell 200,000 tonnes this year.", "200,000 tonnes", "Albemarle"),
    ("Volvo Cars agreed to buy green fuel from BP. The oil major will spend $1 billion on it by "
     "2030.", "$1 billion", "BP"),
    ("Renault signed a deal with Kestrel Dynamics, a Shanghai-based battery maker. The battery "
     "maker will make 12 GWh of cells a year.", "12 GWh", "Kestrel Dynamics"),
    ("Subaru will buy its cells from SK On. Japan's smallest carmaker sold 92,000 cars in Europe "
     "last year.", "92,000", "Subaru"),
])
def test_a_description_naming_a_sector_is_the_company_of_that_sector_named_before(
        nlp, text, target, subject):
    assert figure(nlp, text, target).subject == subject


def test_of_two_companies_of_the_sector_in_one_sentence_a_description_is_the_first(nlp):
    text = ("Vale agreed to buy a stake in Talon Metals. The miner expects to mine 160,000 tonnes "
            "of nickel.")
    assert figure(nlp, text, "160,000 tonnes").subject == "Vale"


@pytest.mark.parametrize("opening", ["The company has", "The Swedish firm has", "It has"])
def test_a_sentence_opened_by_it_or_the_company_is_about_the_company_before_not_its_partner(
        nlp, opening):
    text = (f"Northvolt opened a plant in Skellefteå. {opening} signed a supply deal with Volvo "
            "Cars. It made 16 GWh of cells last year.")
    assert figure(nlp, text, "16 GWh").subject == "Northvolt"


def test_the_words_describing_a_company_do_not_narrow_its_figure(nlp):
    text = ("Gotion signed a supply deal with Ford. The Chinese battery maker sold its cells for "
            "$70/kWh.")
    claim = figure(nlp, text, "$70/kWh")
    assert claim.subject == "Gotion" and "china" not in (claim.scope or "")


def test_a_sentence_about_a_described_company_carries_it_to_the_next(nlp):
    text = ("BP opened a charging hub with Nissan in Leeds on Tuesday. The Japanese carmaker has "
            "been slow to sell electric cars. It sold 42,000 of them last year.")
    assert figure(nlp, text, "42,000").subject == "Nissan"


@pytest.mark.parametrize("text, target, subject", [
    # a possessive opens a description of another company: its supplier, not itself
    ("Mazda buys cells from Panasonic. Ford said its battery maker will add 20 GWh.", "20 GWh",
     "Ford"),
])
def test_a_description_of_another_company_is_not_resolved_by_its_sector(nlp, text, target, subject):
    assert figure(nlp, text, target).subject == subject


@pytest.mark.parametrize("text, target, metric", [
    ("Hyundai's operating profit stood at 3.6 trillion won.", "3.6 trillion won", "profit"),
    ("SK On has an order backlog worth $200 billion and revenue of $5 billion.", "$5 billion", "revenue"),
    ("Chinese firms control 85% of the world's cell-making capacity.", "85%", "capacity_share"),
    ("Tesla delivered 1.8 million cars last year.", "1.8 million", "sales"),
    ("Pack prices fell 12% last year.", "12%", "price_change"),
    ("The plant will employ about 2,500 workers.", "2,500", "jobs"),
    ("The LFP pack costs $95/kWh.", "$95/kWh", "pack_price"),
    ("The new model can travel 600 km on one charge.", "600 km", "range"),
])
def test_metric_is_what_governs_the_figure(nlp, text, target, metric):
    assert figure(nlp, text, target).metric == metric


def test_sales_growth_is_a_claim_apart_from_the_sales(nlp):
    text = "BYD sold 4.3 million cars in 2024, up 41% on the year before."
    level, growth = figure(nlp, text, "4.3 million"), figure(nlp, text, "41%")
    assert level.metric == growth.metric == "sales"
    assert "change" in (growth.scope or "") and "change" not in (level.scope or "")


@pytest.mark.parametrize("text, target, period", [
    ("CATL sold 300 GWh of batteries last year.", "300 GWh", "2024"),
    ("Deliveries rose to 90,000 in the fourth quarter.", "90,000", "2024-Q4"),
    ("The group expects sales of 5 million vehicles by 2030.", "5 million", "forecast 2030"),
    ("Its share grew to 38% in 2024, up from 36% a year earlier.", "36%", "2023"),
    ("Its margin widened to 21% last year from 19%.", "19%", "2023"),
])
def test_period_is_resolved_against_the_publication_date(nlp, text, target, period):
    assert figure(nlp, "Ford is a carmaker. " + text, target).period == period


def test_specification_has_no_period(nlp):
    assert figure(nlp, "Toyota's new battery will last 8,000 cycles by 2027.", "8,000 cycles").period is None


def test_bare_text_without_a_date_leaves_relative_periods_open(nlp):
    assert figure(nlp, "CATL sold 300 GWh of batteries last year.", "300 GWh", published=None).period is None


def test_headline_subject_is_carried_to_an_opening_without_one(nlp):
    claim = figure(nlp, "The company posted revenue of $3 billion.", "$3 billion", title="Rivian misses targets")
    assert claim.subject in ("Rivian", "global")  # Rivian where the gazetteer knows it


def test_one_figure_in_two_units_is_one_claim(nlp):
    text = "Toyota says the car will travel 1,000 km (620 miles) on one charge."
    km, miles = figure(nlp, text, "1,000 km"), figure(nlp, text, "620 miles")
    assert (km.subject, km.metric, km.scope, km.period) == (miles.subject, miles.metric, miles.scope, miles.period)
    assert miles.canonical_unit == "km" and miles.canonical_value == pytest.approx(997.8, abs=0.1)


@pytest.mark.parametrize("value, unit, expected", [
    (620, "mi", (997.79328, "km")), (1.2, "TWh", (1200.0, "GWh")), (2, "h", (120.0, "min")),
    (100, "USD/MWh", (0.1, "USD/kWh")), (5, "%", (5, "%")), (3, "count", (3, "count")),
])
def test_canonical_units(value, unit, expected):
    got = UnitTable.load(rules_dir()).canonical(value, unit)
    assert got[1] == expected[1] and got[0] == pytest.approx(expected[0])


def test_unit_table_knows_every_unit_and_currency_per_unit_of_the_rules():
    table = UnitTable.load(rules_dir())
    assert table.conversions["mi"] == ("km", pytest.approx(1.609344))
    assert table.conversions["CNY/t"] == ("CNY/t", 1.0)
    assert table.conversions["USD/MWh"] == ("USD/kWh", pytest.approx(0.001))


def test_times_and_steps_back():
    text = "in the first half of 2024, in FY25, last quarter, by 2030 and since 2018"
    periods = [t.period for t in find_times(text, 0, len(text), date(2025, 3, 10)) if not t.ignored]
    assert periods == ["2024-H1", "FY2025", "2024-Q4", "2030"]
    assert step_back("2024-Q1") == "2023-Q4" and step_back("FY2025") == "FY2024"



@pytest.mark.parametrize("text, target, period", [
    ("Kia sold 900,000 cars in 2024, up from 700,000 in 2023. Exports made up 120,000.", "120,000", "2024"),
    ("Kia's exports reached 50,000 for the year, and it plans to double them in 2026.", "50,000", "2024"),
    ("Nickel sat near $16,000 a tonne as June ended.", "$16,000", "2024-06"),
])
def test_undated_figure_takes_the_article_time_not_a_later_clause(nlp, text, target, period):
    assert figure(nlp, text, target).period == period


@pytest.mark.parametrize("text, published, period", [
    ("Chinese plants hold 85% of the world's cathode capacity.", "2026-02-11", "2024"),
    ("Chinese plants hold 85% of the world's cathode capacity.", "2026-06-02", "2025"),
    ("Indonesia mines more than half of the world's nickel supply.", "2026-01-20", "2024"),
])
def test_undated_survey_share_early_in_a_year_is_for_the_last_year_surveyed(nlp, text, published, period):
    claim = next(c for c in extract_claims(text + BATTERY_STORY, nlp=nlp, published=published)
                 if c.kind == "quantity")
    assert claim.metric in ("capacity_share", "supply_share") and claim.period == period


def test_undated_sales_early_in_a_year_are_for_the_year_before(nlp):
    assert figure(nlp, "Kia sold 900,000 electric cars.", "900,000", published="2026-02-11").period == "2025"


def test_share_of_what_a_country_bought_is_a_claim_apart_from_a_share_its_makers_supplied(nlp):
    text = ("Chinese makers accounted for 65% of global EV battery installations last year. Demand is "
            "another matter than supply: China bought 65% of the world's electric cars last year.")
    supplied, bought = (c for c in extract_claims(text + BATTERY_STORY, nlp=nlp, published=PUBLISHED)
                        if c.kind == "quantity")
    assert supplied.metric == bought.metric == "market_share"
    assert "purchases" in (bought.scope or "") and "purchases" not in (supplied.scope or "")
    assert (supplied.subject, supplied.period) == (bought.subject, bought.period) == ("China", "2024")


def test_price_a_later_sentence_moves_to_keeps_the_market_of_the_price_before(nlp):
    text = ("Cobalt sulphate in China traded near 40,000 yuan per tonne in June. It had slid to "
            "55,000 yuan by the end of 2023.")
    june, earlier = (c for c in extract_claims(text + BATTERY_STORY, nlp=nlp, published="2025-07-01")
                     if c.kind == "quantity")
    assert earlier.unit == june.unit == "CNY/t"
    assert earlier.scope == june.scope and "china" in (june.scope or "")


@pytest.mark.parametrize("text, target, scope", [
    ("Kia's sales of plug-in hybrids rose 20% to 300,000.", "300,000", "hybrid"),
    ("Kia sold 800,000 cars in 2024. Battery-electric models made up 500,000 of the total and plug-in "
     "hybrids the rest.", "500,000", "electric"),
    ("Kia sold 400,000 plug-in hybrids, while its exports reached 90,000.", "90,000", "overseas"),
])
def test_scope_is_what_narrows_the_figure_and_its_change_only(nlp, text, target, scope):
    assert figure(nlp, text, target).scope == scope


@pytest.mark.parametrize("text, target, metric", [
    ("Kia sold 800,000 cars in 2024. Battery-electric models made up 500,000 of the total.", "500,000", "sales"),
    ("Cell prices fell to $70/kWh from $88/kWh. The 20% drop surprised suppliers.", "20%", "price_change"),
    ("The first number is 10%. That is Europe's grip on the world's cell-making capacity.", "10%", "capacity_share"),
    ("Europe holds 10% of global cell-making capacity. Its share may be 20% by 2030.", "20%", "capacity_share"),
])
def test_figure_no_cue_governs_takes_the_metric_its_neighbours_give(nlp, text, target, metric):
    assert figure(nlp, text, target).metric == metric


def test_name_after_the_company_in_a_following_clause_is_not_the_owner(nlp):
    text = "Kia makes EVs. Its sales rose 9% to 300,000, putting the company ahead of Hyundai, which sold 280,000."
    assert figure(nlp, text, "9%").subject == figure(nlp, text, "300,000").subject == "Kia"


def test_words_of_the_figure_itself_block_no_scope(nlp):
    text = "Kia sold 3 million cars last year, fewer than 90,000 of them battery-electric."
    assert figure(nlp, text, "90,000").scope == "electric"


def test_points_are_a_change_of_a_share(nlp):
    text = "SK On's share fell to 4.4%, a drop of 0.9 percentage points."
    share, drop = figure(nlp, text, "4.4%"), figure(nlp, text, "0.9 percentage points")
    assert "change" in (drop.scope or "") and "change" not in (share.scope or "")


@pytest.mark.parametrize("text, target, scope", [
    ("Nissan says its first solid-state car will travel 700 km on a charge.", "700 km", "solid-state"),
    ("Solid-state next. Nissan says its prototype will travel 700 km on a charge.", "700 km", "solid-state"),
    ("Nissan's current model travels 400 km, and in a cold snap barely 300 km.", "300 km", "cold"),
])
def test_a_company_product_specification_is_narrowed_by_its_technology(nlp, text, target, scope):
    assert figure(nlp, text, target).scope == scope


@pytest.mark.parametrize("text, target, scope", [
    ("Northvolt has designed its Skellefteå plant for 60 GWh a year.", "60 GWh", "skellefteå"),
    ("Northvolt's factory in Gdansk will have 12 GWh of capacity.", "12 GWh", "gdansk"),
    ("Northvolt runs its Skellefteå plant. The plant is designed for 60 GWh.", "60 GWh", "skellefteå"),
    ("Northvolt is building two plants. The one in Heide is designed for 60 GWh.", "60 GWh", "heide"),
])
def test_a_plant_name_narrows_its_capacity(nlp, text, target, scope):
    assert figure(nlp, text, target).scope == scope


def test_capacity_of_two_plants_are_two_claims_and_the_headline_names_the_plant(nlp):
    title = "Northvolt opens its Skellefteå gigafactory"
    first = figure(nlp, "The plant is designed for 60 GWh.", "60 GWh", title=title)
    other = figure(nlp, "Northvolt's plant in Heide is also designed for 60 GWh.", "60 GWh", title=title)
    assert first.scope == "skellefteå" and other.scope == "heide"


@pytest.mark.parametrize("text, first, second", [
    ("Nickel fetched about 120,000 yuan ($16,700) a tonne in China in March.", "120,000 yuan", "$16,700"),
    ("Nickel fetched 120,000 yuan a tonne in China last year, or about $16,700.", "120,000 yuan", "$16,700"),
])
def test_a_figure_in_another_unit_is_the_same_claim_and_its_words_reach_past_the_brackets(nlp, text, first, second):
    stated, converted = figure(nlp, text, first), figure(nlp, text, second)
    fields = ("subject", "metric", "scope", "period")
    assert [getattr(stated, f) for f in fields] == [getattr(converted, f) for f in fields]
    assert stated.scope == "china" and stated.period in ("2025-03", "2024")


def test_the_whole_a_part_is_of_takes_the_world_named_after_it(nlp):
    text = "Panasonic makes cells. The company supplied 40 GWh of the 900 GWh fitted to cars worldwide."
    assert figure(nlp, text, "40 GWh").subject == "Panasonic"
    assert figure(nlp, text, "900 GWh").subject == "global"


def test_the_start_and_end_of_a_charging_window_are_two_claims(nlp):
    text = "Nio says its next pack will charge from 20% to 90% in 12 minutes."
    low, high = figure(nlp, text, "20%"), figure(nlp, text, "90%")
    assert (low.subject, low.metric) == (high.subject, high.metric)
    assert low.scope != high.scope

"""The gate on raw bytes: it must pass every page the relevance check on the extracted text keeps
(recall first), and refuse pages that never use the battery vocabulary."""

from __future__ import annotations

import pytest
from support.warcs import battery_story, plain_story

from monitor.backfill.gate import NEVER_TEXT, BatteryGate, battery_gate, never_text_spans
from monitor.config import Settings
from monitor.ingest.document import extract_article
from monitor.models import Fetched
from monitor.nlp.relevance import is_battery_relevant

FILLER = "<p>" + "The company gave more detail on the plan at a press event on Tuesday. " * 8 + "</p>"


def page(fragment: str) -> bytes:
    return f'<html lang="en"><head><title>News</title></head><body><article><p>{fragment}</p>{FILLER}</article></body></html>'.encode()


def text_relevant(html: bytes) -> bool:
    url = "https://news.example/a"
    article = extract_article(Fetched(url=url, final_url=url, body=html, content_type="text/html"), Settings())
    return is_battery_relevant(article.text)


MARKUP_OF_RELEVANT_TEXT = [
    "LFP cells for EV batteries",
    "Sales of electric&nbsp;vehicles rose and the battery plant grew.",
    "Sales of electric\n     vehicles rose and the battery plant grew.",
    "Sales of <b>electric</b> vehicles rose and the battery plant grew.",
    "Sales of Electric Vehicles rose, as did BATTERY output.",
    "The lithium &amp; nickel markets",
    "A new gigafactory for <a href='/tag/sodium-ion'>sodium-ion</a> cells",
    "The EV9's battery pack holds 99.8 kWh.",
    "Cathode-active material, 1,200 t/year, for Li-ion cells",
]


@pytest.mark.parametrize("fragment", MARKUP_OF_RELEVANT_TEXT)
def test_the_gate_passes_markup_whose_text_is_battery_relevant(fragment):
    html = page(fragment)
    assert text_relevant(html)
    assert battery_gate().passes(html)


@pytest.mark.parametrize("fragment", [
    "The cellar of the old castle was cancelled as a venue.",  # "cell" inside words
    "Every level of the league, an evening game",  # "ev" inside words and in lower case
    "A phone battery that lasts two days",  # general terms only
    "Electric guitars and a concert",  # one word of "electric car" is not the term
])
def test_the_gate_refuses_pages_without_a_core_term_and_another(fragment):
    assert not battery_gate().passes(page(fragment))


@pytest.mark.parametrize("markup", [
    '<div class="table-cell ev-charging lithium"><p>Our weekly newsletter</p></div>',
    "<script>var EV = 1; track('lithium battery');</script><p>Our weekly newsletter</p>",
    "<style>.cell{color:red} .separator{}</style><p>Our weekly newsletter</p>",
    "<!-- lithium battery promo slot --><p>Our weekly newsletter</p>",
    '<a href="/tag/lithium-battery" title="EV news">Our weekly newsletter</a>',
])
def test_terms_only_in_scripts_styles_comments_or_tags_do_not_pass(markup):
    assert not battery_gate().passes(page(markup))


def test_a_stray_less_than_sign_in_the_text_does_not_hide_the_terms_after_it():
    html = page("Packs cost < $100 per kWh now, the battery survey found.")
    assert text_relevant(html) and battery_gate().passes(html)


def test_a_term_of_several_words_needs_its_words_in_order_and_close():
    gate = BatteryGate(core=["electric vehicle"], general=["battery"])
    assert gate.passes(b"<p>electric</p>\n  <p>vehicles and a battery</p>")
    assert not gate.passes(b"<p>electric battery</p>")
    assert not gate.passes(b"a vehicle, electric battery")
    assert not gate.passes(b"electric " + b"x" * 100 + b" vehicle battery")


def test_every_generated_battery_story_passes_and_plain_stories_do_not():
    gate = battery_gate()
    stories = [battery_story(n) for n in range(40)]
    plain = [plain_story(n) for n in range(40)]
    assert all(text_relevant(s) for s in stories)
    assert all(gate.passes(s) for s in stories)
    assert not any(gate.passes(p) for p in plain)


def test_the_gate_reads_the_rules_folder_it_is_given(tmp_path):
    (tmp_path / "battery_terms.json").write_text('{"core": ["flywheel"], "general": ["rotor"]}')
    gate = BatteryGate.load(tmp_path)
    assert gate.passes(b"a flywheel and its rotor") and not gate.passes(b"LFP battery cells")


NEVER_TEXT_MARKUP = [
    "<p>a</p><script>var a = '<b>';</script><p>b</p><style>.x{}</style><!-- c --><p>d</p>",
    "<SCRIPT type='text/javascript'>x()</SCRIPT ><Style>p{}</STYLE\n>",
    "<scripts>not the element</scripts><script>real()</script>",
    "<script>never closed <!-- a comment inside --> <p>text</p>",
    "<style>never closed</style <!-- c --> <style>p{}</style>",
    "<!--> not closed by its own dashes --> <!-- never closed",
    "<script>a</script x><script>b</script>",
    "", "no markup at all",
]


@pytest.mark.parametrize("markup", NEVER_TEXT_MARKUP)
def test_the_spans_of_what_is_never_text_are_those_of_the_plain_regex(markup):
    body = f"<html><body>{markup}</body></html>".encode()
    assert never_text_spans(body) == [(m.start(), m.end()) for m in NEVER_TEXT.finditer(body)]


def test_whole_words_count_at_the_edges_of_the_page_and_before_a_plural_or_digit():
    gate = BatteryGate(core=["ev"], general=["battery"])
    assert gate.passes(b"EV battery")
    assert gate.passes(b"EVs, one battery")
    assert gate.passes(b"one battery, two EVs")
    assert gate.passes(b"EV9 battery")  # a digit is no letter: the word "EV" stands
    assert not gate.passes(b"EVE battery")
    assert not gate.passes(b"batteryEV")

"""Direct quotes and their speakers, read by rules from article text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from monitor.nlp.quotes.finder import find_quotes
from monitor.nlp.quotes.marks import scan_quotations
from monitor.nlp.quotes.vocabulary import load_vocabulary
from monitor.resources import rules_dir


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary(rules_dir())


@pytest.fixture
def quotes(vocab):
    """Quote claims of a text, every claim's offsets checked against the text."""

    def read(text: str, companies: list[tuple] | None = None):
        found = find_quotes(text, vocab, companies)
        for claim in found:
            assert claim.kind == "quote"
            assert claim.rule.startswith("quote/")
            span = text[claim.start : claim.end]
            assert span.startswith(claim.text[:10]) and span.endswith(claim.text[-10:])
        return found

    return read


def only(found):
    assert len(found) == 1, [q.text for q in found]
    return found[0]


# -- what a quote is -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, first, second",
    [
        (
            (
                "\"Our cells charge faster than anyone's,\" said Anna Berg, the company's chief technology"
                ' officer. "That is why carmakers keep calling us."'
            ),
            "Our cells charge faster than anyone's,",
            "That is why carmakers keep calling us.",
        ),
        (
            "“Lithium prices have found a floor,” Rafael Ortiz said, “but demand for storage is what will lift them.”",
            "Lithium prices have found a floor,",
            "but demand for storage is what will lift them.",
        ),
        (
            "“We will not build a second line in Ohio,” Ortiz told analysts on a call. “Not until the first one runs full.”",
            "We will not build a second line in Ohio,",
            "Not until the first one runs full.",
        ),
        (
            "“Charging networks are the bottleneck,” Vogt told CNBC's “Squawk Box” on Tuesday. “Not the cells.”",
            "Charging networks are the bottleneck,",
            "Not the cells.",
        ),
        (
            "“Charging networks are the bottleneck,” Vogt said on Bloomberg's “Balance of Power.”"
            " “Not the cells.”",
            "Charging networks are the bottleneck,",
            "Not the cells.",
        ),
        (
            "“Charging networks are the bottleneck,” Vogt said in her remarks to the committee."
            " “Not the cells.”",
            "Charging networks are the bottleneck,",
            "Not the cells.",
        ),
        (
            "“We will not build a second line in Ohio,” Ortiz told the Courier when asked about"
            " the site, which was bought in May. “Not until the first one runs full.”",
            "We will not build a second line in Ohio,",
            "Not until the first one runs full.",
        ),
        (
            "“We will not build a second line in Ohio,” Ortiz told the Courier in July, after the"
            " governor announced new subsidies. “Not until the first one runs full.”",
            "We will not build a second line in Ohio,",
            "Not until the first one runs full.",
        ),
        (
            '"Charging networks are the bottleneck," Ana "Annie" Vogt told the panel. "Not the cells."',
            "Charging networks are the bottleneck,",
            "Not the cells.",
        ),
        (
            "“Nobody pays for range any more,” she said, adding that buyers now ask about"
            " charging times. “They want twenty minutes.”",
            "Nobody pays for range any more,",
            "They want twenty minutes.",
        ),
        (
            '"A tariff raises the price of a cell," said Jo Lee. "It does not build one." She'
            " estimated that local cells cost more.",
            "A tariff raises the price of a cell,",
            "It does not build one.",
        ),
    ],
)
def test_quote_broken_by_attribution_is_one_quote(quotes, text, first, second):
    q = only(quotes(text))
    assert q.text == f"{first} {second}"
    assert text[q.start : q.end].startswith(first) and text[q.start : q.end].endswith(second)
    assert [text[s:e] for s, e in q.extra["parts"]] == [first, second]


def test_quoted_paragraph_after_a_quote_and_its_attribution_continues_it(quotes):
    text = (
        "“Nobody is building plants for sodium yet,” said Ines Carvalho of Lisbon Cells.\n\n"
        "“That will change the day lithium doubles again.”\n\nShares fell 2%."
    )
    q = only(quotes(text))
    assert q.text.endswith("yet, That will change the day lithium doubles again.")
    assert q.speaker == "Ines Carvalho"


def test_quoted_paragraph_after_a_long_attribution_continues_it(quotes):
    text = (
        "“Cells are cheaper than they have ever been,” said Ines Carvalho, referring to the price"
        " of the iron phosphate cells made at the company's second plant near Porto.\n\n"
        "“They will get cheaper still.”"
    )
    q = only(quotes(text))
    assert q.text.endswith("ever been, They will get cheaper still.")
    assert q.speaker == "Ines Carvalho"


def test_narrative_after_the_attribution_ends_the_quote_before_the_next_paragraph(quotes):
    text = (
        "“We will build the plant,” Carvalho added. She then turned to the crowd.\n\n"
        "“Who pays for it?”"
    )
    assert len(quotes(text)) == 2


def test_a_second_quotation_with_its_own_attribution_is_a_quote_of_its_own(quotes):
    text = (
        "“The second line will run by June,” Mara Lindqvist said. “The third one will follow"
        " in a year,” she added."
    )
    found = quotes(text)
    assert [q.text for q in found] == [
        "The second line will run by June,",
        "The third one will follow in a year,",
    ]
    assert [q.speaker for q in found] == ["Mara Lindqvist", "Mara Lindqvist"]


@pytest.mark.parametrize(
    "attribution",
    [
        "said Rui Tavares, who told investors last year that the plant would open on time.",
        "Rui Tavares said in a call on Tuesday, pointing out that the cathode line was ready.",
        "Rui Tavares said, asked about the delay at a briefing for suppliers.",
        "Rui Tavares said, referring to a start-up called Voltline that supplies the anodes.",
        "said Rui Tavares, who has said he will stay until the second line runs.",
    ],
)
def test_an_attribution_with_a_clause_about_its_speaker_still_breaks_one_quote(quotes, attribution):
    text = f"“The first cells leave the line in May,” {attribution} “The second line follows in 2027.”"
    q = only(quotes(text))
    assert q.text == "The first cells leave the line in May, The second line follows in 2027."
    assert q.speaker == "Rui Tavares"


@pytest.mark.parametrize(
    "text",
    [
        "“We are on budget,” the chief executive said. Analysts disagreed. “They are not,” said one.",
        "“We are on budget,” the chief executive said, adding later, “and on time.”",
        "“We are on budget,” the chief executive said before the chairman replied. “We are not.”",
        "“The line runs at full speed.” She added, “The second one starts in June.”",
        "“Did we miss the target? Yes.” The chairman then told analysts: “We will not miss again.”",
    ],
)
def test_quotes_separated_by_narrative_or_a_second_verb_stay_apart(quotes, text):
    assert len(quotes(text)) == 2


@pytest.mark.parametrize(
    "text, second",
    [
        (
            "“The first cells leave the line in May,” Rui Tavares said of the cathode plant, which"
            " is “the hardest part of the whole project.”",
            "the hardest part of the whole project.",
        ),
        (
            "“We kept every supplier,” the board said, because the contracts “ran for five more"
            " years at fixed prices.”",
            "ran for five more years at fixed prices.",
        ),
    ],
)
def test_a_fragment_quoted_inside_the_attributions_clause_is_a_quote_of_its_own(
    quotes, text, second
):
    assert [q.text for q in quotes(text)][1:] == [second]


@pytest.mark.parametrize(
    "attribution", ["Mara Lindqvist told reporters.", "the two analysts write in their note."]
)
def test_a_second_piece_opening_a_sentence_that_runs_on_is_still_the_same_quote(
    quotes, attribution
):
    text = (
        f"“The first line is sold out,” {attribution} “What matters now is the price of cathodes”"
        " and of the other materials."
    )
    q = only(quotes(text))
    assert q.text == "The first line is sold out, What matters now is the price of cathodes"


def test_a_second_piece_in_a_sentence_with_its_own_attribution_stays_apart(quotes):
    text = (
        "“This is not right,” Mara Lindqvist said. “You pushed the suppliers to the breaking"
        " point” to lift the margin, she said later."
    )
    assert len(quotes(text)) == 2


@pytest.mark.parametrize("link", ["she said, but", "she said, and"])
def test_a_conjunction_after_the_attribution_still_breaks_one_quote(quotes, link):
    text = f"“We will hire in Ohio,” {link} “the second plant waits for the tax credits.”"
    q = only(quotes(text))
    assert q.text == "We will hire in Ohio, the second plant waits for the tax credits."


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_quote_running_over_paragraphs_is_one_quote(quotes, gap):
    text = (
        f"Plant manager Ingrid Dahl described the first winter of production.{gap}"
        f"“We lost two weeks to the cold. The dry rooms were never designed for minus thirty.{gap}"
        f"“By March the yields were back above ninety percent,” she said."
    )
    q = only(quotes(text))
    assert q.text.startswith("We lost two weeks") and q.text.endswith("above ninety percent,")
    assert q.speaker == "Ingrid Dahl"
    assert len(q.extra["parts"]) == 2


@pytest.mark.parametrize(
    "text",
    [
        'Toyota said the new pack "will go into production cars next year," and that costs would fall.',
        "Toyota said the new pack “will go into production cars next year,” and that costs would fall.",
        "Toyota said the new pack ‘will go into production cars next year,’ and that costs would fall.",
        "Toyota said the new pack 'will go into production cars next year,' and that costs would fall.",
    ],
)
def test_straight_curly_and_single_outer_marks_are_read_alike(quotes, text):
    q = only(quotes(text))
    assert q.text == "will go into production cars next year,"
    assert q.speaker == "Toyota"


@pytest.mark.parametrize(
    "text",
    [
        "Analysts called the plan a “moonshot” and the shares fell.",
        "The so-called ‘blade’ cells are thinner than most.",
        'Investors worry about a "lithium glut" this year.',
        'Meanwhile the "cheap" chemistries keep improving.',
        'The agency\'s annual "Global EV Outlook" report came out on Tuesday.',
        'The start-up\'s "solid-state" cell uses a ceramic separator.',
        "“Life on the Night Shift” star Ana Ruiz toured the cell plant on Monday.",
    ],
)
def test_scare_quotes_terms_and_titles_are_not_quotes(quotes, text):
    assert quotes(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The plant ran a third shift all winter.\n\n‘A long way from the start.’\n\nBy March the"
        " yields were back.",
        "The plant ran a third shift all winter.\n\n“Cheaper cells, better margins.”\n\nBy March"
        " the yields were back.",
        "“Cathode plant to close in the spring as costs rise,” by Ana Ruiz: the piece says little.",
        "The plan was described as “a reckless gamble with public money” by Mayor Jo Lee.",
    ],
)
def test_subheadings_bylined_titles_and_passive_agents_are_not_quotes(quotes, text):
    assert quotes(text) == []


def test_a_longer_quoted_paragraph_standing_alone_is_still_a_quote(quotes):
    text = (
        "The plant ran a third shift all winter.\n\n“The dry rooms were never designed for a"
        " winter this cold, and we still made our numbers.”\n\nBy March the yields were back."
    )
    assert only(quotes(text)).speaker is None


@pytest.mark.parametrize(
    "text",
    [
        "Kaito Mori said the company would double its cathode output by 2027.",
        "According to the ministry, sodium-ion cells will make up a tenth of sales.",
        "Executives told investors that the Hungarian plant was on schedule.",
    ],
)
def test_reported_speech_without_marks_is_not_a_quote(quotes, text):
    assert quotes(text) == []


@pytest.mark.parametrize(
    "text, words, speaker",
    [
        # after a speech verb, inside the sentence
        (
            "Nadia Rahman said the factory would open “before the end of the year” despite the delays.",
            "before the end of the year",
            "Nadia Rahman",
        ),
        (
            "The carmaker's boss, Oskar Lind, has called the price war “a race nobody can win”.",
            "a race nobody can win",
            "Oskar Lind",
        ),
        (
            "Panasonic said in a statement that it would “review every option for the Kansas site”.",
            "review every option for the Kansas site",
            "Panasonic",
        ),
        (
            "Its president, Ma Lin, said the model would sell “tens of thousands” each month.",
            "tens of thousands",
            "Ma Lin",
        ),
        (
            "Berg said the Moses plant would reach “tens of gigawatt-hours” within five years.",
            "tens of gigawatt-hours",
            "Berg",
        ),
        (
            "Mayor Ines Roth, for her part, is labeling the closure “a blow to every family here.”",
            "a blow to every family here.",
            "Ines Roth",
        ),
        (
            "Union leader Ines Roth welcomed “the first real offer in three years of talks.”",
            "the first real offer in three years of talks.",
            "Ines Roth",
        ),
        # closed by a comma, the attribution right after its closing mark
        (
            "The carmaker was “dragged into the storage business,” chief executive Ilse Brandt said"
            " on Tuesday at a conference in Munich.",
            "dragged into the storage business,",
            "Ilse Brandt",
        ),
        (
            "Hosting the launch in the valley “is a dream for all of us,” said Jonas Ek, the mayor.",
            "is a dream for all of us,",
            "Jonas Ek",
        ),
    ],
)
def test_attributed_fragment_counts(quotes, text, words, speaker):
    """A fragment inside a sentence is a quote when a speech verb comes before it, or when it
    closes with a comma and its attribution follows at once."""
    q = only(quotes(text))
    assert (q.text, q.speaker) == (words, speaker)


@pytest.mark.parametrize(
    "text",
    [
        # a show's name, then a speaker reporting a clause of their own
        "In an interview on the BBC's “Sunday Politics Show,” Ilse Brandt said the new line"
        " would open in May.",
        # one of a list of phrases, the speech verb taking an object of its own
        "He went on about “cheap cells” and “our own struggling factories,” Ilse Brandt said"
        " again and again.",
        "The plant is “behind its own plan,” Ilse Brandt said the analysts had warned.",
    ],
)
def test_fragment_before_an_attribution_of_something_else_is_no_quote(quotes, text):
    assert quotes(text) == []


def test_a_show_named_after_a_speech_verb_is_no_quote(quotes):
    text = "Ilse Brandt said on Sunday's “Meet the Press.” She did not name the buyer."
    assert quotes(text) == []


def test_quoted_headline_words_are_not_quotes(quotes):
    text = "Battery Makers Say Prices Have ‘Hit The Floor’\n\nCell prices fell again in March."
    assert quotes(text) == []


# -- marks that are not quotation marks -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "CATL's new plant is its biggest. It's also its cheapest.",
        "Sales have not been this strong since the '90s, when the first hybrids arrived.",
        "The suppliers' margins shrank while the carmakers' grew.",
        "The workers’ union said the ’90s contract still applied.",
        'He said "the plant is ready and then the text simply ends',
        "“An opening mark with no end, and another ‘one",
        "'",
        '"',
        "",
    ],
)
def test_apostrophes_and_unbalanced_marks_never_crash(quotes, text):
    assert quotes(text) == []


@pytest.mark.parametrize(
    "text, words",
    [
        (
            "The host pressed him. “Will the plant ever open?“ she asked. “Yes, in May,” Aki Mori said.",
            ["Will the plant ever open?", "Yes, in May,"],
        ),
        (
            "Mori added: “We hired the first two hundred people in March.“\n\nShares rose 3%.",
            ["We hired the first two hundred people in March."],
        ),
    ],
)
def test_an_opening_mark_typed_as_the_closing_one_closes_the_quote(quotes, text, words):
    assert [q.text for q in quotes(text)] == words


@pytest.mark.parametrize(
    "before",
    [
        "CATL's shares rose. The 2000s' boom is over.\n\n",
        'He said "the plant is ready and then stopped.\n\n',
        "Suppliers' orders, the '90s style, and an odd ‘ mark.\n\n",
    ],
)
def test_a_stray_mark_does_not_swallow_the_rest_of_the_text(quotes, before):
    later = "“We have signed the supply deal with two European carmakers,” said Lena Vogt, the chief executive."
    q = only(quotes(before + later))
    assert q.text == "We have signed the supply deal with two European carmakers,"
    assert q.speaker == "Lena Vogt"


def test_an_inner_quotation_closing_before_the_outer_mark_keeps_the_attribution(quotes):
    text = (
        "“She went as far as to call it ‘a disaster,’ ” said Jo Marlow, an analyst at Kestrel."
        " “That is not a responsible thing to say.”"
    )
    assert only(quotes(text)).speaker == "Jo Marlow"


def test_single_marks_inside_a_quotation_stay_part_of_it(quotes):
    text = "“Customers ask us for ‘range first’ and then for price,” said Mei Chen, a product director at the firm."
    q = only(quotes(text))
    assert q.text == "Customers ask us for ‘range first’ and then for price,"


def test_double_apostrophes_pair_but_are_not_reported():
    text = "''We are not selling the 'flagship' plant,'' Mr. Haas said, as 'rumours' grew."
    assert [text[q.start : q.end] for q in scan_quotations(text)] == ["rumours"]


# -- who said it ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, speaker, rule",
    [
        (
            "“The recycling market will be bigger than mining by 2040,” Priya Natarajan said.",
            "Priya Natarajan",
            "quote/said-after",
        ),
        (
            "“The recycling market will be bigger than mining by 2040,” said Priya Natarajan.",
            "Priya Natarajan",
            "quote/said-after-inverted",
        ),
        (
            "Priya Natarajan said: “The recycling market will be bigger than mining by 2040.”",
            "Priya Natarajan",
            "quote/said-before",
        ),
        (
            "Priya Natarajan was blunt about the outlook: “The recycling market will be bigger than mining by 2040.”",
            "Priya Natarajan",
            "quote/colon-before",
        ),
    ],
)
def test_speaker_before_after_and_inverted(quotes, text, speaker, rule):
    q = only(quotes(text))
    assert (q.speaker, q.rule) == (speaker, rule)


@pytest.mark.parametrize(
    "text",
    [
        "“Our next cell will be cobalt-free,” said Northcell chairman Erik Sandberg.",
        "“Our next cell will be cobalt-free,” Northcell chief executive Erik Sandberg told reporters.",
        "“Our next cell will be cobalt-free,” Erik Sandberg, Northcell's chairman, said on Monday.",
        "“Our next cell will be cobalt-free,” said Erik Sandberg, chairman of Northcell.",
        "Northcell's chairman, Erik Sandberg, said: “Our next cell will be cobalt-free.”",
        "Northcell CEO Erik Sandberg said: “Our next cell will be cobalt-free.”",
        "“Our next cell will be cobalt-free,” Sen. Erik Sandberg (D-Mich.) said.",
        "“Our next cell will be cobalt-free,” said Rep. Erik Sandberg of Michigan.",
        "“Our next cell will be cobalt-free,” said Northcell's chief executive, Erik Sandberg.",
        "“Our next cell will be cobalt-free,” said Dr. Erik Sandberg, a chemist at Northcell.",
        "“Our next cell will be cobalt-free,” his deputy, state Sen. Erik Sandberg (D-Mich.), told the crowd.",
        "Sen. Erik Sandberg (D-Mich.): “Our next cell will be cobalt-free.”",
        "“Our next cell will be cobalt-free,” Erik Sandberg, who chairs the Northcell board said.",
        "“Our next cell will be cobalt-free,”Erik Sandberg said on Monday.",
        "Said Erik Sandberg: “Our next cell will be cobalt-free.”",
        "Said Erik Sandberg, who grew up near the plant, “Our next cell will be cobalt-free.”",
        "Erik Sandberg, President Northcell Energy, says: “Our next cell will be cobalt-free.”",
        "Erik Sandberg, Senior Vice President of Sales for Northcell, Inc., says: “Our next cell"
        " will be cobalt-free.”",
    ],
)
def test_titles_and_appositives_leave_the_name(quotes, text):
    assert only(quotes(text)).speaker == "Erik Sandberg"


@pytest.mark.parametrize(
    "follow_up",
    [
        "“Nobody will pay a premium for range any more,” Okafor said.",
        "“Nobody will pay a premium for range any more,” she said.",
        "She added: “Nobody will pay a premium for range any more.”",
        "Okafor has long argued that “nobody will pay a premium for range any more”.",
    ],
)
def test_surname_and_pronoun_speakers_get_the_full_name(quotes, follow_up):
    text = (
        "Chioma Okafor, an analyst at Benchline Research, expects prices to keep falling.\n\n"
        "Cheaper LFP packs are already in most new models. " + follow_up
    )
    assert only(quotes(text)).speaker == "Chioma Okafor"


@pytest.mark.parametrize(
    "text, speaker",
    [
        (
            "Rafael Ortiz runs the cathode plant. Yet Ortiz has already changed his plan:"
            " “We will wait for the subsidy before we hire.”",
            "Rafael Ortiz",
        ),
        (
            "“The depot will take its first buses in June,” City Administrator Maria Gomez said.",
            "Maria Gomez",
        ),
    ],
)
def test_a_sentence_adverb_or_an_administrator_title_is_no_part_of_the_name(quotes, text, speaker):
    assert only(quotes(text)).speaker == speaker


def test_a_participle_opening_a_sentence_before_a_surname_is_no_first_name(quotes):
    text = (
        "Chief executive Tomas Varga opened the battery fair on Monday.\n\n"
        "Hosting Varga at the fair was a coup for the organisers, who had courted him for a year."
        "\n\n“We will hire four hundred people in the valley,” Varga said."
    )
    assert only(quotes(text)).speaker == "Tomas Varga"


@pytest.mark.parametrize(
    "intro",
    [
        "The former trade envoy to Korea Tomas Varga backed the deal.",
        "White House Chief of Staff Tomas Varga backed the deal.",
    ],
)
def test_the_place_or_office_after_a_title_is_no_part_of_the_name(quotes, intro):
    text = f"{intro}\n\n“The cells will be made here,” Varga said."
    assert only(quotes(text)).speaker == "Tomas Varga"


def test_surname_first_names_expand_from_the_first_mention(quotes):
    text = (
        "Battery chief Park Min-jun presented the new cell in Seoul.\n\n"
        "“We doubled the energy density in three years,” Park said."
    )
    assert only(quotes(text)).speaker == "Park Min-jun"


@pytest.mark.parametrize(
    "attribution",
    [
        "Varga notes.",
        "Varga points out.",
        "Varga specified.",
        "Varga fumed.",
        "Varga commented.",
        "Varga speculated.",
        "Varga continues.",
        "Varga later Thursday told analysts.",
        "Varga on Monday said.",
        "Varga last week wrote.",
        "beamed Varga.",
        "reacted Varga.",
    ],
)
def test_speech_verbs_in_any_tense_and_dated_attributions_name_the_speaker(quotes, attribution):
    text = (
        "Tomas Varga runs the cathode plant outside Pecs.\n\n"
        "“We will not add a second line before the first one runs full,” " + attribution
    )
    assert only(quotes(text)).speaker == "Tomas Varga"


@pytest.mark.parametrize(
    "text",
    [
        (
            "Tomas Varga runs the plant. He declined to name customers but said talks with"
            " “several large utilities” were at an advanced stage."
        ),
        (
            "Tomas Varga, who runs the plant, is not given to hyperbole. Asked about the second line,"
            " he paused. “We are confident,” he said."
        ),
        (
            "Tomas Varga put it more diplomatically when I asked him about the cycle: “We plan for"
            " the long term.”"
        ),
        (
            "Tomas Varga runs the plant. Asked whether the tariffs had hurt sales as well, Varga"
            " said, “Not yet. Our order book is full.”"
        ),
        (
            "Tomas Varga didn’t seem worried by Northcell’s recall on Tuesday, telling analysts, “We have"
            " seen this before.”"
        ),
        (
            "“We thank every worker who stayed through the winter” for the result, Tomas Varga said."
        ),
        # the subject of the sentence, not of the clause it reports
        (
            "Tomas Varga joked that Kestrel was the only rival, but went on to say, “We fear nobody"
            " in this market.”"
        ),
        # a place before the participle, not the one writing
        (
            "Tomas Varga answered the question on Facebook writing, “The plant will open on time,"
            " whatever the rumours say.”"
        ),
    ],
)
def test_speaker_found_past_coordination_subordinate_clauses_and_pauses(quotes, text):
    assert only(quotes(text)).speaker == "Tomas Varga"


@pytest.mark.parametrize(
    "text",
    [
        "Tomas Varga spoke on Monday. In a radio interview later that day, Varga went even further:"
        " “If the board sells the plant, it is the end of the company.”",
        "Tomas Varga quickly posted a message of his own, saying, “We are thrilled to welcome the"
        " second line to the valley.”",
        "Tomas Varga spoke to the union first. Then Varga took the board to task, saying, “Is the"
        " board ever going to admit the plan failed?”",
    ],
)
def test_the_subject_of_a_clause_with_an_irregular_verb_or_an_adverb_is_the_speaker(quotes, text):
    assert only(quotes(text)).speaker == "Tomas Varga"


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("Tomas Varga closed the briefing by saying “No more delays at the cathode line.”", "Tomas Varga"),
        (
            "Carla Mendes thanked the council and continued by saying, “We will hire four hundred"
            " people here before the end of next year.”",
            "Carla Mendes",
        ),
        (
            "Striking workers marched past the gates where Nordvik Cells builds its packs, while"
            " chanting “Build the second line here!”",
            "Striking workers",
        ),
    ],
)
def test_a_gerund_after_by_or_while_is_said_by_the_subject_of_the_sentence(quotes, text, speaker):
    assert only(quotes(text)).speaker == speaker


@pytest.mark.parametrize(
    "text, speaker",
    [
        (
            "Sen. Rosa Delgado (D-Nev.) reacted to the plant closure, saying: “Four hundred"
            " families lose their work today.”",
            "Rosa Delgado",
        ),
        (
            "Rosa Delgado lost the vote. Delgado’s office brushed off the result, telling"
            " reporters, “The senator will bring the bill back next year.”",
            "Delgado’s office",
        ),
        (
            "Rosa Delgado toured the plant, with Delgado reportedly telling workers: “Your jobs are"
            " safe here.”",
            "Rosa Delgado",
        ),
    ],
)
def test_the_subject_of_a_clause_before_a_participle_is_the_speaker(quotes, text, speaker):
    assert only(quotes(text)).speaker == speaker


@pytest.mark.parametrize("lead_in", ["rose to say", "interjected to say", "paused to add"])
def test_a_verb_and_to_before_the_speech_verb_leave_its_subject(quotes, lead_in):
    text = f"Rosa Delgado, who signed the plant deal, {lead_in}: “Both have been inconsistent.”"
    assert only(quotes(text)).speaker == "Rosa Delgado"


@pytest.mark.parametrize("verb", ["issued a statement", "released a statement"])
def test_issuing_a_statement_introduces_a_quote(quotes, verb):
    text = f"After the fire, Tomas Varga {verb}, “Nobody was hurt, and the line runs on Monday.”"
    assert only(quotes(text)).speaker == "Tomas Varga"


@pytest.mark.parametrize(
    "text, speaker",
    [
        (
            "“We will not cut prices again this year,” the Swedish cell maker's chief executive said.",
            "the Swedish cell maker's chief executive",
        ),
        ("“Nobody pays extra for range any more,” the veteran engineer said on Tuesday.", "the veteran engineer"),
        ("“Cobalt is finished in our cells,” said the Korean executive, smiling.", "the Korean executive"),
        ("In a call, the Texas entrepreneur said: “Cheaper cells, made here.”", "the Texas entrepreneur"),
        ("The Texas entrepreneur is rolling out a new pitch: “Cheaper cells, made here.”", "The Texas entrepreneur"),
        ("“We lost a year to yield problems,” Northcell's former chief engineer said.", "Northcell's former chief engineer"),
        ("“We lost a year to yield problems,” its former chief engineer said.", "its former chief engineer"),
        ("“Sodium-ion will take a fifth of storage by 2030,” the study's authors wrote.", "the study's authors"),
        ("“Cell prices have bottomed out,” the newspaper reported on Sunday.", "the newspaper"),
        (
            "“The battery tax is a bad idea,” the Hollywood actor said at the rally.",
            "the Hollywood actor",
        ),
    ],
)
def test_definite_description_without_a_name_is_the_speaker_as_written(quotes, text, speaker):
    assert only(quotes(text)).speaker == speaker


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("Ministers called the plant “a vote of confidence in British manufacturing”.", "Ministers"),
        ("Analysts said the deal was “the cheapest entry into European cathodes”.", "Analysts"),
        ("Wall Street analysts said the deal was “the cheapest entry into European cathodes”.", "Wall Street analysts"),
        ("Striking workers chanted “No deal without the battery plant!”", "Striking workers"),
        ("Union members marching past the gates chanted “Build the battery plant here!”", "Union members"),
        (
            "Small groups of workers stood outside the plant for hours on Friday, chanting “Build it here!”",
            "Small groups of workers",
        ),
        ("“Build the battery plant here!” the crowd chanted.", "the crowd"),
        ("“Build the battery plant here!” chanted striking workers.", "striking workers"),
        ("These workers called the plan “a betrayal of the whole valley”.", "These workers"),
        (
            "Mayor Ana Ruiz spoke first. It got loud when Ruiz protesters interrupted the"
            " speech, shouting “She wins, we lose!”",
            "Ruiz protesters",
        ),
    ],
)
def test_people_named_as_a_group_are_the_speaker(quotes, text, speaker):
    assert only(quotes(text)).speaker == speaker


@pytest.mark.parametrize(
    "text",
    [
        "“The pouch line is a mess,” a senior engineer at the plant said.",
        "Several analysts said the deal was “the cheapest entry into European cathodes”.",
        "Hundreds of workers chanted “No deal without the battery plant!”",
        "“The pouch line is a mess,” another supplier told me.",
        "Some owners called the update “a downgrade dressed up as a feature”.",
        "Half of owners called the update “a downgrade dressed up as a feature”.",
        "Many owners called the update “a downgrade dressed up as a feature”.",
        "About 40 percent of owners called the update “a downgrade dressed up as a feature”.",
    ],
)
def test_indefinite_roles_stay_unnamed(quotes, text):
    assert only(quotes(text)).speaker is None


@pytest.mark.parametrize(
    "intro",
    [
        "Voltaren chief executive Lena Frisk opened the cathode plant on Monday.",
        "Lena Frisk, Voltaren's chief executive, opened the cathode plant on Monday.",
        "Voltaren's chief executive, Lena Frisk, opened the cathode plant on Monday.",
    ],
)
def test_definite_description_resolves_to_the_person_given_that_title(quotes, intro):
    text = intro + "\n\n“We will double output by 2027,” the chief executive said."
    assert only(quotes(text)).speaker == "Lena Frisk"


@pytest.mark.parametrize(
    "text",
    [
        (
            "I spoke to one engineer who spent a decade on sulfide cells.\n\n"
            "“The coating machines are the bottleneck,” the engineer told me."
        ),
        (
            "A senior executive at a rival supplier doubts the timeline.\n\n"
            "“Nobody ships solid-state cells at scale before 2030,” the executive said."
        ),
    ],
)
def test_definite_description_of_someone_unnamed_before_stays_unnamed(quotes, text):
    assert only(quotes(text)).speaker is None


def test_title_of_another_kind_does_not_resolve_a_description(quotes):
    text = (
        "Voltaren chief executive Lena Frisk opened the cathode plant on Monday.\n\n"
        "“We will double output by 2027,” the plant manager said."
    )
    assert only(quotes(text)).speaker == "the plant manager"


def test_pronoun_after_a_description_refers_to_it(quotes):
    text = (
        "“Nobody pays extra for range any more,” the veteran engineer said. "
        "Prices fell again in March.\n\n“Cheap LFP packs changed that,” he added."
    )
    assert [q.speaker for q in quotes(text)] == ["the veteran engineer"] * 2


def test_he_refers_to_a_subject_set_off_by_a_sentence_adverb(quotes):
    text = (
        "Analyst Chris Ward doubts the plan. Pack maker Jack Buser disagrees.\n\n"
        "“Nobody will have enough cells by 2027,” says Ward.\n\n"
        "Buser, however, is counting on the new line. “This is where the next jump comes,” he says."
    )
    assert quotes(text)[-1].speaker == "Jack Buser"


def test_he_does_not_refer_to_a_group(quotes):
    text = (
        "Gustav Lind runs the cathode line. Striking workers chanted “Build it here!” outside.\n\n"
        "“We will keep the line running,” he said."
    )
    assert [q.speaker for q in quotes(text)] == ["Striking workers", "Gustav Lind"]


def test_a_group_is_not_resolved_to_one_person_with_that_title(quotes):
    text = (
        "Benchline analysts Jo Mercer and Ravi Das cut their targets.\n\n"
        "“Demand is softer than we thought,” analysts said."
    )
    assert only(quotes(text)).speaker == "analysts"


def test_the_object_of_told_is_not_the_speaker(quotes):
    text = "After the launch the engineer and designer told the crowd, “That was our best cell yet.”"
    assert only(quotes(text)).speaker != "the crowd"


@pytest.mark.parametrize(
    "attribution",
    [
        "its spokesperson said",
        "the carmaker's spokesman said in an email",
        "a company spokesperson said",
        "said a spokesperson for Skoda",
        "a spokeswoman for Skoda said on Friday",
    ],
)
def test_spokesperson_of_the_company_named_before_speaks_for_it(quotes, attribution):
    text = f"Skoda posted a loss. “The quarter was hard, but the order book is full,” {attribution}."
    assert only(quotes(text)).speaker == "Skoda"


def test_a_participle_after_a_quote_opens_no_attribution(quotes):
    text = (
        "Tomas Varga said the members would still meet for drinks, but said, “It is time we"
        " changed how we do it,” promising the Friends of Cells would return to its roots."
    )
    assert only(quotes(text)).speaker == "Tomas Varga"


def test_a_report_speaks_for_the_organisation_it_comes_from(quotes):
    text = (
        "Cell prices fell again in May. “Prices will keep falling through the winter,” said a"
        " report from Kestrel Research."
    )
    assert only(quotes(text)).speaker == "Kestrel Research"


def test_name_at_the_end_of_a_paragraph_does_not_run_into_the_next(quotes):
    text = "“The pack is ready for production,” said Lena Frisk\nPrices fell again in March."
    assert only(quotes(text)).speaker == "Lena Frisk"


def test_organisation_speaks_through_its_possessive_spokesperson(quotes):
    text = "“Orders for the new pack exceeded our plan,” BYD's spokesperson said."
    assert only(quotes(text)).speaker == "BYD"


def test_she_skips_a_man_named_after_her(quotes):
    text = (
        "“Storage will outgrow cars for us,” Maya Lund said. Ivan Petrov disagreed. "
        "“Cars are still where the volume is,” he said.\n\n“That is a bet on the past,” she replied."
    )
    assert [q.speaker for q in quotes(text)] == ["Maya Lund", "Ivan Petrov", "Maya Lund"]


def test_a_sentence_after_a_closed_quote_is_not_its_attribution(quotes):
    text = (
        "The union called the plan “another broken promise to the people of this town.” "
        "A spokesperson said members would meet on Monday."
    )
    assert only(quotes(text)).rule.startswith("quote/said-before")


def test_pronoun_after_an_unnamed_person_has_no_speaker(quotes):
    text = (
        "Earlier, Marta Silva said the line was on time. I later spoke to one engineer who worked on it.\n\n"
        "“The coating machines are the bottleneck, not the chemistry,” he told me."
    )
    assert only(quotes(text)).speaker is None


@pytest.mark.parametrize(
    "text",
    [
        "“Nobody wants to be the last company building pouch cells,” said one executive at a rival supplier.",
        "“Nobody wants to be the last company building pouch cells,” a person familiar with the talks said.",
        "“Nobody wants to be the last company building pouch cells, and everybody knows it.”",
    ],
)
def test_unnamed_or_unattributed_speaker_is_none(quotes, text):
    assert only(quotes(text)).speaker is None


@pytest.mark.parametrize("name", ["Karim el Masri", "Pieter van Dijk", "Ana de Souza"])
def test_a_lower_case_particle_stays_inside_a_name_after_a_role(quotes, name):
    text = f"“We spoke to him before he boarded,” his nephew {name} added."
    assert only(quotes(text)).speaker == name


def test_courtesy_title_stays_with_the_full_name(quotes):
    text = (
        "Lukas Brandt runs the company's Saxony plant.\n\n"
        "“We hired four hundred people this year,” Mr. Brandt said."
    )
    assert only(quotes(text)).speaker == "Mr. Lukas Brandt"


def test_courtesy_title_can_be_turned_off_in_the_rules(tmp_path: Path):
    shutil.copytree(rules_dir(), tmp_path / "rules")
    path = tmp_path / "rules" / "speech.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["keep_courtesy_titles"] = False
    path.write_text(json.dumps(data), encoding="utf-8")
    text = (
        "Lukas Brandt runs the plant.\n\n“We hired four hundred people this year,” Mr. Brandt said."
    )
    assert only(find_quotes(text, load_vocabulary(tmp_path / "rules"))).speaker == "Lukas Brandt"


def test_speaker_named_by_according_to_after_the_quote(quotes):
    text = "“The plant will run at full capacity by June,” according to Lena Frisk, its director."
    q = only(quotes(text))
    assert (q.speaker, q.rule) == ("Lena Frisk", "quote/according-to-after")


def test_name_after_a_dash_ending_the_paragraph_is_the_speaker_of_its_quotes(quotes):
    text = (
        "“My fuel bill fell by half after I switched to an EV.” And the charger at home? "
        "“It paid for itself in a year.” ― Rosa Delgado\n\nPrices fell again in March."
    )
    assert [q.speaker for q in quotes(text)] == ["Rosa Delgado"] * 2


def test_hyphenated_word_ending_a_paragraph_is_not_a_dash_name(quotes):
    text = "“My fuel bill fell by half after I switched to an EV.” It was made in Spain by Renault-Nissan.\n"
    assert only(quotes(text)).speaker is None


def test_name_after_a_dash_is_the_speaker(quotes):
    text = "“Charging at home is still the cheapest fuel there is.” ― Hannah Osei\n"
    assert only(quotes(text)).speaker == "Hannah Osei"


# -- organisations as speakers --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("“Orders for the new pack exceeded our plan,” a BYD spokesperson said.", "BYD"),
        ("A BYD spokesperson said the pack had “exceeded every order forecast we made”.", "BYD"),
        (
            "In a statement, Umicore said it would “focus on the contracts that create value”.",
            "Umicore",
        ),
        (
            "The Steelworkers union called the closure “a betrayal of this whole valley”.",
            "Steelworkers",
        ),
        ("“Sales rose in every market we serve,” General Motors said.", "General Motors"),
        (
            "“We apologise to every member for the leak,” the Democratic Party Committee said.",
            "Democratic Party Committee",
        ),
    ],
)
def test_organisation_speaks_without_the_companies_component(quotes, text, speaker):
    assert only(quotes(text, companies=None)).speaker == speaker


@pytest.mark.parametrize(
    "attribution, speaker",
    [
        ("the Varga campaign said in a release", "the Varga campaign"),
        ("Varga’s office said in a statement", "Varga’s office"),
    ],
)
def test_a_campaign_or_office_named_after_a_person_speaks_for_itself(quotes, attribution, speaker):
    text = (
        "Senator Tomas Varga toured the cell plant on Monday. "
        f"“The senator will not take questions until the vote,” {attribution}."
    )
    assert only(quotes(text)).speaker == speaker


@pytest.mark.parametrize("attribution", ["it said", "the carmaker said in a statement"])
def test_it_and_the_company_refer_to_the_organisation_named_before(quotes, attribution):
    text = (
        f"Skoda posted a loss. “The quarter was hard, but the order book is full,” {attribution}."
    )
    assert only(quotes(text)).speaker == "Skoda"


def test_organisation_speaker_takes_the_canonical_company_name(quotes):
    text = "Earlier this year LG Energy Solution signed a deal. LGES said it would “apply its pouch know-how”."
    i = text.index("LGES")
    mentions = [(i, i + 4, "LG Energy Solution", "company")]
    assert only(quotes(text, companies=mentions)).speaker == "LG Energy Solution"


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("Mr. Senators Alan B. Whitcombe said: “The tax credit stays.”", "Mr. Alan B. Whitcombe"),
        ("“The tax credit stays,” said Republicans Alan Whitcombe.", "Alan Whitcombe"),
    ],
)
def test_a_plural_title_glued_to_a_name_is_cut(quotes, text, speaker):
    assert only(quotes(text)).speaker == speaker


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("“The grid is full,” said City Alderman Ana Ruiz.", "Ana Ruiz"),
        ("“The grid is full,” said Senate Minority Whip Ana Ruiz.", "Ana Ruiz"),
        ("“We will hire here,” said Seoul-born Jo Lee.", "Jo Lee"),
        ("“We will hire here,” said Texas-based Jo Lee.", "Jo Lee"),
        ("“We are done with the review,” the Lee-run State Department said.", "State Department"),
    ],
)
def test_an_office_or_a_modifier_glued_before_a_name_is_cut(quotes, text, speaker):
    assert only(quotes(text)).speaker == speaker


@pytest.mark.parametrize(
    "text",
    [
        "“The Valencia line starts in 2027,” said Voltaren CEO Mara Lindqvist.",
        "“The Valencia line starts in 2027,” Voltaren Chief Executive Mara Lindqvist told reporters.",
        "Voltaren CEO Mara Lindqvist said: “The Valencia line starts in 2027.”",
    ],
)
def test_company_and_title_before_a_name_leave_the_person(quotes, text):
    i = text.index("Voltaren")
    mentions = [(i, i + 8, "Voltaren", "company")]
    assert only(quotes(text, companies=mentions)).speaker == "Mara Lindqvist"


@pytest.mark.parametrize(
    "text, speakers",
    [
        (
            'Both reject a cap. Lindqvist: "Our goal is to double the line, not to slow it."'
            ' Berg: "We will sell every cell we make."',
            ["Lindqvist", "Berg"],
        ),
        (
            "Market notes - Benchline Research: “Prices will fall again in the second half.”",
            ["Benchline Research"],
        ),
        (
            "Claims we checked:\n\n“Almost all new cell capacity is going to China, and nobody in"
            " Europe is doing anything about it.”\n\n- Mara Lindqvist.\n\nThat is out of date.",
            ["Mara Lindqvist"],
        ),
        (
            "What the trade press said.\n\nMara Lindqvist, Electrek:\n\n“The Valencia line will"
            " decide whether Europe makes its own cells.”\n\nJon Berg, Battery Weekly: “Sodium is"
            " not a niche any more.”",
            ["Mara Lindqvist", "Jon Berg"],
        ),
        ("“Sodium is not a niche any more.” ― Jon Berg, Battery Weekly", ["Jon Berg"]),
        (
            "Readers wrote in.\n\n“The whole idea of a cheap battery is something we have heard"
            " for years.”\n\n-Ana Ruiz, Lisbon.\n\n“Great plant. It is ready. It never stops"
            " working for the town.”\n\n-Mayor Jon Berg, writing after the opening.",
            ["Ana Ruiz", "Jon Berg"],
        ),
    ],
)
def test_a_name_labelling_a_quote_or_signing_it_below_is_its_speaker(quotes, text, speakers):
    assert [q.speaker for q in quotes(text)] == speakers


@pytest.mark.parametrize(
    "label, speaker",
    [
        ("CELL PRICES ARE NOT WRONG, JUST EARLY - Jo Lee and Ana Ruiz:", "Jo Lee and Ana Ruiz"),
        ("More from Ana Ruiz:", "Ana Ruiz"),
    ],
)
def test_a_round_up_labels_a_quote_with_its_authors(quotes, label, speaker):
    text = (
        "Cell prices fell again in May.\n\n"
        f"{label} “Although the forecasts missed the drop, they were not wrong about the year.”"
    )
    assert only(quotes(text)).speaker == speaker


def test_quoted_paragraph_after_an_attributed_one_goes_on_with_its_speaker(quotes):
    text = (
        "“Sodium cells will undercut LFP by 2027,” Mara Lindqvist told reporters in Gothenburg"
        " when she was asked about a second plant and what it would cost.\n\n"
        "“We have doubled our output since January, and we will double it again next year.”"
    )
    found = quotes(text)
    assert [q.speaker for q in found] == ["Mara Lindqvist", "Mara Lindqvist"]
    assert found[1].rule == "quote/continued"


def test_acronym_speaker_expands_to_the_name_spelt_out(quotes):
    text = "Earlier this year Nordic Cell Works signed a deal. NCW said it would “apply its pouch know-how”."
    assert only(quotes(text)).speaker == "Nordic Cell Works"


def test_the_company_said_refers_to_the_last_company_named(quotes):
    text = (
        "Glenmore Metals bought the recycler last year. "
        "The company said in a statement that the plant would “run at full capacity by June”."
    )
    i = text.index("Glenmore Metals")
    mentions = [(i, i + 15, "Glenmore", "company")]
    assert only(quotes(text, companies=mentions)).speaker == "Glenmore"
    assert only(quotes(text)).speaker == "Glenmore Metals"


@pytest.mark.parametrize("lead", ["Management told analysts on its results call that", "The management said"])
def test_a_companys_management_speaks_for_the_company_named_before(quotes, lead):
    text = (f"Glenmore Metals cut its forecast for a second time. "
            f"{lead} the new smelter would be “the main source of growth next year”.")
    assert only(quotes(text)).speaker == "Glenmore Metals"


@pytest.mark.parametrize("text, speaker", [
    # the carmaker named before, not the oil company named last nor the demonym
    ("Honda will buy fuel from Shell. “We are ready for this,” the Japanese automaker said.",
     "Honda"),
    ("Honda will buy fuel from Shell. The Japanese automaker said: “We are ready for this.”",
     "Honda"),
    ("Shell will buy cells from Honda. “We are ready for this,” the oil major said.", "Shell"),
    # with no carmaker named, a company of no known sector, never one of another sector
    ("Kestrel Corp. will buy fuel from Shell. “We are ready for this,” the Japanese automaker "
     "said.", "Kestrel"),
])
def test_a_description_naming_a_sector_speaks_for_the_company_of_that_sector_named_before(
        nlp, text, speaker):
    found = [c for c in nlp(text)._.claims if c.kind == "quote"]
    assert only(found).speaker == speaker


# -- rules are data -------------------------------------------------------------------------------


def test_speech_verbs_come_from_the_rules_folder(tmp_path: Path):
    shutil.copytree(rules_dir(), tmp_path / "rules")
    path = tmp_path / "rules" / "speech.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["speech_verbs"]["enthuse"] = ["enthused"]
    path.write_text(json.dumps(data), encoding="utf-8")
    text = "Rosa Quint enthused that the cells were “simply the best we have ever tested”."
    assert find_quotes(text, load_vocabulary(rules_dir())) == []
    assert only(find_quotes(text, load_vocabulary(tmp_path / "rules"))).speaker == "Rosa Quint"


# -- the pipeline component -----------------------------------------------------------------------


def test_pipeline_appends_quote_claims_with_exact_offsets(nlp):
    text = (
        "Gigafactory boss Sven Holm opened the line on Monday.\n\n"
        "“This is the cheapest cell we have ever made,” Holm said. “And the safest.”"
    )
    doc = nlp(text)
    found = [c for c in doc._.claims if c.kind == "quote"]
    q = only(found)
    assert q.speaker == "Sven Holm"
    assert q.text == "This is the cheapest cell we have ever made, And the safest."
    assert (
        text[q.start : q.end]
        == "This is the cheapest cell we have ever made,” Holm said. “And the safest."
    )

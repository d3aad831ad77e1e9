"""The factories: every component registered by one function, under the names and in the order
the pipeline runs them (later components read what earlier ones found), each given the rules
folder the pipeline resolved."""

from __future__ import annotations

import spacy
from spacy.language import Language

from monitor.nlp.factories import register_factories
from monitor.nlp.rulebook import rulebook

# pinned: a stored pipeline config or a changed order must be a deliberate change
PIPELINE = [
    "monitor_sentences", "monitor_companies", "monitor_quantities", "monitor_quotes",
    "monitor_claims",
]


def test_the_pipeline_runs_the_factories_by_name_in_order(nlp):
    assert nlp.pipe_names == PIPELINE


def test_each_component_is_given_the_rules_folder_the_pipeline_resolved(nlp):
    folder = str(rulebook(None).folder)
    assert nlp.meta["rules_dir"] == folder
    assert {nlp.get_pipe_config(name)["rules_dir"] for name in PIPELINE} == {folder}


def test_registering_again_is_harmless_and_registers_every_factory():
    register_factories()
    register_factories()
    assert all(Language.has_factory(name) for name in PIPELINE)
    blank = spacy.blank("en")
    blank.add_pipe("monitor_quantities", config={"rules_dir": str(rulebook(None).folder)})
    assert blank.pipe_names == ["monitor_quantities"]

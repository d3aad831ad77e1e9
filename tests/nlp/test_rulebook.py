"""The rules folder read once: every component built over one folder shares one reading of its files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from monitor.nlp.pipeline import extract_claims, load_pipeline
from monitor.nlp.quotes.finder import find_quotes
from monitor.nlp.quotes.vocabulary import load_vocabulary
from monitor.nlp.rulebook import rulebook
from monitor.nlp.sentences import SentenceSplitter
from monitor.resources import rules_dir

TEXT = "CATL cut prices to $90/kWh, a 20% fall. “We are ready,” said Robin Zeng, its chairman."


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the shipped rules no other test has read."""
    shutil.copytree(rules_dir(), tmp_path / "rules")
    return tmp_path / "rules"


def test_components_built_over_one_folder_read_each_file_once(folder):
    SentenceSplitter(folder)  # the first component reads the folder
    for path in folder.iterdir():
        path.write_text("not the rules any more", encoding="utf-8")
    # every other component, the whole pipeline, builds from that one reading
    nlp = load_pipeline(str(folder))
    assert extract_claims(TEXT, nlp=nlp) == extract_claims(TEXT, nlp=load_pipeline())
    assert nlp.meta["rules_version"] == rulebook(rules_dir()).version
    assert rulebook(folder).json("speech.json") is rulebook(folder).json("speech.json")


def test_a_folder_is_one_rulebook_however_its_path_is_written(folder, monkeypatch):
    monkeypatch.chdir(folder.parent)
    assert rulebook("rules") is rulebook(folder) is rulebook(folder / ".." / "rules")


def test_the_configured_folder_is_the_default(folder, monkeypatch):
    monkeypatch.setenv("MONITOR_RULES", str(folder))
    assert rulebook() is rulebook(folder)


def test_a_different_folder_is_read_separately(folder, tmp_path):
    edited = tmp_path / "edited"
    shutil.copytree(folder, edited)
    path = edited / "speech.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["speech_verbs"]["enthuse"] = ["enthused"]
    path.write_text(json.dumps(data), encoding="utf-8")
    text = "Rosa Quint enthused that the cells were “simply the best we have ever tested”."
    assert find_quotes(text, load_vocabulary(folder)) == []
    assert [q.speaker for q in find_quotes(text, load_vocabulary(edited))] == ["Rosa Quint"]
    assert rulebook(edited).version != rulebook(folder).version


def test_the_version_hashes_every_file_by_name_and_content(tmp_path):
    # the value stamped on claims before the rulebook: stored claims keep comparing equal
    (tmp_path / "sub").mkdir()
    (tmp_path / "units.jsonl").write_text('{"unit": "kWh"}\n')
    (tmp_path / "sub" / "x.json").write_text('{"a": 1}')
    (tmp_path / "a-c").write_text("x")
    assert rulebook(tmp_path).version == "34677a67453e"


def test_a_broken_rules_line_is_named_by_file_and_line(tmp_path):
    (tmp_path / "units.jsonl").write_text('{"unit": "kWh"}\n{"unit": \n')
    with pytest.raises(ValueError, match=r"units\.jsonl:2: "):
        rulebook(tmp_path).records("units.jsonl")


def test_a_missing_rules_file_is_an_error_unless_optional(tmp_path):
    with pytest.raises(FileNotFoundError, match="speech.json"):
        rulebook(tmp_path).json("speech.json")
    assert rulebook(tmp_path).records("companies.jsonl", optional=True) == []
    assert rulebook(tmp_path).json("company_sectors.json", optional=True) == {}

"""`monitor claims track` and `monitor claims conflicts` on a real database, and `monitor claims`
listing as it always did beside them."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from support import analyst_db
from support.analyst_db import CATL_SHARE, CHINA_CELLS

from monitor.cli.main import cli


@pytest.fixture
def run(db_path, tmp_path):
    analyst_db.build(db_path).conn.close()
    runner = CliRunner()

    def invoke(*args: str, config: str | None = None):
        prefix = ["--db", str(db_path)]
        if config is not None:
            (tmp_path / "monitor.toml").write_text(config)
            prefix += ["--config", str(tmp_path / "monitor.toml")]
        return runner.invoke(cli, [*prefix, *args], catch_exceptions=False)

    return invoke


def test_claims_lists_quotes_as_before(run):
    result = run("claims", "--kind", "quote", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [r["speaker"] for r in json.loads(result.stdout)] == ["Robin Zeng", "Robin Zeng"]


def test_listing_options_before_a_subcommand_are_refused(run):
    result = run("claims", "--kind", "quote", "track")
    assert result.exit_code == 2 and "--kind" in result.stderr and "claims track" in result.stderr


def test_track_table_shows_each_claim_with_sources_dates_and_values(run):
    result = run("claims", "track")
    assert result.exit_code == 0, result.stderr
    china = next(line for line in result.stdout.splitlines() if line.startswith("China"))
    assert "capacity_share" in china and "2026-01-12" in china and "2026-01-20" in china
    assert "83% (wire.example); 77% (daily.example)" in china


def test_track_json_has_every_figure_of_a_claim(run):
    [china] = json.loads(run("claims", "track", "--subject", "CHINA", "--format", "json").stdout)
    assert china["claim_key"] == CHINA_CELLS and china["sources"] == ["wire.example", "daily.example"]
    assert [f["source"] for f in china["figures"]] == ["wire.example", "portal.example", "daily.example"]
    assert [(v["value"], v["sources"]) for v in china["values"]] == [(83, ["wire.example"]), (77, ["daily.example"])]


def test_track_csv_filters_by_metric_and_date(run):
    rows = list(csv.DictReader(io.StringIO(
        run("claims", "track", "--metric", "market_share", "--since", "2026-01-15", "--format", "csv").stdout)))
    assert [r["claim_key"] for r in rows] == [CATL_SHARE, "lg energy solution|market_share||2026-q1"]
    assert rows[0]["source_list"] == "wire.example, daily.example"


def test_track_min_sources(run):
    rows = json.loads(run("claims", "track", "--min-sources", "2", "--format", "json").stdout)
    assert [r["claim_key"] for r in rows] == [CHINA_CELLS, CATL_SHARE]


def test_conflicts_shows_both_sides(run):
    result = run("claims", "conflicts")
    assert result.exit_code == 0, result.stderr
    assert "83% (wire.example, 2026-01-12)" in result.stdout and "77% (daily.example, 2026-01-20)" in result.stdout
    assert "7.2%" in result.stdout


def test_conflicts_json_carries_sentences(run):
    [conflict] = json.loads(run("claims", "conflicts", "--format", "json").stdout)
    assert conflict["a"]["sentence"].startswith("China accounts for 83%")
    assert conflict["b"]["source"] == "daily.example"


@pytest.mark.parametrize(
    "args, config, found",
    [
        ((), None, 1),
        (("--tolerance", "0.1"), None, 0),
        ((), "conflict_tolerance = 0.1\n", 0),
        (("--tolerance", "0.01"), "conflict_tolerance = 0.1\n", 1),
        (("--subject", "CATL"), None, 0),
    ],
)
def test_conflicts_honour_the_tolerance_setting_and_option(run, args, config, found):
    rows = list(csv.DictReader(io.StringIO(run("claims", "conflicts", *args, "--format", "csv", config=config).stdout)))
    assert len(rows) == found


def test_nothing_to_show_says_so(run):
    assert run("claims", "track", "--subject", "Atlantis").stdout.strip() == "no tracked claims"
    assert run("claims", "conflicts", "--metric", "jobs").stdout.strip() == "no conflicting figures"


def test_a_bad_tolerance_is_a_usage_error(run):
    result = run("claims", "conflicts", "--tolerance", "2")
    assert result.exit_code == 2 and "--tolerance" in result.stderr

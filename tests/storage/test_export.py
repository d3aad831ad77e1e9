"""`monitor export`: claims with their articles as CSV, JSON or JSON lines, filtered."""

import csv
import io
import json

import pytest
from click.testing import CliRunner
from support import analyst_db

from monitor.cli.main import cli
from monitor.review import workflow as review


@pytest.fixture
def db(db_path):
    return analyst_db.build(db_path)


def export(db_path, *args):
    result = CliRunner().invoke(cli, ["--db", str(db_path), "export", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_csv_has_a_header_and_one_row_per_claim(db, db_path):
    rows = list(csv.DictReader(io.StringIO(export(db_path, "--format", "csv"))))
    assert len(rows) == db["claims"].count
    assert {"id", "kind", "text", "review_status", "article_title", "source", "published"} <= set(
        rows[0]
    )


def test_json_is_one_document(db, db_path):
    rows = json.loads(export(db_path, "--format", "json", "--kind", "quote"))
    assert [r["speaker"] for r in rows] == ["Robin Zeng", "Robin Zeng"]


def test_jsonl_is_one_object_per_line(db, db_path):
    lines = export(db_path, "--format", "jsonl", "--since", "2026-02-01").splitlines()
    assert {json.loads(line)["published"] for line in lines} == {"2026-02-03", "2026-02-15"}


@pytest.mark.parametrize("fmt,empty", [("csv", ""), ("json", "[]\n"), ("jsonl", "")])
def test_nothing_to_export_is_still_valid_output(db, db_path, fmt, empty):
    assert export(db_path, "--format", fmt, "--status", "accepted") == empty


def test_status_filter_exports_only_reviewed_claims(db, db_path):
    review.set_status(db, [7], "accepted", reviewer="ana", note="BNEF")
    rows = json.loads(export(db_path, "--format", "json", "--status", "accepted"))
    assert [(r["id"], r["reviewer"], r["review_note"]) for r in rows] == [(7, "ana", "BNEF")]


def test_output_file_gets_the_export(db, db_path, tmp_path):
    out = tmp_path / "claims.jsonl"
    export(db_path, "--format", "jsonl", "-o", str(out))
    assert len(out.read_text(encoding="utf-8").splitlines()) == db["claims"].count

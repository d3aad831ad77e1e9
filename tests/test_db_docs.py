"""Documentation that cannot drift: every table and column described, every example query runs."""

import re

import click
import pytest
import yaml
from support import ROOT, analyst_db

from monitor.cli.main import cli
from monitor.review import workflow as review

DB_README = (ROOT / "db" / "README.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
METADATA = yaml.safe_load((ROOT / "db" / "metadata.yml").read_text(encoding="utf-8"))
DESCRIBED = METADATA["databases"]["monitor"]["tables"]
FTS_SHADOWS = re.compile(r"_fts_(data|idx|docsize|config|content)$")
QUERIES = re.findall(r"^### (\d+)\. .*?\n\n```sql\n(.*?)```", DB_README, flags=re.S | re.M)
ANALYST_COMMANDS = ["review", "reprocess", "export", "serve"]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    db = analyst_db.build(tmp_path_factory.mktemp("docs") / "monitor.db")
    review.set_status(db, [1, 7], "accepted", reviewer="ana", note="in the source")
    review.set_status(db, [15], "rejected", reviewer="ben")
    return db


def relations(db):
    names = [n for n in db.table_names() if not FTS_SHADOWS.search(n)] + db.view_names()
    return {
        n: [c.name for c in (db.view(n) if n in db.view_names() else db[n]).columns] for n in names
    }


def readme_section(name):
    match = re.search(
        rf"^### `{name}` \((table|view)\)\n(.*?)(?=^##)", DB_README, flags=re.S | re.M
    )
    return match.group(2) if match else ""


def test_every_table_and_column_is_described_in_the_metadata(db):
    missing = [
        f"{t}.{c}"
        for t, cols in relations(db).items()
        for c in cols
        if not (DESCRIBED.get(t) or {}).get("columns", {}).get(c)
    ]
    assert missing == []
    assert all(DESCRIBED[t].get("description") for t in relations(db))


def test_every_table_and_column_is_explained_in_db_readme(db):
    missing = [
        f"{t}.{c}"
        for t, cols in relations(db).items()
        for c in cols
        if f"| `{c}` |" not in readme_section(t)
    ]
    assert missing == []


def test_db_readme_numbers_its_example_queries_in_order():
    assert [int(n) for n, _ in QUERIES] == list(range(1, len(QUERIES) + 1))
    assert len(QUERIES) >= 10


@pytest.mark.parametrize("number,sql", QUERIES, ids=[f"query-{n}" for n, _ in QUERIES])
def test_example_query_answers_on_the_fixture(db, number, sql):
    rows = list(db.query(sql))
    assert rows, f"query {number} returned nothing"


def test_context_query_cuts_the_claim_out_of_the_text_exactly(db):
    sql = dict(QUERIES)["10"]
    assert all(row["claim"] == row["text"] for row in db.query(sql))


@pytest.mark.parametrize("name", ANALYST_COMMANDS)
def test_analyst_commands_have_help_and_are_in_the_readme(name):
    command = cli.commands[name]
    assert command.help
    assert f"`{name}" in README
    params = [p for p in command.params if isinstance(p, click.Option)]
    subcommands = getattr(command, "commands", {}).values()
    for param in params + [
        p for sub in subcommands for p in sub.params if isinstance(p, click.Option)
    ]:
        assert param.help, f"{name} {param.opts} has no help"
        assert any(opt in README for opt in param.opts), f"{name} {param.opts} is not in README.md"

"""`monitor reviewers add|list|remove` and who `monitor review` records."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from support import analyst_db

from monitor.cli.main import cli
from monitor.review import passwords, reviewers
from monitor.storage.connection import open_db

PASSWORD = "correct horse battery"


@pytest.fixture
def run(db_path):
    runner = CliRunner()

    def invoke(*args: str, stdin: str | None = None, env: dict | None = None):
        return runner.invoke(
            cli, ["--db", str(db_path), *args], input=stdin, env=env, catch_exceptions=False
        )

    return invoke


def test_add_reads_the_password_from_stdin_and_stores_only_a_hash(run, db_path):
    result = run("reviewers", "add", "ana", stdin=PASSWORD + "\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "added reviewer ana\n"
    stored = open_db(db_path)["reviewers"].get("ana")["password_hash"]
    assert PASSWORD not in stored and passwords.verify_password(PASSWORD, stored)
    assert reviewers.sign_in(open_db(db_path), "ana", PASSWORD) is not None


def test_list_shows_names_and_dates_never_hashes(run):
    run("reviewers", "add", "ana", stdin=PASSWORD + "\n")
    run("reviewers", "add", "bo.k", stdin="another long passphrase\n")
    result = run("reviewers", "list")
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == ["ana", "bo.k"]
    assert "scrypt" not in result.stdout and "added 20" in result.stdout


def test_adding_a_name_twice_is_refused_and_reset_sets_a_new_password(run, db_path):
    run("reviewers", "add", "ana", stdin=PASSWORD + "\n")
    again = run("reviewers", "add", "ana", stdin="another long passphrase\n")
    assert again.exit_code == 1 and "reviewer ana exists" in again.stderr
    assert reviewers.sign_in(open_db(db_path), "ana", PASSWORD) is not None
    reset = run("reviewers", "add", "ana", "--reset", stdin="another long passphrase\n")
    assert reset.exit_code == 0, reset.stderr
    assert reviewers.sign_in(open_db(db_path), "ana", PASSWORD) is None
    assert reviewers.sign_in(open_db(db_path), "ana", "another long passphrase") is not None


@pytest.mark.parametrize(
    "name,password,message",
    [
        ("ana", "short\n", "at least 10 characters"),
        ("ana", "", "no password on standard input"),
        ("ana bob", PASSWORD + "\n", "reviewer name 'ana bob'"),
        ("-x", PASSWORD + "\n", "reviewer name"),
        ("a" * 65, PASSWORD + "\n", "reviewer name"),
        ("<b>ana</b>", PASSWORD + "\n", "reviewer name"),
    ],
)
def test_unusable_names_and_passwords_are_refused_in_one_line(run, db_path, name, password, message):
    result = run("reviewers", "add", "--", name, stdin=password) if name.startswith("-") else run(
        "reviewers", "add", name, stdin=password
    )
    assert result.exit_code == 1
    assert message in result.stderr and len(result.stderr.splitlines()) == 1
    assert open_db(db_path)["reviewers"].count == 0


def test_remove_deletes_the_reviewer_but_keeps_their_reviews(run, db_path):
    db = analyst_db.build(db_path)
    run("reviewers", "add", "ana", stdin=PASSWORD + "\n")
    run("review", "--reviewer", "ana", "accept", "1")
    assert run("reviewers", "remove", "ana").stdout == "removed reviewer ana\n"
    assert open_db(db_path)["reviewers"].count == 0
    assert [r["reviewer"] for r in db["review_log"].rows] == ["ana"]
    missing = run("reviewers", "remove", "ana")
    assert missing.exit_code == 1 and "no reviewer ana" in missing.stderr


def test_review_records_the_reviewer_option_else_the_login_name(run, db_path, monkeypatch):
    db = analyst_db.build(db_path)
    monkeypatch.delenv("MONITOR_REVIEWER", raising=False)
    monkeypatch.setattr("getpass.getuser", lambda: "osuser")
    run("review", "accept", "1")
    run("review", "--reviewer", "ana", "reject", "2")
    run("review", "--reviewer", "  ", "accept", "3")
    assert [(r["claim"], r["reviewer"]) for r in db["review_log"].rows] == [
        (1, "osuser"), (2, "ana"), (3, "osuser")
    ]


def test_review_without_any_login_name_asks_for_one(run, db_path, monkeypatch):
    analyst_db.build(db_path)
    monkeypatch.delenv("MONITOR_REVIEWER", raising=False)

    def no_user():
        raise OSError("No username set in the environment")

    monkeypatch.setattr("getpass.getuser", no_user)
    result = run("review", "accept", "1")
    assert result.exit_code == 1 and "give --reviewer NAME" in result.stderr

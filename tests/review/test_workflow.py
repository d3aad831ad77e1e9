"""Review that loses nothing: statuses, notes, the log, the terminal queue and reprocessing."""

import pytest
from click.testing import CliRunner
from support import analyst_db

from monitor.cli.main import cli
from monitor.models import Claim
from monitor.review import workflow as review
from monitor.storage.articles import save_article


@pytest.fixture
def db(db_path):
    return analyst_db.build(db_path)


def claim_id(db, text, article=1):
    return db.execute(
        "SELECT id FROM claims WHERE text = ? AND article = ?", [text, article]
    ).fetchone()[0]


def run(db_path, *args, input=None):
    return CliRunner().invoke(cli, ["--db", str(db_path), *args], input=input)


def test_accepting_records_reviewer_time_and_note(db):
    cid = claim_id(db, "83%")
    assert (
        review.set_status(db, [cid], "accepted", reviewer="ana", note="matches the agency report")
        == 1
    )
    row = db["claims"].get(cid)
    assert (row["review_status"], row["reviewer"], row["review_note"]) == (
        "accepted",
        "ana",
        "matches the agency report",
    )
    assert row["reviewed"].endswith("Z")


def test_every_change_is_appended_to_the_review_log(db):
    cid = claim_id(db, "83%")
    review.set_status(db, [cid], "accepted", reviewer="ana")
    review.add_note(db, cid, "check the 2025 figure", reviewer="ben")
    review.set_status(db, [cid], "rejected", reviewer="ben", note="capacity, not output")
    log = [
        (r["reviewer"], r["old_status"], r["new_status"], r["note"])
        for r in review.review_history(db, cid)
    ]
    assert log == [
        ("ana", "pending", "accepted", None),
        ("ben", "accepted", "accepted", "check the 2025 figure"),
        ("ben", "accepted", "rejected", "capacity, not output"),
    ]


def test_writes_from_plain_sql_are_logged_too(db):
    cid = claim_id(db, "37%")
    db.execute(
        "UPDATE claims SET review_status = 'rejected', reviewer = 'sqlite3' WHERE id = ?", [cid]
    )
    assert [(r["reviewer"], r["new_status"]) for r in review.review_history(db, cid)] == [
        ("sqlite3", "rejected")
    ]


def test_review_of_a_missing_claim_changes_nothing(db):
    cid = claim_id(db, "83%")
    with pytest.raises(review.ReviewError):
        review.set_status(db, [cid, 999_999], "accepted", reviewer="ana")
    assert db["claims"].get(cid)["review_status"] == "pending"
    assert db["review_log"].count == 0


@pytest.mark.parametrize("status", ["approved", "", "ACCEPTED"])
def test_unknown_status_is_refused(db, status):
    with pytest.raises(review.ReviewError):
        review.set_status(db, [1], status, reviewer="ana")


def test_queue_marks_the_claim_inside_its_sentence(db):
    item = next(i for i in review.queue(db) if i.text == "77%")
    assert (item.before, item.marked, item.after) == (
        "China has",
        "77%",
        "of global cell capacity, according to BloombergNEF.",
    )
    assert (item.source, item.published, item.article_title) == (
        "daily.example",
        "2026-01-20",
        "Asia dominates cell making",
    )
    assert "of: global cell capacity" in item.detail


def test_queue_skips_reviewed_claims_and_filters_by_kind(db):
    review.set_status(db, [claim_id(db, "83%")], "accepted", reviewer="ana")
    assert "83%" not in [i.text for i in review.queue(db) if i.id == claim_id(db, "83%")]
    assert {i.kind for i in review.queue(db, kind="quote")} == {"quote"}


def test_cli_accept_and_reject_with_a_note(db, db_path):
    a, b = claim_id(db, "83%"), claim_id(db, "37%")
    result = run(
        db_path,
        "review",
        "--reviewer",
        "ana",
        "accept",
        str(a),
        str(b),
        "--note",
        "both in the source",
    )
    assert result.exit_code == 0, result.output
    assert "accepted 2 claim(s)" in result.output
    result = run(db_path, "review", "--reviewer", "ana", "reject", str(b))
    assert result.exit_code == 0
    assert [
        r["review_status"]
        for r in db.query("SELECT review_status FROM claims WHERE id IN (?, ?) ORDER BY id", [a, b])
    ] == ["accepted", "rejected"]


def test_cli_review_of_unknown_id_fails_in_one_line(db_path, db):
    result = run(db_path, "review", "accept", "424242")
    assert result.exit_code == 1
    assert "no claim with id 424242" in result.output


def test_terminal_queue_accepts_rejects_notes_and_quits(db, db_path):
    first_ids = [i.id for i in review.queue(db, limit=3)]
    # accept, reject, then a note on the third, then quit
    result = run(db_path, "review", "--reviewer", "ana", input="arnneeds checking\nq")
    assert result.exit_code == 0, result.output
    assert "«83%»" in result.output and "wire.example" in result.output
    statuses = [db["claims"].get(i)["review_status"] for i in first_ids]
    assert statuses == ["accepted", "rejected", "pending"]
    assert db["claims"].get(first_ids[2])["review_note"] == "needs checking"
    assert "1 accepted, 1 rejected, 0 skipped, 1 noted" in result.output


def test_terminal_queue_skips_and_ends_when_empty(db, db_path):
    pending = len(review.queue(db, limit=1000))
    result = run(db_path, "review", "--kind", "quote", input="ss")
    assert result.exit_code == 0
    assert "queue empty" in result.output and "2 skipped" in result.output
    assert len(review.queue(db, limit=1000)) == pending


def test_reviewed_claim_found_again_keeps_id_status_reviewer_and_note(db):
    story = analyst_db.STORIES[0]
    cid = claim_id(db, "83%")
    review.set_status(db, [cid], "accepted", reviewer="ana", note="agency figure")
    shifted = analyst_db.Story(
        story.url,
        story.source,
        story.published,
        story.title,
        "Updated. " + story.text,
        story.claims,
    )
    save_article(
        db, analyst_db.story_article(shifted), analyst_db.story_claims(shifted), rules_version="r2"
    )
    row = db.execute(
        "SELECT id, review_status, reviewer, review_note, start FROM claims "
        "WHERE article = 1 AND text = '83%'"
    ).fetchone()
    assert row[:4] == (cid, "accepted", "ana", "agency figure")
    assert row[4] == story.text.index("83%") + len("Updated. ")
    assert [r["new_status"] for r in review.review_history(db, cid)] == ["accepted"]


def test_reviewed_claim_no_longer_found_leaves_a_dropped_entry(db):
    story = analyst_db.STORIES[0]
    cid = claim_id(db, "37%")
    review.set_status(db, [cid], "rejected", reviewer="ana")
    kept = [c for c in analyst_db.story_claims(story) if c.text != "37%"]
    save_article(db, analyst_db.story_article(story), kept, rules_version="r2")
    assert [(r["old_status"], r["new_status"]) for r in review.review_history(db, cid)] == [
        ("pending", "rejected"),
        ("rejected", "dropped"),
    ]


def test_a_dropped_claims_id_is_never_given_to_another_claim(db):
    story = analyst_db.STORIES[-1]
    last = db.execute("SELECT max(id) FROM claims").fetchone()[0]
    review.set_status(db, [last], "accepted", reviewer="ana")
    other = Claim(
        kind="company", text="Northvolt", start=0, end=9, rule="company/test", company="Northvolt"
    )
    save_article(db, analyst_db.story_article(story), [other], rules_version="r2")
    assert db.execute("SELECT min(id) FROM claims WHERE article = 5").fetchone()[0] > last


def test_reprocess_keeps_an_accepted_claim_and_shows_progress(db, db_path):
    """The real rules find "83%" again in the stored text, so its review survives."""
    cid = claim_id(db, "83%")
    review.set_status(db, [cid], "accepted", reviewer="ana", note="checked")
    result = run(db_path, "reprocess", "--article", "1")
    assert result.exit_code == 0, result.output
    assert "reprocessed 1 article(s)" in result.output
    assert "reviewed claim(s) no longer found" not in result.output
    row = db["claims"].get(cid)
    assert (row["review_status"], row["review_note"]) == ("accepted", "checked")

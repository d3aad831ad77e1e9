"""Backfill into a real SQLite file: stored as polled pages are, counted per file, resumable."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys

import pytest
from support import ROOT
from support.backfill import crawl, stored_rows as rows
from support.warcs import Page, battery_story, write_warc

from monitor.backfill import run
from monitor.backfill.job import BackfillOptions
from monitor.backfill.run import backfill
from monitor.backfill.runners import PoolRunner
from monitor.review import workflow as review
from monitor.storage.connection import open_db


def test_kept_pages_are_stored_and_each_file_counted(tmp_path, db_path):
    one = crawl(tmp_path / "one.warc.gz", 0, 3)
    two = crawl(tmp_path / "two.warc.gz", 3, 2)
    report = backfill(open_db(db_path), [str(one), str(two)])
    articles, claims, files = rows(db_path)
    assert [a[0] for a in articles] == [f"https://cells.example/news/{n}" for n in range(5)]
    assert claims and report.kept == 5 and report.claims == len(claims)
    assert files == [(str(one), 5, 2, 3, 0, report.claims - sum(1 for c in claims if c[0].endswith(("/3", "/4"))), 1),
                     (str(two), 3, 1, 2, 0, sum(1 for c in claims if c[0].endswith(("/3", "/4"))), 1)]


def test_a_finished_file_is_not_read_again_and_nothing_is_stored_twice(tmp_path, db_path):
    warc = crawl(tmp_path / "one.warc.gz", 0, 3)
    backfill(open_db(db_path), [str(warc)])
    before = rows(db_path)
    again = backfill(open_db(db_path), [str(warc)])
    assert (again.files_finished_before, again.read, again.kept) == (1, 0, 0)
    assert rows(db_path) == before


def test_a_page_stored_already_is_skipped_and_its_review_kept(tmp_path, db_path):
    db = open_db(db_path)
    backfill(db, [str(crawl(tmp_path / "one.warc.gz", 0, 2))])
    claim_id = db.execute("SELECT id FROM claims ORDER BY id LIMIT 1").fetchone()[0]
    review.set_status(db, [claim_id], "accepted", reviewer="ana")
    # the same stories archived again by another crawl, with tracking parameters
    again = write_warc(tmp_path / "again.warc.gz", [
        Page(url=f"https://cells.example/news/{n}?utm_source=rss", body=battery_story(n)) for n in range(2)])
    report = backfill(db, [str(again)])
    assert (report.kept, report.skipped) == (0, 2)
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    assert db.execute("SELECT review_status FROM claims WHERE id = ?", [claim_id]).fetchone()[0] == "accepted"


def test_a_syndicated_copy_on_another_site_is_linked_to_the_original(tmp_path, db_path):
    copy = battery_story(1).replace(b"All rights reserved.", b"Syndicated from Cell Wire.")
    warc = write_warc(tmp_path / "one.warc.gz", [Page(url="https://cells.example/news/1", body=battery_story(1)),
                                                  Page(url="https://other.example/cells", body=copy)])
    backfill(open_db(db_path), [str(warc)])
    articles, _, _ = rows(db_path)
    assert [(a[0], a[3]) for a in articles] == [("https://cells.example/news/1", 0), ("https://other.example/cells", 1)]


def test_a_missing_file_fails_alone_and_is_tried_again_next_time(tmp_path, db_path):
    good = crawl(tmp_path / "good.warc.gz", 0, 1)
    missing = tmp_path / "later.warc.gz"
    report = backfill(open_db(db_path), [str(missing), str(good)])
    assert list(report.failed_files) == [str(missing)] and report.kept == 1
    crawl(missing, 5, 1)
    retried = backfill(open_db(db_path), [str(missing), str(good)])
    assert (retried.failed_files, retried.kept, retried.files_finished_before) == ({}, 1, 1)


KILLABLE = """
import os, signal, sys
from monitor.backfill import writer
from monitor.backfill import run
from monitor.backfill.job import BackfillOptions
from monitor.backfill.run import backfill
from monitor.backfill.runners import PoolRunner
from monitor.backfill.runners import PoolRunner
from monitor.storage.connection import open_db
options = BackfillOptions(records_per_task={per_task}, slice_bytes={slice_bytes})
seen = []
def observed(event):  # kill -9 itself at the `after`th event: no race with the test, whatever the load
    seen.append(event)
    if len(seen) == {after}:
        os.kill(os.getpid(), signal.SIGKILL)
def progress(report, result):  # a slice stored and committed
    if result is not None and {when!r} == "stored":
        observed(result)
add_to_file = writer.add_to_file
def inside(*args, **kwargs):  # a slice's pages written, its transaction not committed yet
    if {when!r} == "writing":
        observed(args)
    return add_to_file(*args, **kwargs)
writer.add_to_file = inside
backfill(open_db(sys.argv[1]), sys.argv[2:], options=options, progress=progress,
         runner=PoolRunner(options, {workers}) if {workers} else None)
"""


@pytest.mark.slow
@pytest.mark.parametrize(("per_task", "after", "slice_bytes", "workers", "when"), [
    (1, 5, 1 << 30, 0, "stored"), (4, 2, 1 << 30, 0, "stored"),
    (2, 4, 5000, 2, "stored"),  # files cut into ranges, on a pool
    (1, 6, 1 << 30, 0, "writing"), (2, 5, 5000, 2, "writing"),  # inside a slice's transaction
])
def test_kill_9_then_rerun_stores_what_an_uninterrupted_run_stores(tmp_path, per_task, after, slice_bytes, workers,
                                                                    when):
    warcs = [str(crawl(tmp_path / f"{name}.warc.gz", first, 6)) for name, first in (("a", 0), ("b", 20))]
    reference = tmp_path / "reference.db"
    backfill(open_db(reference), warcs, options=BackfillOptions(records_per_task=per_task))
    killed = tmp_path / "killed.db"
    script = KILLABLE.format(per_task=per_task, after=after, slice_bytes=slice_bytes, workers=workers, when=when)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.run([sys.executable, "-c", script, str(killed), *warcs], env=env, timeout=300, check=False)
    assert child.returncode == -signal.SIGKILL
    stored = _stored(killed)
    assert 0 < stored < 12  # killed half-way
    options = BackfillOptions(records_per_task=per_task, slice_bytes=slice_bytes)
    rerun = backfill(open_db(killed), warcs, options=options)
    assert rerun.kept == 12 - stored  # the rest, each once (the files' counts in `rows` show nothing was read twice)
    assert rows(killed) == rows(reference)


def _stored(path) -> int:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def test_the_options_reach_every_slice(tmp_path, db_path):
    warc = crawl(tmp_path / "one.warc.gz", 0, 4, plain_every=1)
    report = backfill(open_db(db_path), [str(warc)], options=BackfillOptions(keep_all=True, records_per_task=3))
    assert (report.read, report.kept) == (8, 8)


def test_a_file_cut_into_ranges_stores_what_one_range_stores(tmp_path):
    warc = str(crawl(tmp_path / "big.warc.gz", 0, 9))
    whole, cut = tmp_path / "whole.db", tmp_path / "cut.db"
    backfill(open_db(whole), [warc], options=BackfillOptions(records_per_task=2))
    report = backfill(open_db(cut), [warc], options=BackfillOptions(records_per_task=2, slice_bytes=5000))
    ranges = sqlite3.connect(cut).execute("SELECT count(*), sum(done) FROM backfill_slices").fetchone()
    assert ranges[0] > 2 and ranges[0] == ranges[1]
    assert (report.kept, report.files_done, report.bytes_done) == (9, 1, os.path.getsize(warc))
    assert rows(cut) == rows(whole)


@pytest.mark.slow
def test_one_file_gets_a_range_for_every_slice_the_runner_keeps_in_flight_and_smaller_ones_at_its_end(
        tmp_path, monkeypatch):
    warc = str(crawl(tmp_path / "one.warc.gz", 0, 9))
    alone, pool = tmp_path / "alone.db", tmp_path / "pool.db"
    backfill(open_db(alone), [warc], options=BackfillOptions(records_per_task=2))
    monkeypatch.setattr(run, "SMALLEST_RANGE_BYTES", 1)  # the test's file is a few kB, not the megabytes of a real one
    options = BackfillOptions(records_per_task=2)  # slice_bytes: 64 MB, far more than the file
    runner = PoolRunner(options, 2)
    report = backfill(open_db(pool), [warc], options=options, runner=runner)
    conn = sqlite3.connect(pool)
    ranges = conn.execute("SELECT count(*), sum(done) FROM backfill_slices").fetchone()
    assert ranges[0] == ranges[1] and ranges[0] > runner.slots == 4
    lengths = [end - start for start, end in conn.execute(
        "SELECT start_offset, coalesce(end_offset, ?) FROM backfill_slices ORDER BY start_offset",
        [os.path.getsize(warc)])]
    assert lengths[0] > 2 * lengths[-1]  # a quarter of the file first, a record or two at its end
    assert (report.kept, report.files_done) == (9, 1)
    assert rows(pool) == rows(alone)


def test_the_time_left_goes_by_what_this_run_read_and_ends_at_zero(tmp_path, db_path):
    first, second = (str(crawl(tmp_path / f"{n}.warc.gz", 10 * n, 3)) for n in range(2))
    backfill(open_db(db_path), [first])  # done before: not part of this run's rate
    seen = []
    backfill(open_db(db_path), [first, second, str(crawl(tmp_path / "2.warc.gz", 20, 3))],
             options=BackfillOptions(records_per_task=2), progress=lambda report, _: seen.append(report.seconds_left))
    assert seen[0] is None and seen[-1] == 0
    assert all(left > 0 for left in seen[1:-1] if left is not None) and any(left for left in seen[1:-1])

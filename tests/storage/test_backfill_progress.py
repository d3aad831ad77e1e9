"""Backfill progress rows in a real SQLite file: a file's ranges cut once, moved on, and its counts added up."""

from __future__ import annotations

from monitor.storage.backfill import (
    RangeProgress, SliceCounts, add_ranges, add_to_file, file_progress, first_open_offset, has_ranges, move_range,
    open_ranges, range_at, start_file,
)
from monitor.storage.connection import open_db

SOURCE = "/data/crawl-00001.warc.gz"


def test_a_file_is_recorded_once_and_its_ranges_run_from_start_to_start(db_path):
    db = open_db(db_path)
    assert start_file(db, SOURCE).resume_offset == 0 and not has_ranges(db, SOURCE)
    add_ranges(db, SOURCE, [0, 4096, 9000])
    assert start_file(db, SOURCE) == file_progress(db, SOURCE)  # the second start records nothing new
    assert open_ranges(db, SOURCE) == [RangeProgress(0, 4096, 0), RangeProgress(4096, 9000, 4096),
                                       RangeProgress(9000, None, 9000)]


def test_ranges_move_on_until_every_one_is_done_and_the_counts_add_up(db_path):
    db = open_db(db_path)
    start_file(db, SOURCE)
    add_ranges(db, SOURCE, [0, 4096])
    move_range(db, SOURCE, 0, resume_offset=2100, done=False)
    move_range(db, SOURCE, 4096, resume_offset=4096, done=True)
    assert range_at(db, SOURCE, 4096) == RangeProgress(4096, None, 4096, done=True)
    assert range_at(db, SOURCE, 100) is None
    assert first_open_offset(db, SOURCE) == 2100 and open_ranges(db, SOURCE) == [RangeProgress(0, 4096, 2100)]
    add_to_file(db, SOURCE, SliceCounts(read=5, skipped=3, kept=2, claims=7), resume_offset=2100, done=False,
                error=None)
    move_range(db, SOURCE, 0, resume_offset=0, done=True)
    assert first_open_offset(db, SOURCE) is None
    add_to_file(db, SOURCE, SliceCounts(read=4, skipped=1, kept=1, failed=2, claims=1), resume_offset=0, done=True,
                error="a range failed")
    file = file_progress(db, SOURCE)
    assert (file.records_read, file.skipped, file.kept, file.failed, file.claims) == (9, 4, 3, 2, 8)
    assert (file.done, file.error) == (True, "a range failed")
    assert file_progress(db, "/data/never-read.warc.gz").records_read == 0

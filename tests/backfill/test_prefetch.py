"""The next WARC downloaded while one is read: URLs served on loopback (Range supported, as a file
server does) spooled ahead beside a real SQLite file, read as local files, removed once read,
and resumable after a kill -9 at any moment. Overlap is observed in the order of events a
processing hook and the server log, never by timing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from support import ROOT
from support.backfill import crawl, stored_rows
from support.daemon import wait_for
from support.loopback import RangedFile

from monitor.backfill.job import BackfillOptions, run_slice
from monitor.backfill.prefetch import spool_path
from monitor.backfill.run import backfill
from monitor.backfill.runners import DaskRunner, InlineRunner
from monitor.sources.downloads import part_path
from monitor.storage.connection import open_db

OPTIONS = BackfillOptions(records_per_task=4)
NAMES = ("a", "b", "c", "d")


def serve(server, tmp_path, names=NAMES, events: list | None = None, per_file: int = 4) -> dict[str, RangedFile]:
    """WARC.gz files of battery stories on the server at /crawl/NAME.warc.gz; each request (and
    its end) logged in `events`."""
    served = {}
    for n, name in enumerate(names):
        served[name] = RangedFile(crawl(tmp_path / f"{name}.warc.gz", 10 * n, per_file).read_bytes())

        def route(handler, name=name):
            if events is not None:
                events.append(("GET", name))
            served[name](handler)
            if events is not None:
                events.append(("sent", name))

        server.routes[f"/crawl/{name}.warc.gz"] = route
    return served


def urls(server, names=NAMES) -> list[str]:
    return [server.url(f"/crawl/{name}.warc.gz") for name in names]


def hooked(events: list, wait_in_first=None):
    """A task that logs when it starts and ends reading each file; on the first file it first
    waits for `wait_in_first` (what the test wants to have happened while that file is read)."""

    def task(slice_task, options):
        name = slice_task.source.rsplit("/", 1)[-1].removesuffix(".warc.gz")
        events.append(("start", name))
        if name == "a" and wait_in_first is not None:
            wait_for(wait_in_first, 120)
        result = run_slice(slice_task, options)
        events.append(("end", name))
        return result

    return task


def test_the_next_file_is_requested_while_the_first_is_read(tmp_path, db_path, server):
    events: list = []
    serve(server, tmp_path, NAMES[:2], events)
    options = BackfillOptions(records_per_task=100)
    report = backfill(open_db(db_path), urls(server, NAMES[:2]), options=options, prefetch=1,
                      runner=InlineRunner(options, task=hooked(events, lambda: ("sent", "b") in events)))
    assert report.kept == 8 and not report.failed_files
    assert events.index(("GET", "b")) < events.index(("end", "a"))


def test_at_most_prefetch_files_wait_downloaded_ahead(tmp_path, db_path, server):
    events: list = []
    serve(server, tmp_path, NAMES[:3], events)
    options = BackfillOptions(records_per_task=100)
    backfill(open_db(db_path), urls(server, NAMES[:3]), options=options, prefetch=1,
             runner=InlineRunner(options, task=hooked(events, lambda: ("sent", "b") in events)))
    # b waits downloaded while a is read: c is asked for only once the run took b
    assert events.index(("GET", "c")) > events.index(("end", "a"))


def test_with_prefetch_0_each_task_downloads_its_own_file(tmp_path, db_path, server):
    events: list = []
    serve(server, tmp_path, NAMES[:2], events)
    options = BackfillOptions(records_per_task=100)
    report = backfill(open_db(db_path), urls(server, NAMES[:2]), options=options, prefetch=0,
                      runner=InlineRunner(options, task=hooked(events)))
    assert report.kept == 8
    assert events.index(("GET", "b")) > events.index(("end", "a")) > events.index(("GET", "a"))
    assert not (tmp_path / "monitor.db-spool").exists()


def test_a_downloaded_file_is_cut_into_ranges_and_removed_once_read(tmp_path, server):
    serve(server, tmp_path, ("a",), per_file=9)
    local, fetched = tmp_path / "local.db", tmp_path / "fetched.db"
    options = BackfillOptions(records_per_task=2, slice_bytes=5000)
    backfill(open_db(local), [str(tmp_path / "a.warc.gz")], options=options)
    report = backfill(open_db(fetched), urls(server, ("a",)), options=options, prefetch=2)
    ranges = open_db(fetched).execute("SELECT count(*), sum(done) FROM backfill_slices").fetchone()
    assert ranges[0] > 2 and ranges[0] == ranges[1]
    assert (report.kept, report.files_done, report.bytes_done) == (9, 1, (tmp_path / "a.warc.gz").stat().st_size)
    assert stored_rows(fetched)[:2] == stored_rows(local)[:2]
    assert list((tmp_path / "fetched.db-spool").iterdir()) == []


@pytest.mark.parametrize("prefetch", [1, 0])
def test_an_unreachable_url_is_counted_and_skipped_and_the_rest_read(tmp_path, db_path, server, prefetch):
    serve(server, tmp_path, ("a", "c"))
    names = urls(server, ("a", "b", "c"))  # nothing is served at b
    report = backfill(open_db(db_path), names, options=OPTIONS, prefetch=prefetch)
    assert list(report.failed_files) == [names[1]] and "HTTP 404" in report.failed_files[names[1]]
    assert (report.kept, report.files_done, report.files) == (8, 2, 3)
    row = open_db(db_path).execute("SELECT done, error FROM backfill_files WHERE source = ?", [names[1]]).fetchone()
    assert row == (0, report.failed_files[names[1]])
    again = backfill(open_db(db_path), names, options=OPTIONS, prefetch=prefetch)
    assert (again.files_finished_before, list(again.failed_files), again.kept) == (2, [names[1]], 0)


@pytest.mark.parametrize("prefetch", [1, 0])
def test_a_download_that_is_no_warc_fails_under_its_url(tmp_path, db_path, server, prefetch):
    server.routes["/crawl/notes.warc.gz"] = RangedFile(b"my notes, not an archive\n" * 50)
    url = server.url("/crawl/notes.warc.gz")
    report = backfill(open_db(db_path), [url], options=OPTIONS, prefetch=prefetch)
    assert report.failed_files[url].startswith(f"{url}: not a WARC file")
    assert str(tmp_path) not in report.failed_files[url] and "/tmp" not in report.failed_files[url]


def test_a_copy_left_complete_in_the_spool_is_read_without_downloading_again(tmp_path, db_path, server):
    served = serve(server, tmp_path, ("a",))
    url = urls(server, ("a",))[0]
    spool = tmp_path / "monitor.db-spool"
    spool.mkdir()
    spool_path(spool, url).write_bytes(served["a"].body)  # a run killed after downloading it
    report = backfill(open_db(db_path), [url], options=OPTIONS, prefetch=1)
    assert report.kept == 4 and served["a"].answers == [] and list(spool.iterdir()) == []


@pytest.mark.slow
def test_a_cluster_on_this_machine_reads_the_copies_downloaded_ahead(tmp_path, server):
    from distributed import Client, LocalCluster

    serve(server, tmp_path, NAMES[:3])
    alone, cluster = tmp_path / "alone.db", tmp_path / "cluster.db"
    backfill(open_db(alone), [str(tmp_path / f"{name}.warc.gz") for name in NAMES[:3]], options=OPTIONS)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as local, Client(local) as client:
        report = backfill(open_db(cluster), urls(server, NAMES[:3]), options=OPTIONS, prefetch=1,
                          runner=DaskRunner(OPTIONS, client))
    assert report.kept == 12 and not report.failed_files
    assert stored_rows(cluster)[:2] == stored_rows(alone)[:2]
    assert list((tmp_path / "cluster.db-spool").iterdir()) == []


KILLABLE = """
import os, signal, sys
from monitor.backfill.job import BackfillOptions
from monitor.backfill.run import backfill
from monitor.backfill.runners import PoolRunner
from monitor.storage.connection import open_db
options = BackfillOptions(records_per_task={per_task}, slice_bytes={slice_bytes})
stored = []
def progress(report, result):  # kill -9 itself once `after` slices are stored (0: never; the test kills it)
    if result is not None:
        stored.append(result)
        if len(stored) == {after}:
            os.kill(os.getpid(), signal.SIGKILL)
backfill(open_db(sys.argv[1]), sys.argv[2:], options=options, progress=progress, prefetch={prefetch},
         runner=PoolRunner(options, {workers}) if {workers} else None)
"""


def killable(tmp_path, db, sources, *, per_task=2, after=0, slice_bytes=1 << 30, workers=0, prefetch=1):
    script = KILLABLE.format(per_task=per_task, after=after, slice_bytes=slice_bytes, workers=workers,
                             prefetch=prefetch)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", script, str(db), *sources], env=env)


@pytest.mark.slow
@pytest.mark.parametrize(("after", "slice_bytes", "workers"), [(3, 1 << 30, 0), (4, 5000, 2)],
                         ids=["one-process", "ranges-on-a-pool"])
def test_kill_9_while_reading_then_rerun_stores_what_an_uninterrupted_run_stores(tmp_path, server, after,
                                                                                  slice_bytes, workers):
    served = serve(server, tmp_path, NAMES[:3], per_file=5)
    sources = urls(server, NAMES[:3])
    reference, killed = tmp_path / "reference.db", tmp_path / "killed.db"
    backfill(open_db(reference), sources, options=BackfillOptions(records_per_task=2))
    child = killable(tmp_path, killed, sources, after=after, slice_bytes=slice_bytes, workers=workers)
    assert child.wait(300) == -signal.SIGKILL
    assert 0 < len(stored_rows(killed)[0]) < 15
    for file in served.values():
        file.answers.clear()
    options = BackfillOptions(records_per_task=2, slice_bytes=slice_bytes)
    report = backfill(open_db(killed), sources, options=options, prefetch=1)
    assert stored_rows(killed) == stored_rows(reference) and not report.failed_files
    assert served["a"].answers == []  # its copy in the spool was complete: read again, not fetched
    assert list((tmp_path / "killed.db-spool").iterdir()) == []


@pytest.mark.slow
def test_kill_9_mid_download_then_rerun_goes_on_with_a_range_request(tmp_path, server):
    served = serve(server, tmp_path, NAMES[:2], per_file=60)  # b large enough to be caught half-way
    sources = urls(server, NAMES[:2])
    reference, killed = tmp_path / "reference.db", tmp_path / "killed.db"
    backfill(open_db(reference), sources, options=BackfillOptions(records_per_task=20))
    served["b"].answers.clear()
    served["b"].pause_at = len(served["b"].body) // 2
    part = part_path(spool_path(tmp_path / "killed.db-spool", sources[1]))
    child = killable(tmp_path, killed, sources, per_task=20)
    try:
        assert served["b"].paused.wait(300), "b was never half downloaded"
        wait_for(lambda: part.exists() and part.stat().st_size > 0, 120)
        child.send_signal(signal.SIGKILL)
        assert child.wait(60) == -signal.SIGKILL
    finally:
        served["b"].resume.set()
        child.kill()
    kept = part.stat().st_size
    assert 0 < kept <= len(served["b"].body) // 2
    report = backfill(open_db(killed), sources, options=BackfillOptions(records_per_task=20), prefetch=1)
    assert served["b"].answers == [(200, None), (206, f"bytes={kept}-")]
    assert stored_rows(killed) == stored_rows(reference) and not report.failed_files
    assert list((tmp_path / "killed.db-spool").iterdir()) == []

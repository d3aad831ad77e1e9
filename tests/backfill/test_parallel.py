"""The same backfill on a local process pool and on a real Dask cluster (LocalCluster with worker
processes, on loopback): the client alone writes, and both store the rows one process stores; a
worker killed mid-slice fails that file alone, without hanging the run."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys

import dask
import pytest
from distributed import Client, LocalCluster
from support.backfill import crawl, stored_rows
from support.crashing import killed_on_crash_files

from monitor.backfill import runners
from monitor.backfill.job import RECORDS_PER_TASK, BackfillOptions
from monitor.backfill.run import backfill
from monitor.backfill.runners import PRELOAD_MODULE, DaskRunner, PoolRunner, slices_per_worker
from monitor.storage.connection import open_db

OPTIONS = BackfillOptions(records_per_task=4)


def test_a_pool_worker_reads_as_many_records_before_its_replacement_whatever_the_slice_size():
    default = slices_per_worker(BackfillOptions()) * RECORDS_PER_TASK
    assert slices_per_worker(BackfillOptions(records_per_task=250)) * 250 == default
    assert slices_per_worker(BackfillOptions(records_per_task=7)) * 7 in range(default - 6, default + 1)
    assert slices_per_worker(BackfillOptions(records_per_task=10 * default)) == 1


@pytest.mark.slow
def test_a_pool_and_a_cluster_store_what_one_process_stores(tmp_path, monkeypatch):
    monkeypatch.setattr(runners, "RECORDS_PER_WORKER", 8)  # two slices a worker: replaced during the run
    two_crawls = [str(crawl(tmp_path / "a.warc.gz", 0, 6)), str(crawl(tmp_path / "b.warc.gz", 20, 6))]
    alone, pool, cluster = (tmp_path / f"{name}.db" for name in ("alone", "pool", "cluster"))
    backfill(open_db(alone), two_crawls, options=OPTIONS)
    backfill(open_db(pool), two_crawls, options=OPTIONS, runner=PoolRunner(OPTIONS, 2))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as local, Client(local) as client:
        report = backfill(open_db(cluster), two_crawls, options=OPTIONS, runner=DaskRunner(OPTIONS, client))
    assert report.kept == 12 and not report.failed_files
    assert stored_rows(pool) == stored_rows(alone)
    assert stored_rows(cluster) == stored_rows(alone)


@pytest.mark.slow
def test_a_worker_killed_on_a_file_fails_that_file_alone_and_a_rerun_retries_it(tmp_path, db_path):
    crash = str(crawl(tmp_path / "crash.warc.gz", 0, 3))
    good = [str(crawl(tmp_path / f"good{n}.warc.gz", 10 * (n + 1), 3)) for n in range(3)]
    report = backfill(open_db(db_path), [crash, *good], options=OPTIONS,
                      runner=PoolRunner(OPTIONS, 2, task=killed_on_crash_files))
    assert list(report.failed_files) == [crash] and "signal 9" in report.failed_files[crash]
    assert report.kept == 9 and report.files_done == 3
    retried = backfill(open_db(db_path), [crash, *good], options=OPTIONS, runner=PoolRunner(OPTIONS, 2))
    assert (retried.failed_files, retried.kept, retried.files_finished_before) == ({}, 3, 3)


@pytest.mark.slow
def test_a_dask_worker_killed_on_a_file_fails_that_file_alone(tmp_path, db_path):
    crash = str(crawl(tmp_path / "crash.warc.gz", 0, 3))
    good = str(crawl(tmp_path / "good.warc.gz", 10, 3))
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                         dashboard_address=None) as local, Client(local) as client:
        report = backfill(open_db(db_path), [crash, good], options=OPTIONS,
                          runner=DaskRunner(OPTIONS, client, task=killed_on_crash_files))
    assert list(report.failed_files) == [crash] and "KilledWorker" in report.failed_files[crash]
    assert report.kept == 3 and report.files_done == 1


# Run in a fresh interpreter: the fork server is started once per process, by its first pool. A
# bare pool from the context asks its worker, before anything else, whether the battery gate and
# the language model are built in it already (inherited from the server) or not.
PRELOAD_PROBE = """
import sys
from monitor.config import Settings
from monitor.ingest import workers

preload = tuple(sys.argv[1:])
with workers.pool_context(Settings(), preload).Pool(1) as pool:
    print(pool.apply(eval, (
        "(__import__('monitor.backfill.gate', fromlist=['g']).battery_gate.cache_info().currsize,"
        " __import__('py3langid.langid', fromlist=['l']).IDENTIFIER is not None)",)))
"""


@pytest.mark.slow
@pytest.mark.skipif("forkserver" not in multiprocessing.get_all_start_methods(), reason="no fork server here")
def test_pool_workers_start_with_the_gate_and_the_language_model_built_by_the_fork_server():
    def built_in_a_worker(*preload: str) -> str:
        probe = subprocess.run([sys.executable, "-c", PRELOAD_PROBE, *preload], capture_output=True, text=True,
                               timeout=180, check=True)
        return probe.stdout.strip()

    assert built_in_a_worker(PRELOAD_MODULE) == "(1, True)"
    assert built_in_a_worker() == "(0, False)"  # the probe can tell: without it, each worker builds its own

"""The same backfill on a local process pool and on a real Dask cluster (LocalCluster with worker
processes, on loopback): the client alone writes, and both store the rows one process stores."""

from __future__ import annotations

import pytest
from support.backfill import crawl, stored_rows
from distributed import Client, LocalCluster

from monitor.backfill.job import BackfillOptions
from monitor.backfill.run import backfill
from monitor.backfill.runners import DaskRunner, PoolRunner
from monitor.storage.connection import open_db

OPTIONS = BackfillOptions(records_per_task=4)


@pytest.mark.slow
def test_a_pool_and_a_cluster_store_what_one_process_stores(tmp_path):
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

"""Backfill speed on a WARC like a slice of CC-NEWS, against trafilatura run on every record.

Builds WARC.gz files of >= 3,000 response records: ~1.5% battery stories, a third the real pages
of the corpus (heavy, a few mention batteries in passing; each copy made byte-distinct so no
digest check can skip it) and the rest plain news pages. Then prints, on one core:

- reading: FastWARC (the reader) and warcio, records/s;
- the gate: records/s (and reading plus every test before trafilatura), and its recall against the full relevance check (trafilatura, language,
  relevance on the text of every record): of the pages the full check keeps, the share it passes;
- trafilatura on every record (the way news-please works) against the whole backfill (read, gate,
  extract, relevance, rules, stored by the writer into SQLite), records/s and their ratio;
- 1 against 2 workers on the local pool and on a Dask LocalCluster (worker profiler off), over
  the six files and over one large file cut into byte ranges, and the workers' memory (resident,
  first and last sample).

    .venv/bin/python benchmarks/backfill_speed.py [--pages ../shared/corpus/pages/html] [--records 3000]

Goals (issue 14): backfill >= 5x trafilatura-on-every-record; reading and gate >= 5,000 records/s
a core; gate recall 100% (>= 99%); 2 workers >= 1.9x one on the pool, >= 1.6x on the cluster.
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the WARC writer and the generated stories the tests use

from support.warcs import Page, battery_story, plain_story, write_warc  # noqa: E402

from monitor.backfill.gate import battery_gate  # noqa: E402
from monitor.backfill.job import BackfillOptions, worth_extracting  # noqa: E402
from monitor.backfill.language import in_language  # noqa: E402
from monitor.backfill.run import backfill  # noqa: E402
from monitor.backfill.runners import DaskRunner, InlineRunner, PoolRunner, warm_up  # noqa: E402
from monitor.config import Settings  # noqa: E402
from monitor.errors import MonitorError  # noqa: E402
from monitor.ingest.document import extract_article  # noqa: E402
from monitor.models import Fetched  # noqa: E402
from monitor.nlp.relevance import is_battery_relevant  # noqa: E402
from monitor.sources.warc import WarcPage, read_warc  # noqa: E402
from monitor.storage.connection import open_db  # noqa: E402

DEFAULT_PAGES = ROOT.parent / "shared" / "corpus" / "pages" / "html"
FILES = 6  # the records are split over this many WARC files, so two workers have files to share


def build_warcs(folder: Path, pages_dir: Path, records: int) -> list[Path]:
    corpus = [gzip.decompress(p.read_bytes()) for p in sorted(pages_dir.glob("*.html.gz"))]
    if not corpus:
        sys.exit(f"no *.html.gz pages in {pages_dir} (pass --pages)")
    battery_every = 67  # 1.5%
    items: list[Page] = []
    for n in range(records):
        if n % battery_every == 0:
            items.append(Page(url=f"https://cells.example/news/{n}", body=battery_story(n)))
        elif n % 3 == 1:
            body = corpus[n % len(corpus)].replace(b"</head>", f"<!-- copy {n} --></head>".encode(), 1)
            items.append(Page(url=f"https://site{n % len(corpus)}.example/story/{n}", body=body))
        else:
            items.append(Page(url=f"https://town{n % 40}.example/{n}", body=plain_story(n)))
    share = -(-len(items) // FILES)
    return [write_warc(folder / f"crawl-{i}.warc.gz", items[i * share:(i + 1) * share]) for i in range(FILES)]


def timed(work):
    start = time.perf_counter()
    value = work()
    return value, time.perf_counter() - start


def read_all(paths: list[Path]) -> list[WarcPage]:
    return [e for p in paths for e in read_warc(p) if isinstance(e, WarcPage)]


def read_and_prefilter(paths: list[Path]) -> int:
    """What a task does before trafilatura: read each record, then the dates, digests, gate, URL."""
    options, count = BackfillOptions(), 0
    for path in paths:
        seen: set[str] = set()
        for entry in read_warc(path):
            count += 1
            if isinstance(entry, WarcPage):
                worth_extracting(entry, options, seen)
    return count


def read_warcio(paths: list[Path]) -> int:
    from warcio.archiveiterator import ArchiveIterator

    count = 0
    for path in paths:
        with path.open("rb") as file:
            for record in ArchiveIterator(file):
                if record.rec_type != "response" or record.http_headers.get_statuscode() != "200":
                    continue
                if "html" in (record.http_headers.get_header("Content-Type") or ""):
                    record.content_stream().read()
                    count += 1
    return count


def fully_relevant(pages: list[WarcPage], settings: Settings) -> list[bool]:
    """trafilatura on every record, then the language and the relevance check: the reference."""
    keep = []
    for page in pages:
        fetched = Fetched(url=page.url, final_url=page.url, body=page.body, content_type=page.content_type)
        try:
            article = extract_article(fetched, settings)
        except MonitorError:
            keep.append(False)
            continue
        keep.append(in_language(article) and is_battery_relevant(article.text))
    return keep


class MemorySampler:
    """The resident memory of this process's children, sampled every half second."""

    def __init__(self) -> None:
        import psutil

        self._me = psutil.Process()
        self.samples: dict[int, list[int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            for child in self._me.children(recursive=True):
                try:
                    self.samples.setdefault(child.pid, []).append(child.memory_info().rss)
                except Exception:  # noqa: BLE001, S112 (a worker that just ended)
                    continue

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> str:
        workers = [s for s in self.samples.values() if len(s) >= 3 and max(s) > 100 << 20]
        if not workers:
            return "no worker sampled"
        first = sum(s[1] for s in workers) / len(workers) / 2**20
        last = sum(s[-1] for s in workers) / len(workers) / 2**20
        return f"{len(workers)} worker(s): {first:.0f} MB at start, {last:.0f} MB at the end"


def run_backfill(paths: list[Path], folder: Path, name: str, runner_for, *,
                 slice_bytes: int | None = None) -> tuple[float, int, str]:
    options = BackfillOptions(records_per_task=250, **({"slice_bytes": slice_bytes} if slice_bytes else {}))
    db_path = folder / f"{name}.db"
    with MemorySampler() as memory:
        runner = runner_for(options)
        report, seconds = timed(lambda: backfill(open_db(db_path), [str(p) for p in paths], options=options,
                                                 runner=runner))
    return report.read / seconds, report.kept, memory.summary()


def cluster_runs(paths: list[Path], folder: Path, *, slice_bytes: int | None = None,
                 name: str = "cluster") -> dict[int, tuple[float, int, str]]:
    import dask
    from distributed import Client, LocalCluster

    results = {}
    with dask.config.set({"distributed.worker.profile.enabled": False,
                          "distributed.worker.profile.interval": "1h"}):
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                              dashboard_address=None) as cluster, Client(cluster) as client:
                client.run(_warm_up)  # each worker builds its pipeline before the clock starts
                results[workers] = run_backfill(paths, folder, f"{name}{workers}",
                                                lambda options, c=client: DaskRunner(options, c),
                                                slice_bytes=slice_bytes)
    return results


def _warm_up() -> None:
    warm_up(BackfillOptions())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--skip-parallel", action="store_true", help="Only the one-core figures.")
    args = parser.parse_args()
    settings = Settings()
    with tempfile.TemporaryDirectory(prefix="backfill-speed-") as tmp:
        folder = Path(tmp)
        paths = build_warcs(folder, args.pages, args.records)
        size = sum(p.stat().st_size for p in paths)
        print(f"{args.records} records in {len(paths)} WARC.gz files, {size / 2**20:.0f} MB "
              f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")

        read_all(paths[:1])  # warm the page cache
        pages, seconds = timed(lambda: read_all(paths))
        count, warcio_seconds = timed(lambda: read_warcio(paths))
        print(f"reading     FastWARC {len(pages) / seconds:8,.0f} records/s   warcio {count / warcio_seconds:8,.0f} records/s")

        gate = battery_gate()
        passed, gate_seconds = timed(lambda: [gate.passes(p.body) for p in pages])
        reference, reference_seconds = timed(lambda: fully_relevant(pages, settings))
        relevant = sum(reference)
        caught = sum(1 for p, r in zip(passed, reference) if p and r)
        print(f"gate        {len(pages) / gate_seconds:8,.0f} records/s   passes {sum(passed)} of {len(pages)}; "
              f"recall {caught}/{relevant} = {caught / max(relevant, 1):.1%} of the pages the full check keeps")
        records, prefilter_seconds = timed(lambda: read_and_prefilter(paths))
        print(f"reading + every test before trafilatura (as a task does) {records / prefilter_seconds:8,.0f} records/s")

        _warm_up()  # the pipeline is built once per process, before the clock starts
        whole_rate, kept, _ = run_backfill(paths, folder, "inline", InlineRunner)
        trafilatura_rate = len(pages) / reference_seconds
        print(f"trafilatura on every record (+ relevance) {trafilatura_rate:8,.0f} records/s")
        print(f"whole backfill, one core                 {whole_rate:8,.0f} records/s  ({kept} kept)  "
              f"= {whole_rate / trafilatura_rate:.1f}x trafilatura on every record")
        if args.skip_parallel:
            return
        big = folder / "one-large.warc.gz"
        with big.open("wb") as out:  # the six files end to end: one file of gzip members
            for path in paths:
                out.write(path.read_bytes())
        ranges = big.stat().st_size // 8 + 1  # cut into 8 byte ranges
        for label, files, slice_bytes in (("6 files", paths, None), ("1 large file", [big], ranges)):
            pool = {n: run_backfill(files, folder, f"pool{n}-{len(files)}", lambda o, n=n: PoolRunner(o, n),
                                    slice_bytes=slice_bytes) for n in (1, 2)}
            print(f"pool, {label:12}  1 worker {pool[1][0]:6,.0f} records/s   2 workers {pool[2][0]:6,.0f} records/s"
                  f"   = {pool[2][0] / pool[1][0]:.2f}x; {pool[2][2]}  (load {os.getloadavg()[0]:.1f})")
            cluster = cluster_runs(files, folder, slice_bytes=slice_bytes, name=f"cluster-{len(files)}-")
            print(f"LocalCluster, {label:12}  1 worker {cluster[1][0]:5,.0f} records/s   2 workers "
                  f"{cluster[2][0]:6,.0f} records/s   = {cluster[2][0] / cluster[1][0]:.2f}x; {cluster[2][2]}"
                  f"  (load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()

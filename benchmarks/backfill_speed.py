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
  six files and over one large file (the six end to end) cut into ranges of an eighth of it at
  most (smaller toward its end: monitor/backfill/ranges.py), each pair run
  `--runs` times, interleaved, with the load average beside each figure; the share of the run
  the workers spent in tasks, and the share of a core they got meanwhile (the rest went to the
  machine's other jobs), and the machine's CPU time over the run beside the tasks' and the
  client's; where each worker's idle time went (before its first slice, between slices, on a
  worker's replacement, after its last) and the client's time waiting for results against
  storing them, and the CPU time of the client's process (with a LocalCluster's scheduler);
  the workers' memory (resident: first sample, largest, last). These use
  WARCs of their own, `--parallel-records` long (default 12,000, four times the one-core set, so
  that a worker's start weighs little in runs of seconds); the pool's fork server is started
  before the clock, as the cluster's workers warm up before it: a backfill starts either once.

    .venv/bin/python benchmarks/backfill_speed.py [--pages ../shared/corpus/pages/html] [--records 3000]
        [--parallel-records 12000] [--runs 2] [--skip-one-core | --skip-parallel] [--skip-cluster]
        [--skip-six-files]

The machine's other work shows in the load average: 2 workers on 2 cores reach 2x only when
nothing else runs (at load 2 beside them, each gets about half a core).

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
from dataclasses import dataclass
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the WARC writer and the generated stories the tests use

from support.warcs import Page, battery_story, plain_story, write_warc  # noqa: E402

from monitor.backfill.gate import battery_gate  # noqa: E402
from monitor.backfill.job import BackfillOptions, run_slice, worth_extracting  # noqa: E402
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
    """The resident memory of this process's children, sampled every half second. Cheaply: it
    runs in the client's process, and what it takes of a core the two workers lose (psutil's
    children(), which reads every process of the machine, and each child's command line, four
    times a second took 0.08-0.19 CPU-s of a 5-8 s run; now about 0.02); so the tree is walked
    by /proc/PID/task/TID/children where Linux has it."""

    def __init__(self) -> None:
        import psutil

        self._psutil = psutil
        self._me = psutil.Process()
        self.samples: dict[int, list[int]] = {}
        self._servers: set[int] = set()  # the pool's fork server (its workers share its command line)
        self._known: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _children(self) -> list[int]:
        if not Path(f"/proc/{self._me.pid}/task/{self._me.pid}/children").exists():
            return [child.pid for child in self._me.children(recursive=True)]
        found, todo = [], [self._me.pid]
        while todo:
            pid = todo.pop()
            for children in Path(f"/proc/{pid}/task").glob("*/children"):
                try:
                    todo.extend(int(child) for child in children.read_text().split())
                except (OSError, ValueError):  # a thread or process that just ended
                    continue
            if pid != self._me.pid:
                found.append(pid)
        return found

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            for pid in self._children():
                try:
                    child = self._psutil.Process(pid)
                    if pid not in self._known:
                        self._known.add(pid)
                        if child.ppid() == self._me.pid and "forkserver" in " ".join(child.cmdline()):
                            self._servers.add(pid)
                    if pid not in self._servers:
                        self.samples.setdefault(pid, []).append(child.memory_info().rss)
                except Exception:  # noqa: BLE001, S112 (a worker that just ended)
                    continue

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> str:
        workers = [s for s in self.samples.values() if len(s) >= 2 and max(s) > 100 << 20]
        if not workers:
            return "no worker sampled"
        first, peak, last = (sum(pick(s) for s in workers) / len(workers) / 2**20
                             for pick in (lambda s: s[0], max, lambda s: s[-1]))
        return f"{len(workers)} worker process(es): {first:.0f} MB at start, {peak:.0f} MB at most, {last:.0f} MB at the end"


@dataclass
class Run:
    """One timed backfill: records/s, pages kept, the workers' memory, the load average before it,
    and for workers the share of the run they spent in tasks and the share of a core they got then,
    and where the rest of the run went (`Timeline`)."""

    rate: float
    kept: int
    memory: str
    load: float
    busy: float = 0.0
    cpu: float = 0.0
    cpu_seconds: float = 0.0  # in the workers' tasks: the same for 1 and 2 workers when the work splits cleanly
    timeline: Timeline | None = None
    machine_cpu: float | None = None  # every process of the machine over the run (Linux's /proc/stat)

    def workers(self) -> str:
        line = f"busy {self.busy:.0%} of the run, {self.cpu:.0%} of a core while busy, {self.cpu_seconds:.1f} CPU-s"
        if self.machine_cpu is not None and self.timeline:
            rest = self.machine_cpu - self.cpu_seconds - self.timeline.client_cpu
            line += f" (the machine {self.machine_cpu:.1f}, of which {rest:.1f} neither tasks nor client)"
        return line


@dataclass
class Slice:
    """One task as its worker timed it (monotonic clock, shared by the processes of a machine)."""

    pid: int
    start: float
    end: float
    cpu: float


@dataclass
class Timeline:
    """Where a run's time went, a worker slot at a time: before its first slice (the client
    opening and cutting files, the worker starting), between slices (the hand-off: the result
    sent back and stored, the next slice sent; `replaced`: a new worker took the next one), after
    its last (the run's tail: the other worker finishing, the runner closing); and the client's
    time waiting for results against its time storing them."""

    seconds: float
    lanes: list[list[Slice]]
    started: float
    ended: float
    waited: float  # the client, in next_result
    storing: float  # the client, between results: storing one, submitting the next
    client_cpu: float = 0.0  # of this process over the run: the client, the pool's feeding thread or the scheduler

    @classmethod
    def of(cls, slices: list[Slice], started: float, ended: float, waits: list[tuple[float, float]],
           client_cpu: float = 0.0) -> Timeline:
        lanes: list[list[Slice]] = []
        for task in sorted(slices, key=lambda t: t.start):  # a slot is free once its last slice ended
            lane = next((lane for lane in lanes if lane[-1].end <= task.start), None)
            if lane is None:
                lanes.append([task])
            else:
                lane.append(task)
        waited = sum(b - a for a, b in waits)
        return cls(ended - started, lanes, started, ended, waited, ended - started - waited, client_cpu)

    def gaps(self) -> tuple[list[float], list[float]]:
        """The idle time between slices of one slot: on the same worker, and where one replaced another."""
        same, replaced = [], []
        for lane in self.lanes:
            for last, task in zip(lane, lane[1:]):
                (same if last.pid == task.pid else replaced).append(task.start - last.end)
        return same, replaced

    def summary(self) -> str:
        head = sum(lane[0].start - self.started for lane in self.lanes) / len(self.lanes)
        tail = sum(self.ended - lane[-1].end for lane in self.lanes) / len(self.lanes)
        same, replaced = self.gaps()
        per_lane = len(self.lanes)

        def gaps(values: list[float]) -> str:
            if not values:
                return "none"
            ordered = sorted(values)
            return (f"{len(values)} x median {ordered[len(ordered) // 2] * 1000:.0f} ms, "
                    f"max {ordered[-1] * 1000:.0f} ms = {sum(values) / per_lane:.2f} s")

        return (f"idle a worker of {self.seconds:.2f} s: {head:.2f} s before its first slice, "
                f"between slices {gaps(same)}, on a replacement {gaps(replaced)}, {tail:.2f} s after its last; "
                f"client waited {self.waited:.2f} s, stored {self.storing:.2f} s, {self.client_cpu:.2f} CPU-s")


class WaitTimer:
    """A runner whose `next_result` waits are timed: what the client spends waiting for workers."""

    def __init__(self, runner) -> None:
        self.runner, self.slots, self.waits = runner, runner.slots, []

    def submit(self, task) -> None:
        self.runner.submit(task)

    def next_result(self):
        start = time.monotonic()
        result = self.runner.next_result()
        self.waits.append((start, time.monotonic()))
        return result

    def close(self) -> None:
        self.runner.close()


def run_backfill(paths: list[Path], folder: Path, name: str, runner_for, *, slice_bytes: int | None = None,
                 workers: int = 0) -> Run:
    """`runner_for(options, task)` runs `task`, run_slice timed (with `workers` > 0)."""
    options = BackfillOptions(records_per_task=250, **({"slice_bytes": slice_bytes} if slice_bytes else {}))
    db_path, task_log = folder / f"{name}.db", folder / f"{name}.tasks"
    load = os.getloadavg()[0]
    with MemorySampler() as memory:
        runner = WaitTimer(runner_for(options, partial(timed_slice, str(task_log))))
        started, cpu, machine = time.monotonic(), time.process_time(), machine_cpu()
        report, seconds = timed(lambda: backfill(open_db(db_path), [str(p) for p in paths], options=options,
                                                 runner=runner))
        ended, client_cpu, machine_after = time.monotonic(), time.process_time() - cpu, machine_cpu()
    run = Run(report.read / seconds, report.kept, memory.summary(), load)
    if machine is not None and machine_after is not None:
        run.machine_cpu = machine_after - machine
    if workers and task_log.exists():
        tasks = [Slice(int(pid), float(a), float(b), float(c))
                 for pid, a, b, c in (line.split() for line in task_log.read_text().splitlines())]
        wall, cpu = sum(t.end - t.start for t in tasks), sum(t.cpu for t in tasks)
        run.busy, run.cpu, run.cpu_seconds = wall / (seconds * workers), cpu / wall if wall else 0.0, cpu
        run.timeline = Timeline.of(tasks, started, ended, runner.waits, client_cpu)
    return run


def machine_cpu() -> float | None:
    """CPU seconds every process of the machine has used (not idle, not waiting for I/O); None
    without /proc/stat. What the other engineers' jobs took of a run is this less the run's own."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def timed_slice(task_log: str, task, options):
    """run_slice, its worker, start and end (monotonic) and CPU seconds appended to `task_log`."""
    start, cpu = time.monotonic(), time.process_time()
    result = run_slice(task, options)
    end = time.monotonic()
    with open(task_log, "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()} {start} {end} {time.process_time() - cpu}\n")
    return result


def cluster_run(paths: list[Path], folder: Path, workers: int, name: str, *, slice_bytes: int | None = None) -> Run:
    import dask
    from distributed import Client, LocalCluster

    with dask.config.set({"distributed.worker.profile.enabled": False,
                          "distributed.worker.profile.interval": "1h"}), \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                         dashboard_address=None) as cluster, Client(cluster) as client:
        client.run(_warm_up)  # each worker builds its pipeline before the clock starts
        return run_backfill(paths, folder, name, lambda options, task: DaskRunner(options, client, task=task),
                            slice_bytes=slice_bytes, workers=workers)


def parallel_figures(folder: Path, pages_dir: Path, records: int, *, runs: int, cluster: bool,
                     six_files: bool) -> None:
    """1 against 2 workers, `runs` times interleaved, on the pool and (`cluster`) a LocalCluster."""
    (folder / "parallel").mkdir()
    paths = build_warcs(folder / "parallel", pages_dir, records)
    big = folder / "one-large.warc.gz"
    with big.open("wb") as out:  # the six files end to end: one file of gzip members
        for path in paths:
            out.write(path.read_bytes())
    print(f"1 against 2 workers: {records} records, {big.stat().st_size / 2**20:.0f} MB in six files "
          f"and in one file of ranges of an eighth of it at most")
    run_backfill(paths[:1], folder, "fork-server", lambda options, _: PoolRunner(options, 1))  # starts it, untimed
    ranges = big.stat().st_size // 8 + 1
    cases = [("6 files", paths, None)] if six_files else []
    for label, files, slice_bytes in [*cases, ("1 large file", [big], ranges)]:
        runners = [("pool", lambda n, name, f=files, b=slice_bytes: run_backfill(
            f, folder, name, lambda options, task: PoolRunner(options, n, task=task), slice_bytes=b, workers=n))]
        if cluster:
            runners.append(("LocalCluster", lambda n, name, f=files, b=slice_bytes: cluster_run(
                f, folder, n, name, slice_bytes=b)))
        for kind, run in runners:
            for attempt in range(runs):
                one, two = (run(n, f"{kind}-{len(files)}-{n}-{attempt}") for n in (1, 2))
                print(f"{kind:12} {label:12}  1 worker {one.rate:6,.0f} records/s (load {one.load:.1f})   "
                      f"2 workers {two.rate:6,.0f} records/s (load {two.load:.1f})   = {two.rate / one.rate:.2f}x\n"
                      f"{'':26}1 worker {one.workers()}; 2 workers {two.workers()}; {two.memory}", flush=True)
                for count, timed_run in ((1, one), (2, two)):
                    if timed_run.timeline:
                        print(f"{'':26}{count} worker{'s' if count > 1 else ''}: {timed_run.timeline.summary()}")


def _warm_up() -> None:
    warm_up(BackfillOptions())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--parallel-records", type=int, default=12000,
                        help="Records of the WARCs 1 and 2 workers read (default: 12000).")
    parser.add_argument("--runs", type=int, default=2, help="Times each 1 against 2 workers pair runs (default: 2).")
    parser.add_argument("--skip-parallel", action="store_true", help="Only the one-core figures.")
    parser.add_argument("--skip-one-core", action="store_true", help="Only the 1 against 2 workers figures.")
    parser.add_argument("--skip-cluster", action="store_true", help="1 against 2 workers on the pool only.")
    parser.add_argument("--skip-six-files", action="store_true", help="1 against 2 workers on the large file only.")
    args = parser.parse_args()
    settings = Settings()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="backfill-speed-") as tmp:
        folder = Path(tmp)
        if not args.skip_one_core:
            one_core_figures(folder, args.pages, args.records, settings)
        if not args.skip_parallel:
            parallel_figures(folder, args.pages, args.parallel_records, runs=args.runs, cluster=not args.skip_cluster,
                             six_files=not args.skip_six_files)


def one_core_figures(folder: Path, pages_dir: Path, records: int, settings: Settings) -> None:
    paths = build_warcs(folder, pages_dir, records)
    size = sum(p.stat().st_size for p in paths)
    print(f"{records} records in {len(paths)} WARC.gz files, {size / 2**20:.0f} MB "
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
    records_read, prefilter_seconds = timed(lambda: read_and_prefilter(paths))
    print(f"reading + every test before trafilatura (as a task does) {records_read / prefilter_seconds:8,.0f} records/s")

    _warm_up()  # the pipeline is built once per process, before the clock starts
    whole = run_backfill(paths, folder, "inline", lambda options, _: InlineRunner(options))
    trafilatura_rate = len(pages) / reference_seconds
    print(f"trafilatura on every record (+ relevance) {trafilatura_rate:8,.0f} records/s")
    print(f"whole backfill, one core                 {whole.rate:8,.0f} records/s  ({whole.kept} kept)  "
          f"= {whole.rate / trafilatura_rate:.1f}x trafilatura on every record")

if __name__ == "__main__":
    main()

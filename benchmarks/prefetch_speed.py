"""What downloading the next WARC while one is read saves: a listing of WARC.gz files served from a
loopback server throttled to a fixed bandwidth, backfilled with --prefetch 0 (each task downloads
its own file, then reads it) and --prefetch 1 (the next file downloads while one is read).

Builds FILES WARC.gz files like a slice of CC-NEWS (1.5% battery stories, a third the heavy corpus
pages, the rest plain news pages), measures reading them from disk (the processing alone), then
serves them at `--mb-per-s` (default: the rate at which one file downloads in the time it takes to
read, where the overlap saves most; the server runs in a process of its own) and prints the
fastest of `--repeat` runs of each, interleaved, in one process (or `--workers N` pool workers):

    .venv/bin/python benchmarks/prefetch_speed.py [--pages ../shared/corpus/pages/html] [--records 3000]

With downloading D and reading R a file, FILES files take about FILES*(D+R) without prefetch and
D + FILES*max(D, R) with it (the reading and the download then share the core).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the WARC writer, the stories and the loopback server the tests use
sys.path.insert(0, str(ROOT / "benchmarks"))

from backfill_speed import DEFAULT_PAGES, build_warcs  # noqa: E402
from support.loopback import LoopbackServer, RangedFile  # noqa: E402

from monitor.backfill.job import BackfillOptions, SliceTask  # noqa: E402
from monitor.backfill.run import backfill  # noqa: E402
from monitor.backfill.runners import InlineRunner, PoolRunner, warm_up  # noqa: E402
from monitor.storage.connection import open_db  # noqa: E402

FILES = 4


def run(folder: Path, name: str, sources: list[str], options: BackfillOptions, prefetch: int,
        workers: int, warm: Path) -> tuple[float, int]:
    runner = PoolRunner(options, workers) if workers else InlineRunner(options)
    if workers:  # the workers warmed up before the clock starts: a slice of no record each
        for _ in range(workers):
            runner.submit(SliceTask(str(warm), limit=0))
        for _ in range(workers):
            runner.next_result()
    start = time.perf_counter()
    report = backfill(open_db(folder / f"{name}.db"), sources, options=options, runner=runner, prefetch=prefetch)
    if report.failed_files:
        sys.exit(f"{name}: {report.failed_files}")
    return time.perf_counter() - start, report.read


def serve(warcs: list[Path], rate: float, ready) -> None:
    """The throttled server, in a process of its own: its threads must not take turns with the
    backfill's on one interpreter lock."""
    server = LoopbackServer()
    for warc in warcs:
        server.routes[f"/{warc.name}"] = RangedFile(warc.read_bytes(), bytes_per_second=rate)
    server.start()
    ready.send(server.url("/"))
    ready.recv()  # until the benchmark is done
    server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="the corpus pages (*.html.gz)")
    parser.add_argument("--records", type=int, default=3000, help="records over six files (four are served)")
    parser.add_argument("--mb-per-s", type=float, default=None, help="the server's bandwidth (default: calibrated)")
    parser.add_argument("--workers", type=int, default=0, help="pool workers (default 0: all in this process)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the fastest is printed")
    args = parser.parse_args()
    options = BackfillOptions()
    warm_up(options)
    with tempfile.TemporaryDirectory(prefix="prefetch-speed-") as tmp:
        folder = Path(tmp)
        warcs = build_warcs(folder, args.pages, args.records)[:FILES]  # six files of a sixth each
        sizes = [w.stat().st_size for w in warcs]
        local = [str(w) for w in warcs]
        reading, read = min(run(folder, f"local-{n}", local, options, 0, args.workers, warcs[0])
                            for n in range(args.repeat))
        rate = args.mb_per_s * 1e6 if args.mb_per_s else sum(sizes) / reading  # a file downloads as fast as it is read
        ours, theirs = multiprocessing.Pipe()
        server = multiprocessing.get_context("spawn").Process(target=serve, args=(warcs, rate, theirs), daemon=True)
        server.start()
        try:
            base = ours.recv()
            sources = [base + w.name for w in warcs]
            times: dict[int, list[float]] = {0: [], 1: []}
            for n in range(args.repeat):  # interleaved, so a change of load falls on both
                for prefetch in times:
                    times[prefetch].append(run(folder, f"prefetch-{prefetch}-{n}", sources, options, prefetch,
                                               args.workers, warcs[0])[0])
        finally:
            ours.send("done")
            server.join(10)
    without, with_one = min(times[0]), min(times[1])
    download = sum(sizes) / rate
    where = f"{args.workers} pool worker(s)" if args.workers else "one process"
    print(f"{FILES} files, {read:,} records, {sum(sizes) / 1e6:.1f} MB, {where}, fastest of {args.repeat}; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"server bandwidth            {rate / 1e6:8.2f} MB/s (one file downloads in {download / FILES:.2f} s)")
    print(f"reading from disk alone     {reading:8.2f} s ({read / reading:,.0f} records/s)")
    print(f"--prefetch 0                {without:8.2f} s (downloading + reading: {download + reading:.2f} s)")
    print(f"--prefetch 1                {with_one:8.2f} s (at best {download / FILES + max(download, reading):.2f} s)")
    print(f"prefetch 1 against 0        {without / with_one:8.2f}x")


if __name__ == "__main__":
    main()

"""The poller's figures, against a loopback "web" served by a separate process; printed, never asserted.

    .venv/bin/python benchmarks/poll_speed.py feeds    # one pass over 1,000 feeds, 50 ms per response (goal < 30 s)
    .venv/bin/python benchmarks/poll_speed.py ingest   # pages/s over ../shared/corpus/pages vs trafilatura alone (goal >= 0.8x per core)
    .venv/bin/python benchmarks/poll_speed.py memory   # the daemon's peak RSS over 10,000 articles (goal < 300 MB, flat)

The web is an asyncio server listening on many loopback addresses (127.0.x.y are all this
machine), so the poller's per-host limits (2 connections, 1 s apart) apply as they would to many
sites. Every request stays on 127.0.0.0/8; each run is bounded in requests and time.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import multiprocessing
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Self
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT.parent / "shared" / "corpus" / "pages"
NEWEST = datetime(2026, 4, 6, 7, 0, tzinfo=UTC)


# ---- the loopback web (runs in its own process) ---------------------------------------------


def addresses(count: int) -> list[str]:
    return [f"127.0.{1 + n // 250}.{1 + n % 250}" for n in range(count)]


def serve(hosts: int, latency: float, ready, corpus_dir: str) -> None:
    """Listen on `hosts` loopback addresses; send [(address, port)] through `ready`, serve forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    corpus = sorted(Path(corpus_dir, "html").glob("*.html.gz"))
    # decompressed once here, not per request: the web shares the cores with what is measured
    corpus_pages = [gzip.decompress(path.read_bytes()) for path in corpus]
    paragraphs = [
        p.strip()
        for doc in json.loads(Path(corpus_dir, "ground-truth.json").read_text()).values()
        for p in doc["articleBody"].split("\n")
        if len(p.split()) >= 25
    ]
    listeners: list[tuple[str, int]] = []

    def feed(host: str, index: int, entries: int) -> bytes:
        items = "".join(
            f"<item><title>Story {index}-{k}</title><link>http://{host}/page/{index}/{k}</link>"
            f'<guid isPermaLink="false">page-{index}-{k}</guid>'
            f"<pubDate>{format_datetime(NEWEST.replace(minute=k % 60), usegmt=True)}</pubDate></item>"
            for k in range(entries)
        )
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {index}</title>'
            f"<link>http://{host}/</link>{items}</channel></rss>"
        ).encode()

    def page(index: int, k: int) -> bytes:
        rng = random.Random(index * 100_003 + k)
        body = "".join(f"<p>{p}</p>" for p in rng.sample(paragraphs, 4))
        return (
            f'<!doctype html><html lang="en"><head><title>Story {index}-{k}</title></head><body>'
            f"<article><h1>Story {index}-{k}</h1>{body}</article></body></html>"
        ).encode()

    def corpus_feed() -> bytes:
        items = "".join(
            f"<item><title>{path.name}</title><link>http://{a}:{p}/corpus/{n}</link></item>"
            for n, (path, (a, p)) in enumerate(
                zip(corpus, listeners * (len(corpus) // len(listeners) + 1))
            )
        )
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>corpus</title>{items}</channel></rss>'.encode()

    def route(target: str, headers: dict[str, str]) -> tuple[str, str, bytes]:
        parts = urlsplit(target)
        path, query = parts.path, parse_qs(parts.query)
        if path.startswith("/feed/"):
            if headers.get("if-none-match") == '"v1"':
                return "304 Not Modified", "application/rss+xml", b""
            index = int(path.split("/")[2].split(".")[0])
            return (
                "200 OK",
                "application/rss+xml",
                feed(headers.get("host", ""), index, int(query.get("n", ["20"])[0])),
            )
        if path.startswith("/page/"):
            _, _, index, k = path.split("/")
            return "200 OK", "text/html; charset=utf-8", page(int(index), int(k))
        if path == "/corpus.rss":
            return "200 OK", "application/rss+xml", corpus_feed()
        if path.startswith("/corpus/"):
            return (
                "200 OK",
                "text/html; charset=utf-8",
                corpus_pages[int(path.split("/")[2])],
            )
        return "404 Not Found", "text/plain", b"not found"

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while line := await reader.readline():
                target = line.decode("latin-1").split(" ")[1]
                headers = {}
                while (raw := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    key, _, value = raw.decode("latin-1").partition(":")
                    headers[key.strip().lower()] = value.strip()
                await asyncio.sleep(latency)
                status, media_type, body = route(target, headers)
                etag = 'ETag: "v1"\r\n' if target.startswith("/feed/") else ""
                writer.write(
                    f"HTTP/1.1 {status}\r\nContent-Type: {media_type}\r\nContent-Length: {len(body)}\r\n"
                    f"{etag}\r\n".encode()
                    + body
                )
                await writer.drain()
        except (ConnectionError, IndexError, ValueError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        for address in addresses(hosts):
            server = await asyncio.start_server(handle, address, 0, backlog=64)
            listeners.append((address, server.sockets[0].getsockname()[1]))
        ready.send(listeners)
        await asyncio.Event().wait()

    asyncio.run(main())


class Web:
    """The loopback web in a child process, for the length of a `with` block."""

    def __init__(self, hosts: int, latency: float = 0.0) -> None:
        receive, send = multiprocessing.Pipe(duplex=False)
        self.process = multiprocessing.get_context("spawn").Process(
            target=serve, args=(hosts, latency, send, str(PAGES)), daemon=True
        )
        self.process.start()
        self.listeners: list[tuple[str, int]] = receive.recv()

    def url(self, n: int, path: str) -> str:
        address, port = self.listeners[n % len(self.listeners)]
        return f"http://{address}:{port}{path}"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.join()


def settings_for(web: Web, **overrides):
    from monitor.config import Settings

    return Settings(allow_private_hosts=tuple(a for a, _ in web.listeners), **overrides)


# ---- 1. one pass over 1,000 feeds ------------------------------------------------------------


def bench_feeds(feeds: int, hosts: int, entries: int, latency: float) -> None:
    from monitor import timestamps
    from monitor.storage import connection
    from monitor.sources.http import make_client
    from monitor.poller.run import poll

    with Web(hosts, latency) as web, tempfile.TemporaryDirectory() as tmp:
        db = connection.open_db(Path(tmp) / "monitor.db")
        urls = [web.url(i, f"/feed/{i}.rss?n={entries}") for i in range(feeds)]
        with connection.transaction(db) as conn:
            conn.executemany(
                "INSERT INTO feeds (id, url, added) VALUES (?, ?, ?)",
                [(i + 1, url, timestamps.utcnow()) for i, url in enumerate(urls)],
            )
            conn.executemany(  # every entry seen before: the pass measures the feeds, not extraction
                "INSERT INTO articles (url, canonical_url, feed, guid, fetched, text, content_hash) VALUES (?, ?, ?, ?, ?, '', ?)",
                [
                    (
                        u := web.url(i, f"/page/{i}/{k}"),
                        u,
                        i + 1,
                        f"page-{i}-{k}",
                        timestamps.utcnow(),
                        f"{i}-{k}",
                    )
                    for i in range(feeds)
                    for k in range(entries)
                ],
            )
        settings = settings_for(web, extract_processes=0)
        print(
            f"{feeds} feeds on {hosts} loopback hosts, {entries} entries each (all stored before), "
            f"{latency * 1000:.0f} ms per response, {settings.max_concurrent_feeds} requests at once, "
            f"{settings.per_host_connections} per host, {settings.per_host_delay_seconds:g} s apart"
        )
        with make_client(settings) as client:
            for label in ("first pass (200, parsed)", "second pass (304) "):
                started = time.perf_counter()
                report = poll(db, client=client, settings=settings, all_feeds=True)
                took = time.perf_counter() - started
                print(
                    f"  {label}: {took:6.2f} s  ({report.feeds_polled} polled, {report.feeds_not_modified} not modified,"
                    f" {report.feeds_failed} failed)   goal < 30 s"
                )


# ---- 2. ingest speed against trafilatura alone -----------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a live process has used, with that of its children it has reaped
    (the fork server reaps the workers the pool replaces)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(web: Web) -> float:
    """CPU time of this process and every process under it but the loopback web, living or reaped."""
    return sum(cpu_seconds(pid) for pid in [os.getpid(), *children(os.getpid())] if pid != web.process.pid)


def warm_up(extractor, bodies: list[bytes]) -> None:
    """Start the workers (each builds the rules pipeline) before anything is timed."""
    import threading

    from monitor.models import Fetched

    left, done = [len(bodies)], threading.Event()

    def finished(_result: object) -> None:
        left[0] -= 1
        if not left[0]:
            done.set()

    for body in bodies:
        extractor.submit(
            Fetched(
                url="http://x.example/a",
                final_url="http://x.example/a",
                body=body,
                content_type="text/html",
            ),
            finished,
        )
    done.wait(120)


def corpus_bodies() -> list[bytes]:
    return [gzip.decompress(p.read_bytes()) for p in sorted((PAGES / "html").glob("*.html.gz"))]


def pages_per_cpu_second(work, bodies: list[bytes]) -> float:
    """One pass of `work` over `bodies` in this process, in CPU time (so waiting for a core that
    another process holds does not count)."""
    started = time.process_time()
    for body in bodies:
        work(body)
    return len(bodies) / (time.process_time() - started)


_pass_bodies: list[bytes] = []
_pass_barrier = None


def _start_trafilatura_process(barrier) -> None:
    """Pool initializer: the corpus and trafilatura loaded, its first-call caches warm."""
    global _pass_barrier
    import trafilatura

    _pass_barrier = barrier
    _pass_bodies.extend(corpus_bodies())
    for body in _pass_bodies[:20]:
        trafilatura.extract(body)


def _trafilatura_pass(_n: int) -> float:
    """One pass of trafilatura.extract() over the corpus, started with every other process's
    (each waits at the barrier, so each process takes exactly one pass)."""
    import trafilatura

    _pass_barrier.wait()
    return pages_per_cpu_second(trafilatura.extract, _pass_bodies)


def bench_ingest(rounds: int) -> None:
    """Ingest through the poller against trafilatura alone, their passes interleaved: this VM's
    speed drifts by 10-20% over minutes, and a ratio of figures taken minutes apart drifts with it."""
    import trafilatura

    from monitor.storage import connection
    from monitor.storage import feeds as feed_rows
    from monitor.article.extract import parse_article
    from monitor.ingest.workers import Extractor, worker_count
    from monitor.sources.http import make_client
    from monitor.models import Fetched
    from monitor.poller.politeness import Politeness
    from monitor.poller.run import poll

    bodies = corpus_bodies()

    def ours(body: bytes) -> None:
        try:
            parse_article(
                Fetched(
                    url="http://x.example/a",
                    final_url="http://x.example/a",
                    body=body,
                    content_type="text/html",
                )
            )
        except Exception:  # noqa: BLE001, S110 (pages without text count like the others)
            pass

    def ingest_pass() -> tuple[float, float, int]:
        with tempfile.TemporaryDirectory() as tmp:
            db = connection.open_db(Path(tmp) / "monitor.db")
            feed_rows.add_feed(db, web.url(0, "/corpus.rss"))
            cpu = tree_cpu_seconds(web)
            started = time.perf_counter()
            report = poll(
                db, client=client, settings=settings, extractor=extractor, politeness=politeness
            )
            took, cpu = time.perf_counter() - started, tree_cpu_seconds(web) - cpu
        pages = report.new_articles + report.articles_failed
        return pages / took, pages / cpu, report.new_articles

    one_core: list[float] = []  # trafilatura.extract(), the other cores idle
    on_cores: list[float] = []  # trafilatura.extract() in one process per worker, all at once
    as_called: list[float] = []  # monitor/article/extract.py, one core
    ingested: list[tuple[float, float, int]] = []
    with Web(len(bodies)) as web:
        settings = settings_for(web, max_entries_per_feed=len(bodies))
        workers = worker_count(settings)
        # one Politeness for every round, as the daemon keeps one for its life: each site's
        # robots.txt is read in the first round and cached (a day) for the next, like the workers
        politeness = Politeness(settings)
        context = multiprocessing.get_context("spawn")
        with (
            Extractor(settings) as extractor,
            make_client(settings) as client,
            context.Pool(
                workers, _start_trafilatura_process, (context.Barrier(workers),)
            ) as trafilatura_pool,
        ):
            warm_up(extractor, bodies[: 4 * workers])
            for _ in range(rounds):
                one_core.append(pages_per_cpu_second(trafilatura.extract, bodies))
                as_called.append(pages_per_cpu_second(ours, bodies))
                rates = trafilatura_pool.map(_trafilatura_pass, range(workers), chunksize=1)
                on_cores.append(sum(rates) / len(rates))
                ingested.append(ingest_pass())
    wall, per_cpu, stored = max(ingested)

    def figures(values: list[float]) -> str:
        return f"{max(values):5.1f} (rounds {min(values):.1f}-{max(values):.1f})"

    print(f"{len(bodies)} corpus pages, pages per CPU-second, best of {rounds} interleaved rounds:")
    print(f"  trafilatura.extract(), one core, the others idle:     {figures(one_core)}")
    print(f"  trafilatura.extract(), {workers} processes on {workers} cores at once: {figures(on_cores)}")
    print(f"  monitor/article/extract.py (trafilatura fast mode + metadata): {figures(as_called)}")
    print(
        f"  ingest (loopback fetch, extraction + rules + simhash + gzip in {workers} worker(s), store): "
        f"{figures([r[1] for r in ingested])}; wall-clock {wall:5.1f} pages/s on {workers} core(s), "
        f"{stored} stored"
    )
    print(
        f"ratio per core: {per_cpu / max(one_core):4.2f} of extract() on one core, "
        f"{per_cpu / max(on_cores):4.2f} of extract() on {workers} busy cores   goal >= 0.80"
    )


# ---- 3. the daemon's memory over 10,000 articles ---------------------------------------------


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of a process in MB. RSS counts every page a process maps, shared or not, so a
    sum of RSS over processes that share pages (workers forked from one server, the same shared
    libraries) counts those pages once per process; PSS splits each shared page between the
    processes that map it, so a sum of PSS is the memory the processes take together."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0.0, 0.0
    rss, pss = (re.search(rf"^{key}:\s+(\d+) kB", text, re.MULTILINE) for key in ("Rss", "Pss"))
    return (int(rss.group(1)) / 1024 if rss else 0.0), (int(pss.group(1)) / 1024 if pss else 0.0)


def children(pid: int) -> list[int]:
    """Every descendant process: the pool's workers are the fork server's children, not ours."""
    found, pending = [], [pid]
    while pending:
        for task in Path(f"/proc/{pending.pop()}/task").glob("*"):
            try:
                kids = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found += kids
            pending += kids
    return found


def bench_memory(articles: int, per_feed: int) -> None:
    feeds = -(-articles // per_feed)
    with Web(feeds) as web, tempfile.TemporaryDirectory() as tmp:
        db_path, config = Path(tmp) / "monitor.db", Path(tmp) / "monitor.toml"
        from monitor.storage import connection
        from monitor.storage import feeds as feed_rows

        db = connection.open_db(db_path)
        for i in range(feeds):
            feed_rows.add_feed(db, web.url(i, f"/feed/{i}.rss?n={per_feed}"))
        db.conn.close()
        hosts = ", ".join(f'"{a}"' for a, _ in web.listeners)
        config.write_text(f"allow_private_hosts = [{hosts}]\nmax_entries_per_feed = {per_feed}\n")
        daemon = subprocess.Popen(
            [sys.executable, "-m", "monitor", "--db", str(db_path), "--config", str(config), "run"],
            stderr=subprocess.DEVNULL,
        )
        print(
            f"daemon over {articles} articles ({feeds} feeds on {feeds} loopback hosts); RSS in MB"
        )
        print(
            f"{'':18} {'RSS':>7} {'RSS':>8} {'RSS':>7} {'PSS':>7}\n"
            f"{'articles':>9} {'seconds':>8} {'daemon':>7} {'workers':>8} {'sum':>7} {'sum':>7} processes"
        )
        started, mark = time.monotonic(), 0
        peak_main = peak_total = peak_pss = 0.0
        try:
            while True:
                time.sleep(0.5)
                main, main_pss = memory_mb(daemon.pid)
                others = [memory_mb(c) for c in children(daemon.pid)]
                workers = sum(rss for rss, _ in others)
                pss = main_pss + sum(p for _, p in others)
                peak_main, peak_total = max(peak_main, main), max(peak_total, main + workers)
                peak_pss = max(peak_pss, pss)
                ro = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
                count = ro.execute("SELECT count(*) FROM articles").fetchone()[0]
                ro.close()
                if count >= mark + articles // 10 or count >= articles:
                    mark = count
                    print(
                        f"{count:>9} {time.monotonic() - started:>8.0f} {main:>7.0f} {workers:>8.0f}"
                        f" {main + workers:>7.0f} {pss:>7.0f} {1 + len(others):>9}"
                    )
                if (
                    count >= articles
                    or time.monotonic() - started > 1800
                    or daemon.poll() is not None
                ):
                    break
        finally:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(30)
        print(
            f"peak: daemon RSS {peak_main:.0f} MB; daemon + fork server + extraction workers: sum of RSS "
            f"{peak_total:.0f} MB (shared pages counted once per process), sum of PSS {peak_pss:.0f} MB"
            f" (each page once)   goal < 300 MB, flat"
        )
        print(f"throughput: {count / (time.monotonic() - started):.1f} articles/s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="part", required=True)
    feeds = sub.add_parser("feeds", help="one pass over many feeds")
    feeds.add_argument("--feeds", type=int, default=1000)
    feeds.add_argument("--hosts", type=int, default=250)
    feeds.add_argument("--entries", type=int, default=20)
    feeds.add_argument("--latency", type=float, default=0.05, help="seconds before each response")
    ingest = sub.add_parser("ingest", help="pages per second against trafilatura alone")
    ingest.add_argument("--rounds", type=int, default=3)
    memory = sub.add_parser("memory", help="the daemon's peak RSS")
    memory.add_argument("--articles", type=int, default=10_000)
    memory.add_argument("--per-feed", type=int, default=50)
    args = parser.parse_args()
    if args.part == "feeds":
        bench_feeds(args.feeds, args.hosts, args.entries, args.latency)
    elif args.part == "ingest":
        bench_ingest(args.rounds)
    else:
        bench_memory(args.articles, args.per_feed)


if __name__ == "__main__":
    main()

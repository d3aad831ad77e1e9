"""Fetched pages extracted beside the poller, in worker processes.

trafilatura and the rules are CPU-bound Python, so threads would take turns on one core; a pool of
processes (one per core by default) uses them all. Workers never touch the database: the poller's
main thread is its only writer.

Where the platform has it, workers are forked from a fork server that imported spaCy and
trafilatura and built the configured rules pipeline once (monitor/ingest/preload.py): the
workers share those ~100 MB of pages instead of each loading its own copy, and a worker starts in
milliseconds instead of the seconds an import of spaCy takes. Cheap starts let a worker be
replaced every TASKS_PER_WORKER pages, so what it accumulates (spaCy's string store and
tokenizer cache, lxml's and the allocator's leftovers) never grows for long. The fork server is
a fresh interpreter, not a fork of the poller, whose threads could leave a lock held in a child.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import multiprocessing.process
import os
import signal
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import ForkingPickler
from typing import Any, Self

from monitor.config import Settings
from monitor.article.dedup import fingerprint
from monitor.errors import ExtractError
from monitor.models import Fetched
from monitor.ingest.document import Analysis, analyse_text, extract_article
from monitor.sources.feeds import FeedEntry
from monitor.storage.articles import compress_html

log = logging.getLogger(__name__)

# Pages a worker extracts before it is replaced. A new worker starts with cold caches (spaCy's
# tokenizer re-learns every word); measured over 6,000 articles, 250 against 100: 226 against
# 218 MB (sum of PSS) for 12% less CPU a page.
TASKS_PER_WORKER = 250
# The largest message sent to a worker still busy with another: far below what a pipe's buffer
# holds (64 kB and more on Linux), so the feeding thread never waits for a worker to read.
AHEAD_BYTES = 16 << 10
PRELOAD_MODULE = "monitor.ingest.preload"
PRELOAD_PIPELINE = "MONITOR_PRELOAD_PIPELINE"  # [rules_dir, spacy_model] for the fork server, as JSON


@dataclass
class Extracted:
    """An analysed page, its near-duplicate fingerprint and its HTML gzip-compressed for storage,
    as sent back by a worker (article.raw_html is dropped: it crossed over once already)."""

    analysis: Analysis
    simhash: int | None
    raw_gzip: bytes | None


def extract_page(fetched: Fetched, settings: Settings, entry: FeedEntry | None = None) -> Extracted:
    """Article, claims and fingerprint of one fetched page; raises ExtractError without text.

    The feed `entry` that linked the page lends its title and date to a page that states none,
    before the rules run: they date "this year" and "last quarter" by the article's date.
    """
    article = extract_article(fetched, settings)
    if entry is not None:
        article.title = article.title or entry.title
        article.published = article.published or entry.published
    analysis = analyse_text(article, settings)
    analysis.source = fetched.url
    raw = (
        compress_html(article.raw_html)
        if article.raw_html
        else None
    )
    article.raw_html = None
    return Extracted(analysis, fingerprint(article.text), raw)


def worker_count(settings: Settings) -> int:
    """Processes to extract with: the setting, else one per core this process may use."""
    if settings.extract_processes is not None:
        return max(0, settings.extract_processes)
    cores = (
        os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    )
    return len(cores)


Done = Callable[["Extracted | BaseException"], None]


class Extractor:
    """Runs `extract_page` in worker processes, or in the calling thread with 0 processes. The
    workers start with the first page, so a pass where every feed answers 304 starts no process."""

    def __init__(self, settings: Settings, processes: int | None = None) -> None:
        self.settings = settings
        self.processes = worker_count(settings) if processes is None else processes
        self._pool: WorkerPool | None = None

    def submit(self, fetched: Fetched, done: Done, entry: FeedEntry | None = None) -> None:
        """Extract `fetched` (linked from the feed `entry`, if any) and call `done` with the result
        or the exception (in another thread when worker processes run it)."""
        if self._pool is None and self.processes:
            self._pool = WorkerPool(self.settings, self.processes)
            log.info("extracting in %d worker process(es)", self.processes)
        if self._pool is None:
            try:
                result: Extracted | BaseException = extract_page(fetched, self.settings, entry)
            except Exception as exc:  # noqa: BLE001 (handed to `done`, as a worker's exception would be)
                result = exc
            done(result)
            return
        self._pool.submit(fetched, done, entry)

    def close(self) -> None:
        """Let queued pages finish, then end the workers."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def terminate(self) -> None:
        """End the workers now, abandoning the pages they hold (a stop does not wait for them)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.terminate()


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection  # the parent's end of the worker's own pipe
    held: deque[_Task] = field(default_factory=deque)  # sent to it: it works on the first, the rest wait in its pipe
    sent: int = 0  # tasks sent to it over its life
    answered: int = 0

    @property
    def page(self) -> _Task | None:
        """The page (or other task) it is working on."""
        return self.held[0] if self.held else None


@dataclass
class _Task:
    """What a worker is sent, who is told the result, and what the task is called in a message."""

    message: object
    done: Done
    label: str

    @cached_property
    def payload(self) -> bytes:
        """The message pickled, as the worker's pipe carries it (made once, sized before a send)."""
        return bytes(ForkingPickler.dumps(self.message))


class WorkerPool:
    """Worker processes, each with a pipe of its own and no lock shared with the others, fed by one
    thread of the parent that also replaces a worker after TASKS_PER_WORKER pages.

    Not `multiprocessing.Pool`: its idle workers wait for work holding one shared queue lock, so a
    worker killed by a signal to the process group (systemd, `timeout`, `kill -- -PGID`) or by the
    OOM killer leaves the lock held and the pool's teardown hangs for ever. Here the workers ignore
    SIGINT and SIGTERM (they are the parent's to end), `terminate` kills them with SIGKILL, a
    worker that dies mid-page reports that page as failed and is replaced, and a worker whose
    parent is gone finds its pipe closed and exits.

    A worker's successor is started when the worker is sent its last task, and waits: it takes
    over the moment the worker answers that task, instead of the run waiting the 50-300 ms a
    start takes (more under load). With `ahead`, a busy worker is also sent up to that many tasks
    beyond the one it works on, so it goes on at once instead of waiting while its answer is
    handled and the next task sent; only a message of at most AHEAD_BYTES goes to a busy worker,
    so the send always fits in the pipe's buffer and never holds the feeding thread.

    It extracts pages by default; `serve(conn, *serve_args)` is another worker's life (the
    backfill's slices), fed with `submit_task`, each worker replaced after `tasks_per_worker`;
    `preload` names modules the fork server imports besides the pipeline's (what that life warms up);
    `start_now` starts every worker at once instead of with the first task.
    """

    def __init__(self, settings: Settings, processes: int, *, serve: Callable[..., None] | None = None,
                 serve_args: tuple[object, ...] | None = None, tasks_per_worker: int | None = None,
                 preload: tuple[str, ...] = (), ahead: int = 0, start_now: bool = False) -> None:
        self.settings, self.size = settings, max(1, processes)
        self.serve = serve or _serve_pages
        self.serve_args = (settings,) if serve_args is None else serve_args
        self.tasks_per_worker = tasks_per_worker  # None: TASKS_PER_WORKER
        self.ahead = ahead
        self.start_now = start_now
        self.context = pool_context(settings, preload)
        self.queue: deque[_Task] = deque()
        self.workers: list[_Worker] = []
        self.successors: list[_Worker] = []  # started, waiting to take a leaving worker's place
        self.lock = threading.Lock()
        self.closing = False  # close(): no more pages, finish the queue
        self.ending = False  # terminate() or the queue drained after close()
        self.wake_r, self.wake_w = self.context.Pipe(duplex=False)
        self.thread = threading.Thread(target=self._run, name="extract-pool", daemon=True)
        self.thread.start()

    def submit(self, fetched: Fetched, done: Done, entry: FeedEntry | None = None) -> None:
        self.submit_task((fetched, entry), done, fetched.url)

    def submit_task(self, message: object, done: Done, label: str) -> None:
        """Send `message` to a worker's `serve`; `done` gets its answer, or an ExtractError naming
        `label` when the worker dies on it."""
        with self.lock:
            self.queue.append(_Task(message, done, label))
        self._wake()

    def close(self) -> None:
        """Wait until every queued page is extracted, then let the workers go."""
        self.closing = True
        self._wake()
        self.thread.join()

    def terminate(self) -> None:
        """Kill the workers at once; the pages they or the queue hold are abandoned."""
        self.ending = True
        self._wake()
        self.thread.join(timeout=5)
        for worker in [*self.workers, *self.successors]:
            _kill(worker)
        self.workers.clear()
        self.successors.clear()

    # ---- the feeding thread --------------------------------------------------------------

    @property
    def _limit(self) -> int:
        return self.tasks_per_worker or TASKS_PER_WORKER

    def _run(self) -> None:
        try:
            while self.start_now and len(self.workers) < self.size and not self.ending:
                if self._join() is None:
                    break
            while not self.ending:
                self._feed()
                if self.closing and not self.queue and not any(w.page for w in self.workers):
                    break
                busy = [w.conn for w in self.workers if w.page]
                sentinels = [w.process.sentinel for w in (*self.workers, *self.successors)]
                ready = wait([self.wake_r, *busy, *sentinels])
                if self.wake_r in ready:
                    while self.wake_r.poll():
                        self.wake_r.recv_bytes()
                for worker in list(self.workers):
                    if self.ending:
                        break
                    if worker.page and worker.conn in ready:
                        self._answered(worker)
                    elif worker.process.sentinel in ready and not worker.process.is_alive():
                        self._died(worker)
                for successor in list(self.successors):
                    if successor.process.sentinel in ready and not successor.process.is_alive():
                        self.successors.remove(successor)  # the next start makes another
                        successor.conn.close()
        except Exception:  # noqa: BLE001 (the pages queued would wait for ever otherwise)
            log.exception("extraction pool failed")
            self._fail_all(RuntimeError("the extraction pool failed; see the log"))
        finally:
            for worker in [*self.workers, *self.successors]:
                if self.ending:
                    _kill(worker)
                else:
                    _let_go(worker)
            self.workers.clear()
            self.successors.clear()

    def _feed(self) -> None:
        """Hand queued pages to workers: an idle one first, else a new one up to the pool's size,
        else (with `ahead`) a busy one with room in its pipe."""
        while self.queue and not self.ending:
            worker = self._taker(self.queue[0])
            if worker is None:
                return
            with self.lock:
                task = self.queue.popleft()
            worker.held.append(task)
            worker.sent += 1
            try:
                worker.conn.send_bytes(task.payload)
            except OSError:  # it died this instant; its sentinel reports the page
                pass
            if worker.sent == self._limit:
                self._start_successor()

    def _taker(self, task: _Task) -> _Worker | None:
        """The worker to send `task` to; None when each holds all it may."""
        open_to = [w for w in self.workers if w.sent < self._limit]
        idle = next((w for w in open_to if not w.held), None)
        if idle is not None:
            return idle
        if len(self.workers) < self.size:
            return self._join()
        room = [w for w in open_to if len(w.held) <= self.ahead]
        if not room or len(task.payload) > AHEAD_BYTES:
            return None
        return min(room, key=lambda w: len(w.held))

    def _join(self) -> _Worker | None:
        """A new member of the pool: a successor started already, else a worker started now."""
        worker = self.successors.pop(0) if self.successors else self._start_worker()
        if worker is not None:
            self.workers.append(worker)
        return worker

    def _start_successor(self) -> None:
        """Start the worker that takes the place of one sent its last task, while that one works."""
        if not self.closing and len(self.successors) < self.size:
            successor = self._start_worker()
            if successor is not None:
                self.successors.append(successor)

    def _answered(self, worker: _Worker) -> None:
        try:
            result = worker.conn.recv()
        except (EOFError, OSError):
            self._died(worker)
            return
        done = worker.held.popleft().done
        worker.answered += 1
        if worker.answered >= self._limit:
            self.workers.remove(worker)
            _let_go(worker)
        done(result)

    def _died(self, worker: _Worker) -> None:
        """A worker gone unasked (a crash, the OOM killer, SIGKILL): its page fails, hard, so a
        page that kills its worker is not fetched again; the pages waiting in its pipe, which it
        never read, go back to the front of the queue; the next page starts a new worker."""
        self.workers.remove(worker)
        worker.process.join(timeout=1)
        worker.conn.close()
        code = worker.process.exitcode
        if not worker.held:
            return
        page, *unread = worker.held
        with self.lock:
            self.queue.extendleft(reversed(unread))
        how = f"signal {-code}" if code and code < 0 else f"exit code {code}"
        log.warning("extraction worker %s died (%s) on %s", worker.process.pid, how, page.label)
        page.done(ExtractError(f"{page.label}: the extraction worker died ({how})"))

    def _start_worker(self) -> _Worker | None:
        parent, child = self.context.Pipe()
        process = self.context.Process(
            target=self.serve, args=(child, *self.serve_args), name="extract-worker", daemon=True
        )
        try:
            process.start()
        except Exception as exc:  # noqa: BLE001 (a fork server gone: the queued pages fail, softly)
            log.error("cannot start an extraction worker: %s", exc)
            parent.close()
            self._fail_all(RuntimeError(f"cannot start an extraction worker: {exc}"))
            return None
        finally:
            child.close()
        return _Worker(process, parent)

    def _fail_all(self, exc: BaseException) -> None:
        with self.lock:
            queued, self.queue = list(self.queue), deque()
        for task in queued:
            task.done(exc)

    def _wake(self) -> None:
        try:
            self.wake_w.send_bytes(b"")
        except OSError:
            pass


def _let_go(worker: _Worker) -> None:
    """Ask an idle worker to exit (it finishes nothing more), without waiting for it."""
    try:
        worker.conn.send(None)
    except OSError:
        pass
    worker.conn.close()


def _kill(worker: _Worker) -> None:
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join(timeout=5)
    worker.conn.close()


def pool_context(settings: Settings | None = None, preload: tuple[str, ...] = ()) -> multiprocessing.context.BaseContext:
    """Fork server with the pipeline preloaded where there is one; a fresh interpreter per worker
    (spawn) elsewhere. Never a plain fork of the poller: its threads could leave a lock held.

    The server preloads the pipeline `settings` name (rules folder, trained model), so a daemon
    configured with its own rules shares them too, and then imports the `preload` modules (each
    builds what its workers would build as they start, and catches its own errors: the server
    dies of any but an ImportError). It is started once per process, by the first pool: a later
    pool with other settings or modules gets workers that build their own.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    settings = settings or Settings()
    # the server is a child started with this process's environment: the one way to hand it data
    os.environ[PRELOAD_PIPELINE] = json.dumps([settings.rules_dir, settings.spacy_model])
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([PRELOAD_MODULE, *preload])  # read when the server starts, with the first pool
    return context


def preloaded_pipeline() -> tuple[str | None, str | None]:
    """The rules folder and trained model the fork server was started for (`pool_context`)."""
    rules_dir, spacy_model = json.loads(os.environ.get(PRELOAD_PIPELINE, "[null, null]"))
    return rules_dir, spacy_model


def preload() -> None:
    """What every worker needs, built once in the fork server (see the module's docstring)."""
    from monitor.article.extract import parse_article  # noqa: F401 (imported to be shared: trafilatura, lxml)
    from monitor.nlp.pipeline import extract_claims  # noqa: F401
    from monitor.nlp.pipeline import load_pipeline

    rules_dir, spacy_model = preloaded_pipeline()
    # the workers' call, load_pipeline(rules_dir, spacy_model), then hits the cache
    load_pipeline(rules_dir, spacy_model)


def serve_requests(conn: Connection, warm_up: Callable[[], None], handle: Callable[[Any], object],
                   label: Callable[[Any], str] = repr) -> None:
    """A pool worker's loop, for pages and backfill slices alike: warm up once, then answer each
    message its pipe brings with `handle`'s result, until it is sent None or the pipe closes.
    Signals are the parent's to handle, not the workers', from the start."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_IGN)
    warm_up()
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        result = handle(message)
        try:
            conn.send(result)
        except (OSError, ValueError):
            return
        except Exception as exc:  # noqa: BLE001 (a result that does not pickle)
            conn.send(RuntimeError(f"{label(message)}: the result could not be sent back: {exc}"))


def _serve_pages(conn: Connection, settings: Settings) -> None:
    """Build the rules pipeline once, then extract each page, sending back the result or the
    exception."""
    from monitor.nlp.pipeline import load_pipeline

    def warm_up() -> None:
        try:
            load_pipeline(settings.rules_dir, settings.spacy_model)
        except Exception:  # noqa: BLE001 (each page then reports the error with its message)
            log.debug("the rules pipeline failed to load", exc_info=True)

    def extract(page: tuple[Fetched, FeedEntry | None]) -> Extracted | BaseException:
        fetched, entry = page
        try:
            return extract_page(fetched, settings, entry)
        except Exception as exc:  # noqa: BLE001 (sent to the parent, as the page's result)
            return exc

    serve_requests(conn, warm_up, extract, label=lambda page: page[0].url)

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
import multiprocessing.pool
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass
from typing import Self

from monitor.config import Settings
from monitor.article.dedup import fingerprint
from monitor.models import Fetched
from monitor.ingest.document import Analysis, analyse
from monitor.storage.articles import compress_html

log = logging.getLogger(__name__)

# Pages a worker extracts before it is replaced. A new worker starts with cold caches (spaCy's
# tokenizer re-learns every word); measured over 6,000 articles, 250 against 100: 226 against
# 218 MB (sum of PSS) for 12% less CPU a page.
TASKS_PER_WORKER = 250
PRELOAD_MODULE = "monitor.ingest.preload"
PRELOAD_PIPELINE = "MONITOR_PRELOAD_PIPELINE"  # [rules_dir, spacy_model] for the fork server, as JSON

_worker_settings: Settings | None = None


@dataclass
class Extracted:
    """An analysed page, its near-duplicate fingerprint and its HTML gzip-compressed for storage,
    as sent back by a worker (article.raw_html is dropped: it crossed over once already)."""

    analysis: Analysis
    simhash: int | None
    raw_gzip: bytes | None


def extract_page(fetched: Fetched, settings: Settings) -> Extracted:
    """Article, claims and fingerprint of one fetched page; raises ExtractError without text."""
    analysis = analyse(fetched, settings=settings)
    article = analysis.article
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
    """Runs `extract_page` in a process pool, or in the calling thread with 0 processes. The pool
    starts with the first page, so a pass where every feed answers 304 starts no process."""

    def __init__(self, settings: Settings, processes: int | None = None) -> None:
        self.settings = settings
        self.processes = worker_count(settings) if processes is None else processes
        self._pool: multiprocessing.pool.Pool | None = None

    def submit(self, fetched: Fetched, done: Done) -> None:
        """Extract `fetched` and call `done` with the result or the exception (in another thread
        when a pool runs it)."""
        if self._pool is None and self.processes:
            self._pool = pool_context(self.settings).Pool(
                self.processes,
                initializer=_init_worker,
                initargs=(self.settings,),
                maxtasksperchild=TASKS_PER_WORKER,
            )
            log.info("extracting in %d worker process(es)", self.processes)
        if self._pool is None:
            try:
                result: Extracted | BaseException = extract_page(fetched, self.settings)
            except Exception as exc:  # noqa: BLE001 (handed to `done`, as a worker's exception would be)
                result = exc
            done(result)
            return
        self._pool.apply_async(_extract_in_worker, (fetched,), callback=done, error_callback=done)

    def close(self) -> None:
        """Let queued pages finish, then end the workers."""
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def terminate(self) -> None:
        """End the workers now, abandoning the pages they hold (a stop does not wait for them)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.terminate()


def pool_context(settings: Settings | None = None) -> multiprocessing.context.BaseContext:
    """Fork server with the pipeline preloaded where there is one; a fresh interpreter per worker
    (spawn) elsewhere. Never a plain fork of the poller: its threads could leave a lock held.

    The server preloads the pipeline `settings` name (rules folder, trained model), so a daemon
    configured with its own rules shares them too. It is started once per process, by the first
    pool: a later pool with other settings gets workers that build their own pipeline.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    settings = settings or Settings()
    # the server is a child started with this process's environment: the one way to hand it data
    os.environ[PRELOAD_PIPELINE] = json.dumps([settings.rules_dir, settings.spacy_model])
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([PRELOAD_MODULE])  # read when the server starts, with the first pool
    return context


def preload() -> None:
    """What every worker needs, built once in the fork server (see the module's docstring)."""
    from monitor.article.extract import parse_article  # noqa: F401 (imported to be shared: trafilatura, lxml)
    from monitor.nlp.pipeline import extract_claims  # noqa: F401
    from monitor.nlp.pipeline import load_pipeline

    rules_dir, spacy_model = json.loads(os.environ.get(PRELOAD_PIPELINE, "[null, null]"))
    # the workers' call, load_pipeline(rules_dir, spacy_model), then hits the cache
    load_pipeline(rules_dir, spacy_model)


def _init_worker(settings: Settings) -> None:
    """Build the rules pipeline once per worker; Ctrl-C is the parent's to handle, not the workers'."""
    global _worker_settings
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_settings = settings
    from monitor.nlp.pipeline import load_pipeline

    load_pipeline(settings.rules_dir, settings.spacy_model)


def _extract_in_worker(fetched: Fetched) -> Extracted:
    assert _worker_settings is not None, "worker not initialised"
    return extract_page(fetched, _worker_settings)

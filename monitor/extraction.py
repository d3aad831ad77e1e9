"""Code parts dedicated to extracting fetched pages beside the poller, in worker processes.

trafilatura and the rules are CPU-bound Python, so threads would take turns on one core; a pool of
processes (one per core by default) uses them all. Each worker builds the rules pipeline once,
in its initializer, and is replaced after TASKS_PER_WORKER pages so memory stays flat over months.
Workers never touch the database: the poller's main thread is its only writer.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.pool
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass
from typing import Self

from .config import Settings
from .dedup import fingerprint
from .models import Fetched
from .pipeline import Analysis, analyse
from .store import compress_html

log = logging.getLogger(__name__)

TASKS_PER_WORKER = 500

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
            # spawn, not fork: the poller has threads, and a forked child could inherit a held lock
            self._pool = multiprocessing.get_context("spawn").Pool(
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


def _init_worker(settings: Settings) -> None:
    """Build the rules pipeline once per worker; Ctrl-C is the parent's to handle, not the workers'."""
    global _worker_settings
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_settings = settings
    from .nlp import load_pipeline

    load_pipeline(settings.rules_dir, settings.spacy_model)


def _extract_in_worker(fetched: Fetched) -> Extracted:
    assert _worker_settings is not None, "worker not initialised"
    return extract_page(fetched, _worker_settings)

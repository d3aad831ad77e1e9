"""Where backfill tasks run: in the calling process, in a local process pool, or on a Dask
distributed cluster (the only module that imports Dask). Each hands back `SliceResult`s as they
complete; none of them writes the database."""

from __future__ import annotations

import logging
import os
import queue
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Protocol

from monitor.backfill.job import RECORDS_PER_TASK, BackfillOptions, SliceResult, SliceTask, run_slice
from monitor.errors import MonitorError

log = logging.getLogger(__name__)

CONNECT_SECONDS = 10  # how long the client waits for a scheduler that does not answer
SliceFunction = Callable[[SliceTask, BackfillOptions], SliceResult]  # run_slice, or a test's stand-in
# Records a pool worker reads before it is replaced, so what it accrues (spaCy's string store, the
# extractor's caches) stays small: ten slices of the default size. Counted in records, not slices,
# so that smaller slices do not replace workers more often: a replacement's first slice costs about
# 65 ms more than the next (caches filled again), 0.3 of 3.9 CPU-seconds over the benchmark's
# 12,000 records in slices of 250 when workers were replaced every 10 slices; a worker's memory
# grew 209 -> 211 MB over all 12,000 of the benchmark's records unreplaced (real news holds more words).
RECORDS_PER_WORKER = 10 * RECORDS_PER_TASK
# Slices kept in flight a worker: the one it runs and the next, so it goes on at once instead of
# waiting while the client stores its last result and submits another (on the benchmark's large
# file at load 3.5-4.5, a worker's idle time fell from 0.6-1.3 s to 0.4-0.6 s of a 5-12 s run).
# A pool worker holds the next in its pipe (WorkerPool's `ahead`): 1-3 ms between slices, not 9-14.
TASKS_AHEAD = 2
PRELOAD_MODULE = "monitor.backfill.preload"  # what the pool's fork server builds for every worker it forks


class Runner(Protocol):
    """Runs slices somewhere; `slots` is how many are worth keeping in flight at once."""

    slots: int

    def submit(self, task: SliceTask) -> None: ...

    def next_result(self) -> SliceResult:
        """The next slice to complete (blocks until one does)."""
        ...

    def close(self) -> None: ...


class InlineRunner:
    """Runs each slice in the calling process when its result is asked for."""

    slots = 1

    def __init__(self, options: BackfillOptions, *, task: SliceFunction | None = None) -> None:
        self.options = options
        self._task = task or run_slice
        self._pending: deque[SliceTask] = deque()

    def submit(self, task: SliceTask) -> None:
        self._pending.append(task)

    def next_result(self) -> SliceResult:
        return self._task(self._pending.popleft(), self.options)

    def close(self) -> None:
        self._pending.clear()


class PoolRunner:
    """A local pool of `processes` workers (the extraction pool's, monitor/ingest/workers.py),
    replaced after RECORDS_PER_WORKER records (`slices_per_worker`) by a successor started while it
    runs its last. Each is forked from a server that built the rules pipeline, the gate and the
    language model once (monitor/backfill/preload.py), so a worker, the first or a replacement,
    starts in 50-300 ms rather than the 0.6-3 s of building them. A worker holds the slice it runs and the next. The
    workers start with the runner, while the client opens and cuts the files.

    Not `multiprocessing.Pool`: a worker killed there (the OOM killer, a crash in a C extension)
    loses its task without a word and the run waits for it for ever. Here the slice it held comes
    back failed, naming the signal or exit code, and a new worker takes the next slice."""

    def __init__(self, options: BackfillOptions, processes: int, *, task: SliceFunction | None = None) -> None:
        from monitor.ingest.workers import WorkerPool

        self.options = options
        self.slots = processes * TASKS_AHEAD
        self._done: queue.SimpleQueue[SliceResult] = queue.SimpleQueue()
        self._pool = WorkerPool(options.settings, processes, serve=_serve_slices,
                                serve_args=(options, task or run_slice), tasks_per_worker=slices_per_worker(options),
                                preload=(PRELOAD_MODULE,), ahead=TASKS_AHEAD - 1, start_now=True)

    def submit(self, task: SliceTask) -> None:
        def done(result: SliceResult | BaseException) -> None:
            if isinstance(result, BaseException):  # the worker died on it, or the pool failed
                result = SliceResult(task.source, task.start, task.range_key, error=f"worker failed: {result}")
            self._done.put(result)

        self._pool.submit_task(task, done, f"{task.source} from byte {task.start}")

    def next_result(self) -> SliceResult:
        return self._done.get()

    def close(self) -> None:
        self._pool.terminate()


class DaskRunner:
    """Slices on a Dask distributed cluster (`Client.submit`, `as_completed`); the workers need
    the project installed, the database stays with this client."""

    def __init__(self, options: BackfillOptions, scheduler: str | Any, *, task: SliceFunction | None = None) -> None:
        from distributed import Client, as_completed

        self.options = options
        self._task = task or run_slice
        self._client = scheduler if isinstance(scheduler, Client) else Client(scheduler, timeout=CONNECT_SECONDS)
        self._own_client = not isinstance(scheduler, Client)
        self._completed = as_completed()
        self._tasks: dict[str, SliceTask] = {}
        self.slots = max(1, sum(self._client.nthreads().values())) * TASKS_AHEAD

    def submit(self, task: SliceTask) -> None:
        future = self._client.submit(self._task, task, self.options, pure=False)
        self._tasks[future.key] = task
        self._completed.add(future)

    def next_result(self) -> SliceResult:
        future = next(self._completed)
        task = self._tasks.pop(future.key)
        try:
            return future.result()
        except Exception as exc:  # noqa: BLE001 (a lost worker or a task error: the slice failed)
            why = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            return SliceResult(task.source, task.start, task.range_key,
                               error=f"{task.source} from byte {task.start}: task failed on the cluster ({why})")
        finally:
            future.release()

    def close(self) -> None:
        self._completed.clear()
        if self._own_client:
            self._client.close()


def make_runner(options: BackfillOptions, *, workers: int | None = None, scheduler: str | None = None) -> Runner:
    """The cluster at `scheduler`, else a pool of `workers` processes (default: one per core), or
    this process alone with 0 workers."""
    if scheduler:
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise MonitorError("--scheduler needs Dask: pip install 'ev-claims-monitor[cluster]'") from None
        try:
            return DaskRunner(options, scheduler)
        except (OSError, TimeoutError, ValueError) as exc:
            raise MonitorError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return InlineRunner(options) if workers == 0 else PoolRunner(options, workers)


def slices_per_worker(options: BackfillOptions) -> int:
    """The slices a pool worker runs before it is replaced: RECORDS_PER_WORKER records' worth."""
    return max(1, RECORDS_PER_WORKER // max(1, options.records_per_task))


def warm_up(options: BackfillOptions) -> None:
    """Build what every task uses once per process: the rules pipeline, the gate, the language model."""
    from monitor.nlp.pipeline import load_pipeline

    load_pipeline(options.settings.rules_dir, options.settings.spacy_model)
    warm_up_filters(options.settings.rules_dir)


def warm_up_filters(rules_dir: str | None) -> None:
    """The gate and the language model, built once per process: in each Dask worker, and in the
    pool's fork server for every worker it forks (monitor/backfill/preload.py)."""
    from monitor.backfill.gate import battery_gate
    from monitor.backfill.language import guess_language

    battery_gate(rules_dir)
    guess_language("a sentence to load the language model with")


def _serve_slices(conn: Connection, options: BackfillOptions, task: SliceFunction) -> None:
    """A pool worker's life: warm up, then run each slice its pipe brings (the ingest pool's one
    worker loop) and send the result back."""
    from monitor.ingest.workers import serve_requests

    def run(slice_task: SliceTask) -> SliceResult:
        try:
            return task(slice_task, options)
        except Exception as exc:  # noqa: BLE001 (a bug, not the file: the slice fails, the worker goes on)
            log.exception("%s from byte %d failed", slice_task.source, slice_task.start)
            return SliceResult(slice_task.source, slice_task.start, slice_task.range_key,
                               error=f"{slice_task.source}: {exc}")

    serve_requests(conn, lambda: warm_up(options), run, label=lambda t: f"{t.source} from byte {t.start}")

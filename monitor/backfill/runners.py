"""Where backfill tasks run: in the calling process, in a local process pool, or on a Dask
distributed cluster (the only module that imports Dask). Each hands back `SliceResult`s as they
complete; none of them writes the database."""

from __future__ import annotations

import logging
import os
import queue
import signal
from collections import deque
from typing import Any, Protocol

from monitor.backfill.job import BackfillOptions, SliceResult, SliceTask, run_slice
from monitor.errors import MonitorError

log = logging.getLogger(__name__)

CONNECT_SECONDS = 10  # how long the client waits for a scheduler that does not answer
TASKS_PER_WORKER = 10  # slices a pool worker runs before it is replaced, so what it accrues stays small


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

    def __init__(self, options: BackfillOptions) -> None:
        self.options = options
        self._pending: deque[SliceTask] = deque()

    def submit(self, task: SliceTask) -> None:
        self._pending.append(task)

    def next_result(self) -> SliceResult:
        return run_slice(self._pending.popleft(), self.options)

    def close(self) -> None:
        self._pending.clear()


class PoolRunner:
    """A local process pool of `processes` workers, each building the rules pipeline and the gate
    once (forked from the extraction pool's preloading server where the platform has one)."""

    def __init__(self, options: BackfillOptions, processes: int) -> None:
        from monitor.ingest.workers import pool_context

        self.options = options
        self.slots = processes
        self._done: queue.SimpleQueue[SliceResult] = queue.SimpleQueue()
        self._pool = pool_context(options.settings).Pool(
            processes, initializer=_init_worker, initargs=(options,), maxtasksperchild=TASKS_PER_WORKER,
        )

    def submit(self, task: SliceTask) -> None:
        def failed(exc: BaseException) -> None:
            self._done.put(SliceResult(task.source, task.start, error=f"{task.source}: worker failed: {exc}"))

        self._pool.apply_async(_run_in_worker, (task,), callback=self._done.put, error_callback=failed)

    def next_result(self) -> SliceResult:
        return self._done.get()

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()


class DaskRunner:
    """Slices on a Dask distributed cluster (`Client.submit`, `as_completed`); the workers need
    the project installed, the database stays with this client."""

    def __init__(self, options: BackfillOptions, scheduler: str | Any) -> None:
        from distributed import Client, as_completed

        self.options = options
        self._client = scheduler if isinstance(scheduler, Client) else Client(scheduler, timeout=CONNECT_SECONDS)
        self._own_client = not isinstance(scheduler, Client)
        self._completed = as_completed()
        self._tasks: dict[str, SliceTask] = {}
        self.slots = max(1, sum(self._client.nthreads().values()))

    def submit(self, task: SliceTask) -> None:
        future = self._client.submit(run_slice, task, self.options, pure=False)
        self._tasks[future.key] = task
        self._completed.add(future)

    def next_result(self) -> SliceResult:
        future = next(self._completed)
        task = self._tasks.pop(future.key)
        try:
            return future.result()
        except Exception as exc:  # noqa: BLE001 (a lost worker or a task error: the slice failed)
            return SliceResult(task.source, task.start, error=f"{task.source}: task failed on the cluster: {exc}")
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


_worker_options: BackfillOptions | None = None


def warm_up(options: BackfillOptions) -> None:
    """Build what every task uses once per process: the rules pipeline, the gate, the language model."""
    from monitor.backfill.gate import battery_gate
    from monitor.backfill.language import guess_language
    from monitor.nlp.pipeline import load_pipeline

    load_pipeline(options.settings.rules_dir, options.settings.spacy_model)
    battery_gate(options.settings.rules_dir)
    guess_language("a sentence to load the language model with")


def _init_worker(options: BackfillOptions) -> None:
    """Warm a pool worker up; Ctrl-C is the client's to handle."""
    global _worker_options
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_options = options
    warm_up(options)


def _run_in_worker(task: SliceTask) -> SliceResult:
    assert _worker_options is not None, "worker not initialised"
    return run_slice(task, _worker_options)

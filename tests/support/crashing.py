"""A stand-in for the backfill's task function that kills its own worker process with SIGKILL on
a file whose name says "crash" (as the OOM killer or a crash in a C extension would), and runs
the real task on any other file. Importable by pool and Dask workers (tests/ is on their path)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from monitor.backfill.job import BackfillOptions, SliceResult, SliceTask, run_slice


def killed_on_crash_files(task: SliceTask, options: BackfillOptions) -> SliceResult:
    if "crash" in Path(task.source).name:
        os.kill(os.getpid(), signal.SIGKILL)
    return run_slice(task, options)

"""`backfill(db, sources)`: every WARC file read slice by slice on a runner, each result stored
as it comes back. A file's slices run one after another (each starts where the last ended);
files run side by side, as many as the runner has slots."""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import sqlite_utils

from monitor.backfill.job import BackfillOptions, SliceResult, SliceTask
from monitor.backfill.runners import InlineRunner, Runner
from monitor.backfill.writer import BackfillWriter

log = logging.getLogger(__name__)


@dataclass
class BackfillReport:
    """A backfill's totals so far: files, records and what became of them."""

    files: int = 0
    files_done: int = 0
    files_finished_before: int = 0  # done by an earlier run: not read again
    failed_files: dict[str, str] = field(default_factory=dict)  # source -> why
    read: int = 0
    skipped: int = 0
    kept: int = 0
    failed: int = 0
    claims: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    @property
    def records_per_second(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0


Progress = Callable[[BackfillReport, SliceResult], None]


def backfill(
    db: sqlite_utils.Database, sources: Iterable[str], *, options: BackfillOptions | None = None,
    runner: Runner | None = None, progress: Progress | None = None,
) -> BackfillReport:
    """Read every source (a WARC file's path or URL) not finished before, from where the last run
    stopped; store what the tasks keep. A failed file is reported and the rest go on."""
    options = options or BackfillOptions()
    runner = runner or InlineRunner(options)
    writer = BackfillWriter(db, options.settings)
    report = BackfillReport()
    waiting: deque[SliceTask] = deque()
    for source in dict.fromkeys(sources):
        report.files += 1
        state = writer.progress(source)
        if state.done:
            report.files_finished_before += 1
            report.files_done += 1
            continue
        waiting.append(SliceTask(source, state.resume_offset, _limit(source, options)))
    in_flight = 0
    try:
        while waiting and in_flight < runner.slots:
            runner.submit(waiting.popleft())
            in_flight += 1
        while in_flight:
            result = runner.next_result()
            in_flight -= 1
            _record(report, result, writer.write(result))
            if result.error is None and result.next_offset is not None:
                runner.submit(SliceTask(result.source, result.next_offset, _limit(result.source, options)))
                in_flight += 1
            elif waiting:
                runner.submit(waiting.popleft())
                in_flight += 1
            if progress:
                progress(report, result)
    finally:
        runner.close()
    return report


def _limit(source: str, options: BackfillOptions) -> int | None:
    # a download is read whole by one task: a slice of it would fetch it again from the start
    return None if source.lower().startswith(("http://", "https://")) else options.records_per_task


def _record(report: BackfillReport, result: SliceResult, written) -> None:
    if written.stale:
        return
    report.read += result.read
    report.skipped += result.skipped + written.already_stored
    report.kept += written.kept
    report.failed += result.failed
    report.claims += written.claims
    if result.error is not None:
        report.failed_files[result.source] = result.error
    elif result.next_offset is None:
        report.files_done += 1

"""`backfill(db, sources)`: every WARC file the sources name read slice by slice on a runner,
each result stored as it comes back. A file's slices run one after another (each starts where
the last ended); files run side by side, as many as the runner has slots."""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import sqlite_utils

from monitor.backfill.inputs import expand_sources, is_url
from monitor.backfill.job import BackfillOptions, SliceResult, SliceTask
from monitor.backfill.runners import InlineRunner, Runner
from monitor.backfill.writer import BackfillWriter, SliceWritten

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
    bytes_total: int = 0  # of the local files, for the time left
    bytes_done: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    @property
    def records_per_second(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0


Progress = Callable[[BackfillReport, SliceResult | None], None]  # None: before the first slice


def backfill(
    db: sqlite_utils.Database, sources: Iterable[str], *, options: BackfillOptions | None = None,
    runner: Runner | None = None, progress: Progress | None = None, base: str | None = None,
) -> BackfillReport:
    """Read every WARC file the sources name (monitor/backfill/inputs.py; `base` for a listing's
    relative lines) that was not finished before, from where the last run stopped; store what
    the tasks keep. A file or listing that fails is reported and the rest go on."""
    options = options or BackfillOptions()
    runner = runner or InlineRunner(options)
    writer = BackfillWriter(db, options.settings)
    report = BackfillReport()
    inputs = expand_sources(list(sources), settings=options.settings, base=base)
    report.failed_files.update(inputs.failed)
    report.files = len(inputs.warcs) + len(inputs.failed)
    sizes: dict[str, int] = {}
    waiting: deque[SliceTask] = deque()
    for source in inputs.warcs:
        state = writer.progress(source)
        sizes[source] = _size(source)
        report.bytes_total += sizes[source]
        report.bytes_done += sizes[source] if state.done else min(state.resume_offset, sizes[source])
        if state.done:
            report.files_finished_before += 1
            report.files_done += 1
            continue
        waiting.append(SliceTask(source, state.resume_offset, _limit(source, options)))
    in_flight = 0
    if progress:
        progress(report, None)
    try:
        while waiting and in_flight < runner.slots:
            runner.submit(waiting.popleft())
            in_flight += 1
        while in_flight:
            result = runner.next_result()
            in_flight -= 1
            written = writer.write(result)
            _record(report, result, written, sizes.get(result.source, 0))
            _log(result, written)
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
    return None if is_url(source) else options.records_per_task


def _size(source: str) -> int:
    try:
        return 0 if is_url(source) else os.path.getsize(source)
    except OSError:
        return 0


def _record(report: BackfillReport, result: SliceResult, written: SliceWritten, size: int) -> None:
    if written.stale:
        return
    end = size if result.next_offset is None else min(result.next_offset, size)
    report.bytes_done += max(end - min(result.start, size), 0)
    report.read += result.read
    report.skipped += result.skipped + written.already_stored
    report.kept += written.kept
    report.failed += result.failed
    report.claims += written.claims
    if result.error is not None:
        report.failed_files[result.source] = result.error
    elif result.next_offset is None:
        report.files_done += 1


def _log(result: SliceResult, written: SliceWritten) -> None:
    fields = {"file": result.source, "offset": result.start, "next_offset": result.next_offset,
              "read": result.read, "kept": written.kept, "skipped": result.skipped + written.already_stored,
              "failed": result.failed, "claims": written.claims}
    if result.error:
        log.error("%s", result.error, extra=fields)
    else:
        log.info("%s: %d records from byte %d, %d kept, %d claims", result.source, result.read,
                 result.start, written.kept, written.claims, extra=fields)

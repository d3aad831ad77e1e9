"""`backfill(db, sources)`: every WARC file the sources name read slice by slice on a runner,
each result stored as it comes back. A local file is cut into byte ranges at record starts
(`BackfillOptions.slice_bytes` at most, one for every slice the runner keeps in flight, smaller
toward the run's end: monitor/backfill/ranges.py) that run side by side, so two workers share
one large file; within a range, tasks run one after another (each starts where the last ended).
With `prefetch`, URLs are downloaded ahead to a spool folder (monitor/backfill/prefetch.py) and
read as local files; without, a URL is one range and its task downloads it."""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from monitor.backfill.inputs import expand_sources, is_url
from monitor.backfill.job import BackfillOptions, SliceResult, SliceTask
from monitor.backfill.prefetch import Prefetched, Prefetcher, spool_beside
from monitor.backfill.ranges import SMALLEST_RANGE_BYTES, range_starts
from monitor.backfill.runners import InlineRunner, Runner
from monitor.backfill.writer import BackfillWriter, SliceWritten
from monitor.sources.warc import record_starts

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
    bytes_before: int = 0  # done by earlier runs: not part of this run's rate
    unsized_files: int = 0  # URLs: their size is known only to the task that downloads them
    files_done_before: int = 0  # of files_done, those done before this run or by a rerun's ranges
    started: float = field(default_factory=time.monotonic)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    @property
    def records_per_second(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0

    @property
    def seconds_left(self) -> float | None:
        """At this run's rate so far: of bytes when every file's size is known, else of files;
        None until something was done to go by."""
        if self.unsized_files:
            done = self.files_done - self.files_done_before
            left = self.files - self.files_done - len(self.failed_files)
            return left * self.seconds / done if done > 0 else None
        done = self.bytes_done - self.bytes_before
        return (self.bytes_total - self.bytes_done) * self.seconds / done if done > 0 else None


Progress = Callable[[BackfillReport, SliceResult | None], None]  # None: before the first slice


def backfill(
    db: sqlite_utils.Database, sources: Iterable[str], *, options: BackfillOptions | None = None,
    runner: Runner | None = None, progress: Progress | None = None, base: str | None = None,
    prefetch: int = 0, spool: Path | None = None,
) -> BackfillReport:
    """Read every WARC file the sources name (monitor/backfill/inputs.py; `base` for a listing's
    relative lines) that was not finished before, from where the last run stopped; store what
    the tasks keep. A file or listing that fails is reported and the rest go on. `prefetch`: URLs
    downloaded this many files ahead into `spool` (default: beside the database's file), where
    the runner's workers must be able to read them."""
    options = options or BackfillOptions()
    run = _Run(db, options, runner or InlineRunner(options))
    inputs = expand_sources(list(sources), settings=options.settings, base=base)
    run.report.failed_files.update(inputs.failed)
    run.report.files = len(inputs.warcs) + len(inputs.failed)
    run.queue(inputs.warcs, prefetch, spool or spool_beside(db))
    return run.drain(progress)


class _Run:
    """One backfill's moving parts: the ranges waiting, the slices in flight on the runner, the
    downloads ahead, and the counts for the report. Results are stored as they come back, and a
    range's next slice is submitted at once, so every slot of the runner stays busy."""

    def __init__(self, db: sqlite_utils.Database, options: BackfillOptions, runner: Runner) -> None:
        self.options = options
        self.runner = runner
        self.writer = BackfillWriter(db, options.settings)
        self.report = BackfillReport()
        self.sizes: dict[str, int] = {}
        self.open_ranges: dict[str, int] = {}  # source -> its ranges not yet read to their end
        self.spooled: dict[str, int] = {}  # URL read from its spooled copy -> its ranges not yet back
        self.waiting: deque[SliceTask] = deque()
        self.tasks: dict[tuple[str, int, int], SliceTask] = {}  # in flight, by (source, range, start)
        self.prefetcher: Prefetcher | None = None

    def queue(self, warcs: list[str], prefetch: int, spool: Path) -> None:
        """Queue the local files' ranges; with `prefetch`, the URLs not finished before go to the
        downloads ahead, and a finished one's copy a kill may have left in the spool is removed."""
        ahead: list[str] = []
        finished: list[str] = []
        done = {source: self.writer.finished(source) for source in warcs}  # each file recorded, in order
        after = _bytes_after(warcs, done)
        for source in warcs:
            if not (prefetch and is_url(source)):
                self.open_file(source, after=after[source])
            elif done[source]:
                finished.append(source)
                self._done_before()
            else:
                ahead.append(source)
                self.report.unsized_files += 1
        self.prefetcher = Prefetcher(ahead, spool, settings=self.options.settings, ahead=max(prefetch, 1))
        for source in finished:
            self.prefetcher.remove(source)

    def _done_before(self) -> None:
        self.report.files_finished_before += 1
        self.report.files_done += 1
        self.report.files_done_before += 1

    def open_file(self, source: str, path: str | None = None, *, after: int = 0) -> None:
        """Queue the file's ranges not read to their end (`path`: the copy of a URL to read); a
        file never read is cut for a run that reads `after` bytes of other files after it."""
        report, readable = self.report, path or source
        size = self.sizes[source] = _size(readable)
        ranges = self.writer.open_ranges(
            source, lambda first: _cut(readable, first, self.options, self.runner.slots, after)
        )
        report.bytes_total += size
        done_before = size - sum(max(min(r.end or size, size) - min(r.resume_offset, size), 0) for r in ranges)
        report.bytes_done += done_before
        report.bytes_before += done_before
        if not ranges:
            self._done_before()
            if path:
                self.prefetcher.remove(source)
            return
        report.unsized_files += is_url(readable)
        self.open_ranges[source] = len(ranges)
        if path:
            self.spooled[source] = len(ranges)
        limit = _limit(readable, self.options)
        self.waiting.extend(SliceTask(source, r.resume_offset, limit, r.end, r.start, path) for r in ranges)

    def took(self, download: Prefetched) -> None:
        self.report.unsized_files -= 1
        if download.path is None:
            self.report.failed_files[download.url] = download.error or "download failed"
            self.writer.fail(download.url, self.report.failed_files[download.url])
        else:
            self.open_file(download.url, download.path)

    def submit(self, task: SliceTask) -> None:
        self.tasks[(task.source, task.range_key, task.start)] = task
        self.runner.submit(task)

    def top_up(self) -> None:
        """Fill the free slots: ranges waiting, else the next download (waited for when nothing runs)."""
        while len(self.tasks) < self.runner.slots:
            if self.waiting:
                self.submit(self.waiting.popleft())
            elif (download := self.prefetcher.take(block=not self.tasks)) is not None:
                self.took(download)
            else:
                return

    def store(self, result: SliceResult) -> None:
        """Store a slice's result, count it, and go on with its range or let its spooled copy go."""
        written = self.writer.write(result)
        task = self.tasks.pop((result.source, result.range_start, result.start))
        _record(self.report, result, written, task, self.sizes.get(result.source, 0), self.open_ranges)
        _log(result, written, self.report)
        if result.error is None and result.next_offset is not None:
            self.submit(SliceTask(result.source, result.next_offset, task.limit, task.end, task.range_key, task.path))
        elif result.source in self.spooled:
            self.spooled[result.source] -= 1
            if not self.spooled[result.source]:
                self.prefetcher.remove(result.source)  # read, or failed: a rerun downloads it again

    def drain(self, progress: Progress | None) -> BackfillReport:
        """Run every queued range and download to its end."""
        if progress:
            progress(self.report, None)
        try:
            if self.prefetcher.pending:
                self.prefetcher.start()
            self.top_up()
            while self.tasks:
                result = self.runner.next_result()
                self.store(result)
                self.top_up()
                if progress:
                    progress(self.report, result)
        finally:
            self.prefetcher.close()
            self.runner.close()
        return self.report


def _limit(readable: str, options: BackfillOptions) -> int | None:
    # a URL a task downloads is read whole by it: a slice of it would fetch it again from the start
    return None if is_url(readable) else options.records_per_task


def _bytes_after(warcs: list[str], done: dict[str, bool]) -> dict[str, int]:
    """For each source, the bytes of the local files after it that the run reads (not finished
    before; a URL's size is not known here, so it counts none): what guides its cut."""
    after, later = {}, 0
    for source in reversed(warcs):
        after[source] = later
        later += 0 if done[source] else _size(source)
    return after


def _cut(readable: str, first: int, options: BackfillOptions, slots: int, after: int) -> list[int]:
    """Where the ranges of a file never read start: one range for a URL its task downloads; a
    file's ranges (monitor/backfill/ranges.py) at the record starts nearest after their ideal
    points."""
    if is_url(readable):
        return [first]
    ideal = range_starts(first, _size(readable), after=after, largest=options.slice_bytes, parallel=slots,
                         smallest=SMALLEST_RANGE_BYTES)
    return record_starts(readable, first=first, targets=ideal[1:])


def _size(source: str) -> int:
    try:
        return 0 if is_url(source) else os.path.getsize(source)
    except OSError:
        return 0


def _record(report: BackfillReport, result: SliceResult, written: SliceWritten, task: SliceTask, size: int,
            open_ranges: dict[str, int]) -> None:
    if written.stale:
        return
    if result.error is None:
        end = min(task.end or size, size) if result.next_offset is None else min(result.next_offset, size)
        report.bytes_done += max(end - min(result.start, size), 0)
    report.read += result.read
    report.skipped += result.skipped + written.already_stored
    report.kept += written.kept
    report.failed += result.failed
    report.claims += written.claims
    if result.error is not None:
        report.failed_files[result.source] = result.error
    elif result.next_offset is None:
        open_ranges[result.source] -= 1
        if not open_ranges[result.source] and result.source not in report.failed_files:
            report.files_done += 1


def _log(result: SliceResult, written: SliceWritten, report: BackfillReport) -> None:
    left = report.seconds_left
    fields = {"file": result.source, "offset": result.start, "next_offset": result.next_offset,
              "read": result.read, "kept": written.kept, "skipped": result.skipped + written.already_stored,
              "failed": result.failed, "claims": written.claims, "files_done": report.files_done,
              "files": report.files, "seconds_left": None if left is None else round(left)}
    if result.error:
        log.error("%s", result.error, extra=fields)
    else:
        log.info("%s: %d records from byte %d, %d kept, %d claims", result.source, result.read,
                 result.start, written.kept, written.claims, extra=fields)

"""One backfill task: a slice of one WARC file in, the battery pages it holds out, extracted and
analysed as plain values. A pure function of its inputs apart from reading the file, so a local
process or a Dask worker on another machine runs it alike; only the client writes the database.

Each record goes through the cheapest test that can refuse it first (`worth_extracting`): the
reader's (a response, status 200, HTML), the crawl date, the host, an exact duplicate (payload digest)
earlier in the slice, the gate on the raw bytes, the canonical URL, the declared language; only
then trafilatura, the language guess, the relevance check on the text and, last, the rules.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from monitor.article.dedup import canonical_url, fingerprint
from monitor.article.extract import declared_language
from monitor.backfill.gate import battery_gate
from monitor.backfill.hosts import host_wanted
from monitor.backfill.language import ENGLISH, in_language, primary_subtag
from monitor.config import Settings
from monitor.errors import MonitorError
from monitor.ingest.document import analyse_text, extract_article
from monitor.ingest.workers import Extracted
from monitor.models import Fetched
from monitor.nlp.relevance import is_battery_relevant
from monitor.sources.downloads import downloaded_warc
from monitor.sources.warc import SkippedRecord, WarcPage, read_warc
from monitor.storage.articles import compress_html

log = logging.getLogger(__name__)

SKIPPED, FAILED = "skipped", "failed"
RECORDS_PER_TASK = 2000  # a slice: small enough that a kill loses little, large enough to keep workers busy
SLICE_BYTES = 64 << 20  # a file is cut into ranges of about this size that run side by side (16 a CC-NEWS file)


@dataclass(frozen=True)
class BackfillOptions:
    """What every task of one backfill shares."""

    settings: Settings = field(default_factory=Settings)
    since: str | None = None  # publication dates (YYYY-MM-DD or a stored timestamp) kept, inclusive
    until: str | None = None
    keep_all: bool = False  # store every page in `language`, not only battery-relevant ones
    language: str = ENGLISH  # a primary language subtag: the pages kept are in it
    hosts: tuple[str, ...] = ()  # only pages on these hosts or under them (none: every host)
    exclude_hosts: tuple[str, ...] = ()  # never pages on these hosts or under them
    records_per_task: int = RECORDS_PER_TASK
    slice_bytes: int = SLICE_BYTES


@dataclass(frozen=True)
class SliceTask:
    """Read `source` from byte `start` (a record's offset), at most `limit` records (None: no
    limit), up to the first record at or after byte `end` (None: the end of the file). A file is
    cut into byte ranges that run side by side; the range this task goes on with starts at
    `range_start` (None: at `start`). `path` is a local copy of a URL `source` to read instead
    (downloaded ahead, monitor/backfill/prefetch.py); None: the source itself."""

    source: str
    start: int = 0
    limit: int | None = RECORDS_PER_TASK
    end: int | None = None
    range_start: int | None = None
    path: str | None = None

    @property
    def range_key(self) -> int:
        return self.start if self.range_start is None else self.range_start


@dataclass
class KeptPage:
    """A page worth storing, as the workers of the poller hand theirs to its writer."""

    offset: int
    extracted: Extracted


@dataclass
class SliceResult:
    """What one task found. `next_offset` is where the range's next task starts, None once the
    range was read to its end; `error` says why the file could not be read at all."""

    source: str
    start: int
    range_start: int = 0
    next_offset: int | None = None
    read: int = 0
    skipped: int = 0
    failed: int = 0
    gated: int = 0  # records that passed the gate and were extracted
    kept: list[KeptPage] = field(default_factory=list)
    error: str | None = None


def run_slice(task: SliceTask, options: BackfillOptions) -> SliceResult:
    """Read, gate, extract and analyse one slice; never raises for what a file holds."""
    result = SliceResult(task.source, task.start, task.range_key)
    seen: set[str] = set()
    try:
        with _local_copy(task, options.settings) as path:
            _read_slice(task, path, options, result, seen)
    except MonitorError as exc:  # the file cannot be had (a download) or is no WARC
        result.error = str(exc)
        log.error("%s", exc, extra={"file": task.source})
    return result


def _read_slice(task: SliceTask, path: str, options: BackfillOptions, result: SliceResult, seen: set[str]) -> None:
    entries = read_warc(path, start=task.start, max_record_bytes=options.settings.max_body_bytes, name=task.source)
    for entry in entries:
        if task.end is not None and entry.offset >= task.end:
            return  # the next range's first record
        if task.limit is not None and result.read >= task.limit:
            result.next_offset = entry.offset
            return
        result.read += 1
        if isinstance(entry, SkippedRecord):
            if entry.broken:
                result.failed += 1
            else:
                result.skipped += 1
            continue
        outcome = _page(entry, options, seen, result)
        if isinstance(outcome, KeptPage):
            result.kept.append(outcome)
        elif outcome == FAILED:
            result.failed += 1
        else:
            result.skipped += 1


@contextmanager
def _local_copy(task: SliceTask, settings: Settings) -> Iterator[str]:
    """The file itself or the copy downloaded ahead, else a download of it streamed to a
    temporary file for the task's length."""
    if task.path or not task.source.lower().startswith(("http://", "https://")):
        yield task.path or task.source
        return
    with downloaded_warc(task.source, settings=settings) as path:
        yield str(path)


def _page(page: WarcPage, options: BackfillOptions, seen: set[str], result: SliceResult) -> KeptPage | str:
    """The page kept, or SKIPPED or FAILED."""
    if not worth_extracting(page, options, seen):
        return SKIPPED
    result.gated += 1
    try:
        return _analyse(page, options) or SKIPPED
    except MonitorError as exc:  # no article text in the page: nothing to keep, nothing broken
        log.debug("%s at byte %d: %s", result.source, page.offset, exc)
        return SKIPPED
    except Exception as exc:  # noqa: BLE001 (a page that breaks the extractor is one failed record)
        log.warning("%s: record at byte %d (%s) failed: %s", result.source, page.offset, page.url, exc,
                    extra={"file": result.source, "offset": page.offset, "url": page.url})
        return FAILED


def worth_extracting(page: WarcPage, options: BackfillOptions, seen: set[str]) -> bool:
    """The tests before trafilatura, cheapest first: the crawl date, the host, an exact duplicate
    earlier in the slice (`seen`), the gate, the canonical URL, the declared language."""
    if options.since and page.date and page.date[:10] < options.since[:10]:
        return False  # crawled before `since`: published before it too
    if not host_wanted(page.url, options.hosts, options.exclude_hosts):
        return False
    if page.digest and page.digest in seen:
        return False
    seen.add(page.digest or "")
    if not options.keep_all and not battery_gate(options.settings.rules_dir).passes(page.body):
        return False
    canonical = canonical_url(page.url)  # after the gate: normalising every URL cost a fifth of its time
    if canonical in seen:
        return False
    seen.add(canonical)
    declared = declared_language(page.body)
    return not declared or primary_subtag(declared) == options.language


def _analyse(page: WarcPage, options: BackfillOptions) -> KeptPage | None:
    settings = options.settings
    headers = {"content-type": f"{page.content_type}; charset={page.charset}" if page.charset else page.content_type}
    fetched = Fetched(url=page.url, final_url=page.url, body=page.body, content_type=page.content_type,
                      headers=headers)
    article = extract_article(fetched, settings)
    if not in_language(article, options.language):
        return None
    rules = Path(settings.rules_dir) if settings.rules_dir else None
    if not options.keep_all and not is_battery_relevant(article.text, rules_dir=rules):
        return None
    article.published = article.published or page.date
    if not _within(article.published, options):
        return None
    raw = article.raw_html
    analysis = analyse_text(article, settings)
    analysis.source = page.url
    article.raw_html = None
    return KeptPage(page.offset, Extracted(analysis, fingerprint(article.text), compress_html(raw) if raw else None))


def _within(published: str | None, options: BackfillOptions) -> bool:
    if not published:
        return options.since is None and options.until is None
    day = published[:10]
    return (options.since is None or day >= options.since[:10]) and (options.until is None or day <= options.until[:10])

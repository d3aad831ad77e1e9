"""Web archives as input: the HTML pages a WARC or WARC.gz file holds, one record at a time.

Read with FastWARC (package `resiliparse`'s reader): on a generated WARC.gz of 3,000 corpus pages
it read 2,400 records/s against warcio's 1,000 on this machine. A backfill reads archives that
nobody checked, so nothing in one breaks the rest: a record with broken HTTP headers, a truncated
record or one over the size cap is yielded as a `SkippedRecord` with its offset and the reason,
and a stretch that is not WARC at all is skipped up to the next record found after it.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from fastwarc.warc import ArchiveIterator, WarcRecordType

from monitor.errors import ArchiveError
from monitor.timestamps import stamp

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
GZIP_MAGIC = b"\x1f\x8b\x08"
WARC_MAGIC = b"WARC/1."
RESYNC_WINDOW = 1 << 20  # bytes read at a time while looking for the next record after junk
MAX_RESYNCS = 1000  # stretches of junk skipped in one file before it is given up as not a WARC


@dataclass
class WarcPage:
    """An HTML page a response record holds: what a backfill extracts."""

    url: str
    body: bytes
    offset: int  # where the record starts in the file (compressed bytes for .gz)
    date: str | None = None  # WARC-Date, as stored timestamps are
    content_type: str = "text/html"
    charset: str | None = None  # of the HTTP Content-Type header
    digest: str | None = None  # WARC-Payload-Digest: the same body anywhere has the same one


@dataclass
class SkippedRecord:
    """A response record not worth extracting, or broken (`broken`: counted as failed)."""

    offset: int
    reason: str
    url: str = ""
    broken: bool = False


WarcEntry = WarcPage | SkippedRecord


def read_warc(
    path: str | Path, *, start: int = 0, max_record_bytes: int = 10 * 1024 * 1024, name: str | None = None
) -> Iterator[WarcEntry]:
    """Every response record of a local WARC or WARC.gz file from byte `start` (a record's offset
    as an earlier read yielded it). Junk between records is skipped to the next record; raises
    ArchiveError when the file cannot be opened or holds no WARC record at all. `name` is what
    messages call the file (the URL of a downloaded copy; default: its path)."""
    path = Path(path)
    name = name or str(path)
    try:
        file = path.open("rb")
    except OSError as exc:
        raise ArchiveError(f"{name}: cannot read: {exc.strerror}") from None
    with file:
        magic = GZIP_MAGIC if _starts_with(file, GZIP_MAGIC) else WARC_MAGIC
        position, found, resyncs = start, False, 0
        while True:
            file.seek(position)
            last = None
            try:
                for entry in read_warc_stream(file, source=name, max_record_bytes=max_record_bytes):
                    found, last = True, entry.offset
                    yield entry
                return
            except ArchiveError as exc:
                failed_at = position if last is None else last + 1
                resume = _next_marker(file, failed_at + 1, magic) if resyncs < MAX_RESYNCS else None
                if resume is None:
                    if not found and start == 0:
                        raise ArchiveError(f"{name}: not a WARC file ({exc})") from None
                    yield SkippedRecord(failed_at, f"unreadable to the end of the file ({exc})", broken=True)
                    return
                log.warning("%s: junk at byte %d (%s); going on from byte %d", name, failed_at, exc,
                            resume, extra={"file": name, "offset": failed_at})
                yield SkippedRecord(failed_at, f"unreadable bytes up to {resume} ({exc})", broken=True)
                position, resyncs = resume, resyncs + 1


def read_warc_stream(
    stream: BinaryIO, *, source: str, max_record_bytes: int = 10 * 1024 * 1024
) -> Iterator[WarcEntry]:
    """The response records of an open WARC stream (a download, say), in order; raises
    ArchiveError where the stream stops being WARC (the entries before it are yielded)."""
    records = ArchiveIterator(stream, record_types=WarcRecordType.response, parse_http=False)
    try:
        for record in records:
            yield _entry(record, source, max_record_bytes)
    except OSError as exc:  # FastWARC's word for "Invalid WARC header" and unreadable gzip
        raise ArchiveError(f"{source}: {exc}") from None


def _entry(record, source: str, max_record_bytes: int) -> WarcEntry:
    offset = record.stream_pos
    url = record.headers.get("WARC-Target-URI") or ""
    declared = record.content_length
    if declared > max_record_bytes:
        log.warning("%s: record at byte %d is %d bytes, over the %d cap; skipped", source, offset,
                    declared, max_record_bytes, extra={"file": source, "offset": offset, "url": url})
        return SkippedRecord(offset, f"record too large ({declared} bytes)", url, broken=True)
    try:
        record.parse_http()
    except (OSError, ValueError) as exc:
        return _broken(source, offset, url, f"broken HTTP headers ({exc})")
    status = record.http_headers.status_code
    if status is None:
        return _broken(source, offset, url, "broken HTTP headers (no status line)")
    if status != 200:
        return SkippedRecord(offset, f"HTTP status {status}", url)
    content_type = (record.http_content_type or "").split(";")[0].strip().lower()
    if content_type not in HTML_TYPES:
        return SkippedRecord(offset, f"not HTML ({content_type or 'no content type'})", url)
    expected = record.content_length  # the payload's length, once the HTTP headers are read
    body = record.reader.read()
    if len(body) < expected:
        return _broken(source, offset, url, f"truncated record ({len(body)} of {expected} bytes)")
    return WarcPage(
        url=url, body=body, offset=offset, date=_date(record), content_type=content_type,
        charset=record.http_charset, digest=record.headers.get("WARC-Payload-Digest"),
    )


def _broken(source: str, offset: int, url: str, reason: str) -> SkippedRecord:
    log.warning("%s: record at byte %d: %s; skipped", source, offset, reason,
                extra={"file": source, "offset": offset, "url": url})
    return SkippedRecord(offset, reason, url, broken=True)


def _date(record) -> str | None:
    try:
        moment = record.record_date
    except (OSError, ValueError):
        return None
    return stamp(moment) if isinstance(moment, datetime) else None


def record_starts(path: str | Path, *, first: int = 0, targets: Iterable[int]) -> list[int]:
    """`first` (a record's offset), then the first record start at or after each of `targets`
    (in order) past the last point found: the points a file is cut at into ranges that run side
    by side. A point is only a record's start for sure: for .gz a gzip member that decompresses
    to a WARC header (CC-NEWS compresses each record alone), for plain WARC a "WARC/1.x" line
    after the blank line that ends a record. A file that cannot be read, or holds no such point,
    is one range."""
    path = Path(path)
    starts = [first]
    try:
        with path.open("rb") as file:
            compressed = _starts_with(file, GZIP_MAGIC)
            for target in targets:
                if target <= starts[-1]:
                    continue  # a long record reached past it
                found = _record_start_after(file, target, compressed)
                if found is None:
                    break
                starts.append(found)
    except OSError:
        return [first]
    return starts


def _record_start_after(file: BinaryIO, position: int, compressed: bool) -> int | None:
    magic = GZIP_MAGIC if compressed else WARC_MAGIC
    while (found := _next_marker(file, position, magic)) is not None:
        if _record_starts_at(file, found, compressed):
            return found
        position = found + 1
    return None


def _record_starts_at(file: BinaryIO, position: int, compressed: bool) -> bool:
    if compressed:
        file.seek(position)
        try:
            head = zlib.decompressobj(wbits=31).decompress(file.read(4096), len(WARC_MAGIC) + 3)
        except zlib.error:
            return False
        return head.startswith(WARC_MAGIC) and head[len(WARC_MAGIC) + 1 : len(WARC_MAGIC) + 3] == b"\r\n"
    file.seek(max(position - 4, 0))
    head = file.read(4 + len(WARC_MAGIC) + 3)
    return head[:4] == b"\r\n\r\n" and head[4 + len(WARC_MAGIC) + 1 :] == b"\r\n"


def _starts_with(file: BinaryIO, magic: bytes) -> bool:
    head = file.read(len(magic))
    file.seek(0)
    return head == magic


def _next_marker(file: BinaryIO, position: int, magic: bytes) -> int | None:
    """Where the next gzip member or WARC record seems to start at or after `position`."""
    file.seek(position)
    carry = b""
    while chunk := file.read(RESYNC_WINDOW):
        window = carry + chunk
        found = window.find(magic)
        if found >= 0:
            return position - len(carry) + found
        position += len(chunk)
        carry = window[-(len(magic) - 1):]
    return None

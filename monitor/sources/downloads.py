"""Large files (WARCs of a gigabyte) downloaded to disk through the safe fetcher, never held in
memory, and resumed where an interrupted download stopped.

The bytes go to NAME.part, beside a note (NAME.part.json) of the first answer's validator (a
strong ETag, else Last-Modified) and length, written before the body. A later download of the
same URL asks for the rest with `Range: bytes=N-` guarded by `If-Range`, so a file changed on the
server is never spliced onto the old one's start: a 200 (the server ignores ranges, or the file
changed), a 206 from elsewhere than N or with another validator, or a 416 start over from zero.
NAME itself appears only once the .part is complete and as long as the server said it would be.
A connection lost half-way (a timeout, a reset, a 5xx) is tried again from there, twice, after a pause.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import BinaryIO

import httpx

from monitor.config import Settings
from monitor.errors import FetchError, TransientFetchError
from monitor.models import Fetched

log = logging.getLogger(__name__)

MAX_DOWNLOAD_BYTES = 8 << 30  # a CC-NEWS file is about 1 GB; anything past this is not a WARC we want
DOWNLOAD_SECONDS = 3 * 3600.0  # one request's whole answer, however slow the link
RETRIES = 2  # tries again after a transient failure, each from what arrived
RETRY_PAUSE = 1.0  # seconds before the first of them, twice that before the second (or the server's Retry-After)
MAX_RETRY_PAUSE = 60.0


@dataclass(frozen=True)
class PartNote:
    """What a .part file holds the start of: the URL, the validators of the answer it came in and
    the whole file's length (None: the server did not say)."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    length: int | None = None

    @property
    def validator(self) -> str | None:
        """What `If-Range` may carry: a strong ETag (a weak one may not), else Last-Modified."""
        if self.etag and not self.etag.startswith("W/"):
            return self.etag
        return self.last_modified

    def same_file(self, answer: PartNote) -> bool:
        """Whether `answer` (a 206's headers) names the same version of the file."""
        if self.etag and not self.etag.startswith("W/"):
            return answer.etag == self.etag
        return answer.last_modified == self.last_modified


class _StartOver(Exception):
    """The server's answer cannot continue the .part: the download begins again from zero."""


def download_limits(settings: Settings) -> Settings:
    """The settings with a download's caps: 8 GB and 3 hours instead of a page's."""
    return replace(settings, max_body_bytes=MAX_DOWNLOAD_BYTES, max_decompressed_bytes=MAX_DOWNLOAD_BYTES,
                   total_timeout=DOWNLOAD_SECONDS)


def part_path(path: Path) -> Path:
    """Where the bytes of a download to `path` go until it is complete."""
    return path.with_name(path.name + ".part")


def download_file(url: str, path: Path, *, settings: Settings, client: httpx.Client | None = None,
                  retries: int = RETRIES) -> Path:
    """`url` downloaded to `path`, going on from the .part an interrupted download left when the
    server still serves the same file, and tried `retries` times more after a transient failure.
    Raises FetchError when it cannot be had; what arrived stays in the .part for the next try."""
    from monitor.sources.http import make_client

    if client is None:
        with make_client(download_limits(settings)) as own:
            return download_file(url, path, settings=settings, client=own, retries=retries)
    for attempt in range(retries + 1):
        try:
            return _download(url, path, client=client, settings=download_limits(settings))
        except TransientFetchError as exc:
            if attempt == retries:
                raise
            waited = exc.retry_after if exc.retry_after is not None else RETRY_PAUSE * (attempt + 1)
            pause = min(waited, MAX_RETRY_PAUSE)
            log.warning("%s; trying again in %g s from what arrived", exc, pause, extra={"url": url})
            time.sleep(pause)
    raise AssertionError("unreachable: the last try returns or raises")


def _download(url: str, path: Path, *, client: httpx.Client, settings: Settings) -> Path:
    """One try: from the .part when its note allows, else from the start."""
    part, resume = part_path(path), _resumable(url, path)
    offset = part.stat().st_size if resume else 0
    if resume and resume.length is not None and offset == resume.length:
        return _complete(url, path, resume)  # killed after its last byte, before the rename
    try:
        note = _fetch_part(url, path, client=client, settings=settings, resume=resume, offset=offset)
    except _StartOver as why:
        log.info("%s: %s; downloading it again from the start", url, why, extra={"url": url})
        note = _fetch_part(url, path, client=client, settings=settings, resume=None, offset=0)
    except FetchError as exc:
        if not (resume and exc.status == 416):
            raise
        log.info("%s: the server refused the range from byte %d; downloading it again from the start",
                 url, offset, extra={"url": url})
        note = _fetch_part(url, path, client=client, settings=settings, resume=None, offset=0)
    return _complete(url, path, note)


@contextmanager
def downloaded_warc(url: str, *, settings: Settings) -> Iterator[Path]:
    """A WARC at `url` downloaded to a temporary folder (never held in memory), removed
    afterwards; raises FetchError when it cannot be had."""
    suffix = ".warc.gz" if url.lower().split("?")[0].endswith(".gz") else ".warc"
    with tempfile.TemporaryDirectory(prefix="monitor-warc-") as folder:
        yield download_file(url, Path(folder) / f"download{suffix}", settings=settings)


def discard(path: Path) -> None:
    """Remove a download, finished or not, with its .part and note."""
    for leftover in (path, part_path(path), _note_path(path)):
        leftover.unlink(missing_ok=True)


def _fetch_part(url: str, path: Path, *, client: httpx.Client, settings: Settings, resume: PartNote | None,
                offset: int) -> PartNote | None:
    from monitor.sources.http import fetch

    # identity: a range counts the bytes of the file itself, not of a compressed transfer of it
    headers = {"Accept-Encoding": "identity"}
    if resume and offset:
        headers.update({"Range": f"bytes={offset}-", "If-Range": resume.validator or ""})
    part = _PartFile(url, path, resume if offset else None, offset)
    try:
        fetch(url, client=client, settings=settings, headers=headers, sink=part, on_response=part.begin)
    finally:
        part.close()
    return part.note


def _complete(url: str, path: Path, note: PartNote | None) -> Path:
    part = part_path(path)
    size = part.stat().st_size
    if note is not None and note.length is not None and size != note.length:
        raise FetchError(f"incomplete download ({size} of {note.length} bytes) for {url}")
    os.replace(part, path)
    _note_path(path).unlink(missing_ok=True)
    return path


class _PartFile:
    """The .part a download's body is written to: appended to when the answer continues it,
    emptied (its note rewritten first) when the answer is the whole file."""

    def __init__(self, url: str, path: Path, resume: PartNote | None, offset: int) -> None:
        self.url, self.path, self.resume, self.offset = url, path, resume, offset
        self.note: PartNote | None = None
        self._file: BinaryIO | None = None

    def begin(self, answer: Fetched) -> None:
        encoded = answer.headers.get("content-encoding", "identity").strip().lower() not in ("", "identity")
        if answer.status == 206 and self.resume is not None:
            start, total = _content_range(answer.headers.get("content-range", ""))
            if start != self.offset:
                raise _StartOver(f"the server sent bytes from {start}, not from {self.offset}")
            if encoded or not self.resume.same_file(_note_of(self.url, answer, total)):
                raise _StartOver("the file changed on the server")
            if self.resume.length is not None and total not in (None, self.resume.length):
                raise _StartOver(f"the file is {total} bytes now, not {self.resume.length}")
            self._file = part_path(self.path).open("r+b")
            self._file.seek(self.offset)
            self._file.truncate()
            self.note = self.resume
            log.info("%s: going on from byte %d", self.url, self.offset, extra={"url": self.url})
            return
        if answer.status != 200:
            raise FetchError(f"HTTP {answer.status} is not a file to download for {self.url}", status=answer.status)
        if self.resume is not None:
            log.info("%s: the server sent the whole file again (no range, or the file changed); starting over",
                     self.url, extra={"url": self.url})
        length = answer.headers.get("content-length", "")
        note = _note_of(self.url, answer, int(length) if length.isdigit() and not encoded else None)
        # in this order, a kill between two steps never leaves a note beside another file's bytes
        _note_path(self.path).unlink(missing_ok=True)
        self._file = part_path(self.path).open("wb")
        if note.validator and not encoded:
            _write_note(self.path, note)
        self.note = note

    def write(self, data: bytes) -> None:
        assert self._file is not None, "begin() opens the .part before the body arrives"
        self._file.write(data)

    def close(self) -> None:
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())  # the rename that follows must never name a file still in the cache
            self._file.close()
            self._file = None


def _note_of(url: str, answer: Fetched, length: int | None) -> PartNote:
    return PartNote(url, answer.headers.get("etag"), answer.headers.get("last-modified"), length)


def _content_range(value: str) -> tuple[int | None, int | None]:
    """(first byte, whole length) of a `Content-Range: bytes 100-199/2000` header; None where absent."""
    unit, _, spec = value.strip().partition(" ")
    span, _, total = spec.partition("/")
    first = span.split("-", 1)[0]
    if unit.lower() != "bytes" or not first.isdigit():
        return None, None
    return int(first), int(total) if total.isdigit() else None


def _note_path(path: Path) -> Path:
    return path.with_name(path.name + ".part.json")


def _write_note(path: Path, note: PartNote) -> None:
    target = _note_path(path)
    fresh = target.with_name(target.name + ".new")
    fresh.write_text(json.dumps(asdict(note)), encoding="utf-8")
    os.replace(fresh, target)


def _resumable(url: str, path: Path) -> PartNote | None:
    """The note of a .part this URL's download can go on from, if there is one."""
    try:
        note = PartNote(**json.loads(_note_path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    if note.url != url or not note.validator or not part_path(path).is_file():
        return None
    return note

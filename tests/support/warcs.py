"""WARC files written by hand for the backfill tests and benchmark: response records of HTML
pages as a crawler stores them (one gzip member a record, as CC-NEWS does), and broken ones."""

from __future__ import annotations

import gzip
import hashlib
import uuid
from base64 import b32encode
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Page:
    """One HTTP exchange to archive: the URL, its response's status, headers and body."""

    url: str
    body: bytes
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    date: str = "2024-03-05T10:00:00Z"
    extra_headers: list[tuple[str, str]] = field(default_factory=list)
    record_type: str = "response"
    raw_http: bytes | None = None  # the whole HTTP block as given, headers and all (to break it)


def payload_digest(body: bytes) -> str:
    return "sha1:" + b32encode(hashlib.sha1(body).digest()).decode()


def http_block(page: Page) -> bytes:
    if page.raw_http is not None:
        return page.raw_http
    reason = {200: "OK", 404: "Not Found", 301: "Moved Permanently"}.get(page.status, "Status")
    lines = [f"HTTP/1.1 {page.status} {reason}", f"Content-Type: {page.content_type}",
             f"Content-Length: {len(page.body)}", *(f"{k}: {v}" for k, v in page.extra_headers)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + page.body


def warc_record(page: Page) -> bytes:
    """One WARC/1.0 record (not compressed)."""
    block = http_block(page) if page.record_type in ("response", "request") else page.body
    headers = [
        "WARC/1.0", f"WARC-Type: {page.record_type}", f"WARC-Target-URI: {page.url}",
        f"WARC-Date: {page.date}", f"WARC-Record-ID: <urn:uuid:{uuid.uuid4()}>",
        f"WARC-Payload-Digest: {payload_digest(page.body)}",
        "Content-Type: application/http; msgtype=response"
        if page.record_type == "response" else "Content-Type: application/warc-fields",
        f"Content-Length: {len(block)}",
    ]
    return ("\r\n".join(headers) + "\r\n\r\n").encode("utf-8") + block + b"\r\n\r\n"


def warcinfo_record() -> bytes:
    body = b"software: tests/support/warcs.py\r\nformat: WARC File Format 1.0\r\n"
    return warc_record(Page(url="", body=body, record_type="warcinfo"))


def write_warc(path: Path, pages: Iterable[Page], *, compress: bool | None = None) -> Path:
    """Write a WARC with a warcinfo record first; gzip per record when the name ends in .gz."""
    compress = path.name.endswith(".gz") if compress is None else compress
    with path.open("wb") as out:
        for record in [warcinfo_record(), *(warc_record(p) for p in pages)]:
            out.write(gzip.compress(record, compresslevel=6, mtime=0) if compress else record)
    return path

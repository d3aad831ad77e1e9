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


PLANTS = ["Ohio", "Hungary", "Sichuan", "Ontario", "Saxony", "Karnataka", "Nevada", "Catalonia", "Gujarat", "Bavaria"]
CHEMISTRIES = ["lithium iron phosphate", "nickel manganese cobalt", "sodium-ion", "solid-state"]
TOPICS = ["the city council", "the regional rail operator", "a local football club", "the national weather office",
          "a hospital trust", "the port authority", "a theatre company", "the school board"]


def battery_story(n: int, *, lang: str = "en") -> bytes:
    """A battery news page with quotes and figures, different for each `n` (its place, chemistry
    and numbers), long enough for a near-duplicate fingerprint."""
    plant, chemistry = PLANTS[n % len(PLANTS)], CHEMISTRIES[n % len(CHEMISTRIES)]
    title = f"Cell maker plans {10 + n} GWh {chemistry} plant in {plant}"
    paragraphs = [
        f"A battery cell maker said on Tuesday that its new plant in {plant} will make {10 + n} GWh of "
        f"{chemistry} cells a year for electric vehicles once its second line runs, in {2026 + n % 4}.",
        f'"We expect the first deliveries to carmakers within {n % 11 + 6} months," the company\'s chief '
        f"operating officer told reporters at the site, adding that about {200 + 7 * n} people would be "
        "hired before the end of the year.",
        f"The plant number {n} is part of a wave of gigafactory projects: analysts put the region's EV "
        f"battery capacity at {40 + n % 30} GWh by the end of the decade, up from {5 + n % 9} GWh today.",
        f"Cathode material will come from a supplier {30 + n % 50} kilometres away, and the anode line "
        f"uses graphite bought under a {3 + n % 7}-year contract, the company said.",
    ]
    return _page(title, paragraphs, lang)


def plain_story(n: int) -> bytes:
    """A news page about anything but batteries."""
    topic = TOPICS[n % len(TOPICS)]
    title = f"Story {n}: {topic} announces a new plan"
    paragraphs = [
        f"On Monday {topic} announced a plan that it said would change how residents use its services "
        f"over the next {n % 9 + 2} years.",
        f"The plan, number {n}, was presented at a meeting attended by about {100 + n} people, some of "
        "whom asked how it would be paid for and when the first changes would be visible.",
        f"A spokesperson said the budget would be set in {['spring', 'summer', 'autumn'][n % 3]} and that "
        "further meetings would follow in every district.",
    ]
    return _page(title, paragraphs, "en")


def _page(title: str, paragraphs: list[str], lang: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>{title}</h1>"
        f"{body}</article><footer>All rights reserved.</footer></body></html>"
    ).encode("utf-8")

"""WARC files written by hand for the backfill tests and benchmark: response records of HTML
pages as a crawler stores them (one gzip member a record, as CC-NEWS does), and broken ones."""

from __future__ import annotations

import gzip
import hashlib
import random
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


TOPICS = ["the city council", "the regional rail operator", "a local football club", "the national weather office",
          "a hospital trust", "the port authority", "a theatre company", "the school board"]


COMPANIES = ["CATL", "LG Energy Solution", "Panasonic", "Samsung SDI", "SK On", "BYD", "Northvolt", "Gotion",
             "EVE Energy", "CALB", "Envision AESC", "Freyr"]
SENTENCES = [
    "{company} said on {day} that its new plant in {plant} will make {gwh} GWh of {chem} cells a year once its second line runs.",
    '"We expect the first deliveries to carmakers within {months} months," a {company} executive told reporters.',
    "Analysts put the region's EV battery capacity at {cap} GWh by {year}, up from {small} GWh today.",
    "Cathode material will come from a supplier {km} kilometres away, {company} said.",
    "The anode line uses graphite bought under a {years}-year contract.",
    "About {jobs} people will be hired before the end of the year, according to the regional government.",
    "Pack prices fell {pct}% last year to ${price} per kWh, a survey of buyers found.",
    "{company} holds {share}% of the global market for electric vehicle batteries, a research firm estimates.",
    "The lithium iron phosphate cells reach {density} Wh/kg at the cell level, the company claims.",
    "Shares of {company} rose {pct}% in {city} trading after the announcement.",
    "The project received {subsidy} million euros in state aid, the ministry confirmed in a statement.",
    "Construction of the gigafactory in {plant} is due to start in the {season} of {year}.",
    '"Sodium-ion will not replace lithium-ion, but it will take the cheapest part of the market," said an analyst in {city}.',
    "Lithium carbonate prices have dropped by {pct}% since their peak, easing pressure on cell makers.",
    "The factory will recycle black mass from {tons} tonnes of spent batteries a year.",
    "Carmakers in {plant} bought {units} electric cars in the first quarter, {pct}% more than a year earlier.",
    "A solid-state battery pilot line with {mwh} MWh of annual output opened in {city} in {month}.",
    "{company} signed a supply deal for {gwh} GWh of NMC cells with a European carmaker.",
    "The charging network added {chargers} fast-charging points in {plant} over the past year.",
    "Investors were told that energy density would improve by {pct}% with the next cell generation.",
    "Nickel and cobalt from the mine in {plant} will be refined on site before shipping.",
    "The plug-in hybrid share of sales slipped to {share}% in {month}, industry data show.",
    "Regulators in {city} opened a review of battery safety rules after a fire at a storage site.",
    "An electric bus fleet of {units} vehicles will run on the new cells from {year}, the city said.",
]
PLACES = ["Ohio", "Hungary", "Sichuan", "Ontario", "Saxony", "Karnataka", "Nevada", "Catalonia", "Gujarat", "Bavaria"]
CITIES = ["Shanghai", "Seoul", "Berlin", "Stockholm", "Tokyo", "Detroit", "Paris", "Madrid"]
MONTHS = ["January", "March", "May", "July", "September", "November"]


def battery_story(n: int, *, lang: str = "en") -> bytes:
    """A battery news page with quotes and figures: sentences drawn for each `n` from a pool, so
    two stories share few word 4-grams and are never taken for copies of one another."""
    pick = random.Random(n)
    values = {
        "company": COMPANIES[n % len(COMPANIES)], "plant": PLACES[pick.randrange(len(PLACES))],
        "city": CITIES[pick.randrange(len(CITIES))], "chem": ["LFP", "NMC", "sodium-ion", "LMFP"][n % 4],
        "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"][n % 5], "gwh": 8 + n % 40,
        "months": 6 + n % 11, "cap": 40 + n % 60, "year": 2026 + n % 5, "small": 3 + n % 9, "km": 20 + n % 80,
        "years": 3 + n % 7, "jobs": 200 + 7 * n, "pct": 5 + n % 30, "price": 90 + n % 50, "share": 10 + n % 30,
        "density": 160 + n % 40, "subsidy": 50 + n % 400, "season": ["spring", "autumn"][n % 2], "tons": 1000 * (1 + n % 20),
        "units": 500 + 13 * n, "mwh": 50 + n % 200, "month": MONTHS[n % len(MONTHS)], "chargers": 100 + n % 900,
    }
    sentences = [SENTENCES[0], *pick.sample(SENTENCES[1:], 7)]
    text = [s.format(**values) for s in sentences]
    title = f"{values['company']} plans {values['gwh']} GWh {values['chem']} plant in {values['plant']} ({n})"
    return _page(title, [" ".join(text[:3]), " ".join(text[3:6]), " ".join(text[6:])], lang)


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

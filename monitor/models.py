"""The plain data that flows between stages: Fetched bytes -> Article -> Claims."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# what a claim can be: the finders' kinds, organisations kept apart from companies among them
CLAIM_KINDS = ("quote", "quantity", "company", "outlet", "organisation")
# where a claim stands in review; every claim starts pending
REVIEW_STATUSES = ("pending", "accepted", "rejected")


@dataclass
class Fetched:
    """Raw bytes of one document, as read from the network or the disk."""

    url: str  # the URL asked for, or the local path
    final_url: str  # after redirects (equal to url for local files)
    body: bytes
    content_type: str = ""  # media type without parameters, lower-case
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    permanent_url: str | None = None  # where every redirect hop was permanent (301/308), if any


@dataclass
class Article:
    """One extracted article: its text is what every claim's offsets point into."""

    url: str
    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date as given by the page
    canonical_url: str | None = None
    language: str | None = None
    source: str | None = None  # site name or host
    raw_html: bytes | None = None


@dataclass
class Claim:
    """What an article asserts: a quote, a quantity or a company mention.

    `start`/`end` are code-point offsets into the article text; `text[start:end]` is the
    claim's span (for a quote broken by its attribution, the span runs from the first
    quoted word to the last, and `text` joins the quoted pieces with one space).
    """

    kind: str  # "quote", "quantity", "company", or a kind of organisation kept apart ("outlet")
    text: str
    start: int
    end: int
    rule: str
    sentence: str | None = None
    speaker: str | None = None
    value: float | None = None
    high: float | None = None
    unit: str | None = None
    object: str | None = None
    company: str | None = None
    known: bool | None = None  # companies: False for candidates outside the gazetteer
    approx: str | None = None  # "about", "more than", "up to" ...
    direction: str | None = None  # "rose", "fell" ...
    hedge: str | None = None  # "estimated", "expected", "could" ...
    subject: str | None = None  # whom a figure is about: a company, country, region, chemistry, material
    # a figure as a claim that can be tracked across articles (GUIDELINES.md, "Claims"):
    metric: str | None = None  # what it measures, one of the rules' metrics ("market_share" ...)
    scope: str | None = None  # what narrows it: a region, market, cells or packs, a chemistry, a plant
    period: str | None = None  # the year or quarter it is for ("2025", "2026-Q1"), a forecast's target
    canonical_value: float | None = None  # `value` in `canonical_unit` (miles to km ...)
    canonical_unit: str | None = None
    claim_key: str | None = None  # subject|metric|scope|period: equal for the same claim anywhere
    battery: bool | None = None  # battery/EV relevance of the claim's sentence
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        extra = data.pop("extra")
        return {**{k: v for k, v in data.items() if v is not None}, **extra}

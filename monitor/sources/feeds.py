"""RSS, Atom and RDF feeds read from bytes already fetched.

feedparser never touches the network here: it gets the body and headers httpx read. It also
never expands entities a feed declares (it strips every declaration whose value holds `&`, and
the expat it uses refuses external entities), which tests/sources/test_feeds.py pins.
"""

from __future__ import annotations

import logging
import xml.sax
from dataclasses import dataclass, field
from typing import Any

import feedparser

from monitor.errors import FeedError
from monitor.timestamps import stamp_struct

log = logging.getLogger(__name__)

# sy:updatePeriod values in minutes (RSS 1.0 syndication module)
UPDATE_PERIODS = {
    "hourly": 60.0,
    "daily": 1440.0,
    "weekly": 10080.0,
    "monthly": 43200.0,
    "yearly": 525600.0,
}
HTML_STARTS = (b"<!doctype html", b"<html")


@dataclass
class FeedEntry:
    """One item of a feed: where the article lives and how the feed names it."""

    link: str
    guid: str | None = None
    title: str | None = None
    published: str | None = None  # ISO 8601 UTC
    summary: str | None = None

    @property
    def key(self) -> str:
        """The entry's identity across polls: its guid, or its link when it has none."""
        return self.guid or self.link


@dataclass
class ParsedFeed:
    """A feed's name, site and entries, plus the polling hints it publishes."""

    url: str
    title: str | None = None
    link: str | None = None  # the site the feed belongs to
    entries: list[FeedEntry] = field(default_factory=list)
    ttl_minutes: float | None = None  # RSS <ttl>
    update_minutes: float | None = None  # sy:updatePeriod / sy:updateFrequency
    warning: str | None = None  # why the feed is not well-formed, when it was still readable

    @property
    def hint_minutes(self) -> float | None:
        """The longest interval the feed asks for, if any: polling sooner only finds nothing new."""
        hints = [h for h in (self.ttl_minutes, self.update_minutes) if h]
        return max(hints) if hints else None


def parse_feed(body: bytes, *, url: str, headers: dict[str, str] | None = None) -> ParsedFeed:
    """Parse a feed document; raises FeedError when `body` is no feed at all.

    A feed that is not well-formed (a wrong charset, a stray `&`) but still yields entries is
    accepted with a logged warning: refusing it would lose real news over a publisher's typo.
    """
    response_headers = {key.lower(): value for key, value in (headers or {}).items()}
    response_headers["content-location"] = url
    response_headers.setdefault(
        "content-type", "application/xml"
    )  # let the XML declaration name the charset
    # Summaries stay the feed's own HTML (nothing renders them); cleaning them would double the
    # parse time of a typical feed, the bulk of a poll's CPU.
    parsed = feedparser.parse(
        body, response_headers=response_headers, sanitize_html=False, resolve_relative_uris=False
    )
    reason = _reason(parsed.get("bozo_exception")) if parsed.get("bozo") else None
    entries = [entry for entry in (_entry(raw) for raw in parsed.entries) if entry is not None]
    if not parsed.entries and (reason or not parsed.get("version")):
        start = body.lstrip()[:14].lower()
        if start.startswith(HTML_STARTS):
            reason = "got an HTML page"
        elif start.startswith((b"{", b"[")):
            reason = "got JSON, not RSS or Atom"
        raise FeedError(f"{url} is not a feed: {reason or 'no RSS, Atom or RDF document found'}")
    if reason:
        log.warning(
            "%s: feed is not well-formed (%s) but %d entries were read", url, reason, len(entries)
        )
    skipped = len(parsed.entries) - len(entries)
    if skipped:
        log.info("%s: %d entries without a web link skipped", url, skipped)
    meta = parsed.feed
    return ParsedFeed(
        url=url,
        title=meta.get("title") or None,
        link=meta.get("link") or None,
        entries=entries,
        ttl_minutes=_number(meta.get("ttl")),
        update_minutes=_update_minutes(meta.get("sy_updateperiod"), meta.get("sy_updatefrequency")),
        warning=reason,
    )


def _entry(raw: Any) -> FeedEntry | None:
    link = (raw.get("link") or "").strip()
    if not link.lower().startswith(("http://", "https://")):
        return None
    stamp = raw.get("published_parsed") or raw.get("updated_parsed")
    return FeedEntry(
        link=link,
        guid=(raw.get("id") or "").strip() or None,
        title=raw.get("title") or None,
        published=stamp_struct(stamp) if stamp else None,
        summary=raw.get("summary") or None,
    )


def _reason(exc: BaseException | None) -> str:
    if isinstance(exc, xml.sax.SAXParseException):
        return f"{exc.getMessage()} at line {exc.getLineNumber()}"
    text = str(exc).strip() if exc is not None else ""
    return text.splitlines()[0] if text else type(exc).__name__


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _update_minutes(period: Any, frequency: Any) -> float | None:
    minutes = UPDATE_PERIODS.get(str(period or "").strip().lower())
    if minutes is None:
        return None
    return minutes / (_number(frequency) or 1.0)

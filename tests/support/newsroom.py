"""A small news site for poller tests: RSS feeds and article pages, each page's text its own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from support.loopback import LoopbackServer, Response

PLANTS = ["Ohio", "Hungary", "Sichuan", "Ontario", "Saxony", "Karnataka", "Nevada", "Catalonia"]
CHEMISTRIES = ["lithium iron phosphate", "nickel manganese cobalt", "sodium-ion", "solid-state"]


def article_html(n: int) -> str:
    """A plausible battery story, different in its figures, place and chemistry for each `n`; short
    enough (under dedup.MIN_WORDS) that template-alike stories are never taken for copies."""
    plant, chemistry = PLANTS[n % len(PLANTS)], CHEMISTRIES[n % len(CHEMISTRIES)]
    title = f"Cell maker {n} plans {chemistry} plant in {plant}"
    body = (
        f"<p>A battery cell maker said on Tuesday that its plant number {n} in {plant} will make "
        f"{10 + n} GWh of {chemistry} cells a year once the second line is running.</p>"
        f'<p>"We expect the first deliveries to carmakers within {n % 11 + 6} months," the company\'s '
        f"chief operating officer told reporters at the site, adding that about {200 + 7 * n} people "
        f"would be hired before the end of the year.</p>"
    )
    return (
        f'<!doctype html><html lang="en"><head><title>{title}</title></head><body><article>'
        f"<h1>{title}</h1>{body}</article></body></html>"
    )


def rss(
    base: str,
    paths: list[str],
    *,
    newest: datetime | None = None,
    gap: timedelta = timedelta(hours=1),
    ttl: int | None = None,
    guids: list[str] | None = None,
) -> str:
    """An RSS 2.0 feed of `paths` on `base`, newest first, one entry every `gap`."""
    newest = newest or datetime(2026, 4, 6, 7, 0, tzinfo=UTC)
    items = []
    for i, path in enumerate(paths):
        guid = f'<guid isPermaLink="false">{guids[i]}</guid>' if guids else ""
        items.append(
            f"<item><title>Story {path}</title><link>{base}{path}</link>{guid}"
            f"<pubDate>{format_datetime(newest - i * gap, usegmt=True)}</pubDate></item>"
        )
    hint = f"<ttl>{ttl}</ttl>" if ttl else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Cell Wire</title>'
        f"<link>{base}/</link>{hint}{''.join(items)}</channel></rss>"
    )


def build_site(
    server: LoopbackServer,
    count: int,
    *,
    feed: str = "/feed.rss",
    prefix: str = "/news",
    first: int = 0,
    **feed_options,
) -> list[str]:
    """Serve `count` article pages and a feed listing them; returns the pages' paths."""
    paths = [f"{prefix}/{n}" for n in range(first, first + count)]
    for n, path in zip(range(first, first + count), paths):
        server.routes[path] = Response(body=article_html(n))
    server.routes[feed] = Response(
        body=rss(server.url(""), paths, **feed_options), content_type="application/rss+xml"
    )
    return paths

"""Being a polite client, decided in one place: a few connections per host, a pause between
requests to one host (longer where robots.txt asks it), and robots.txt obeyed for article pages.

`Politeness` is what the poller remembers between passes (each site's robots.txt); each pass asks
its `HostGate` whether a host may be sent a request now, so requests wait in the dispatcher's
queue rather than in worker threads: a slow host holds at most its own few connections and never
the workers the other hosts need. robots.txt is read once per site a day (RFC 9309: a 4xx means no
rules, an unreachable one means keep off for now).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from monitor.config import Settings
from monitor.errors import FetchError, TransientFetchError
from monitor.sources.http import fetch

log = logging.getLogger(__name__)

ROBOTS_AGENT = "ev-claims-monitor"  # the token robots.txt groups name us by
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309: parse at least the first 500 KiB
ROBOTS_TTL = 24 * 3600.0
UNREACHABLE_TTL = 3600.0  # how long a robots.txt that could not be read keeps us off the site
MAX_CRAWL_DELAY = 60.0


def host_of(url: str) -> str:
    """What politeness counts per: the host name, lower-case (all ports of a host together)."""
    return (urlsplit(url).hostname or "").lower()


def site_of(url: str) -> str:
    """What a robots.txt covers: scheme, host and port."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class HostGate:
    """At most `connections` requests in flight per host, and `delay` seconds between the starts
    of two requests to one host, or the site's Crawl-delay when `robots` knows a longer one. Used
    from one thread (the dispatcher's)."""

    def __init__(
        self,
        connections: int,
        delay: float,
        clock: Callable[[], float] = time.monotonic,
        robots: RobotsRules | None = None,
    ) -> None:
        self.connections = max(1, connections)
        self.delay = delay
        self.clock = clock
        self.robots = robots
        self._busy: dict[str, int] = {}
        self._last_start: dict[str, float] = {}
        self._delays: dict[str, float] = {}
        self._reading_robots: set[str] = set()  # sites whose first page is out, robots.txt with it

    def may_start(self, host: str, site: str | None = None) -> bool:
        """Whether a request to `host` (an article page of `site`, ruled by its robots.txt) may
        start now. While a site's first page is out, its robots.txt with it, the site's next
        pages wait: the Crawl-delay it may ask for is not known yet."""
        if self.wait_time(host) != 0:
            return False
        if site is None or self.robots is None:
            return True
        if site in self._reading_robots:
            return False
        if self.robots.known(site) and (delay := self.robots.crawl_delay(site)):
            self.slow_down(host, delay)
            return self.wait_time(host) == 0
        return True

    def wait_time(self, host: str) -> float | None:
        """Seconds until `host` may get another request: 0 for now, None while its slots are full."""
        if self._busy.get(host, 0) >= self.connections:
            return None
        last = self._last_start.get(host)
        if last is None:
            return 0.0
        return max(0.0, last + self._delays.get(host, self.delay) - self.clock())

    def start(self, host: str, site: str | None = None) -> None:
        self._busy[host] = self._busy.get(host, 0) + 1
        self._last_start[host] = self.clock()
        if site is not None and self.robots is not None and not self.robots.known(site):
            self._reading_robots.add(site)

    def done(self, host: str, site: str | None = None) -> None:
        self._busy[host] = max(0, self._busy.get(host, 0) - 1)
        if site is not None:
            self._reading_robots.discard(site)

    def slow_down(self, host: str, delay: float) -> None:
        """Honour a site's Crawl-delay (capped), never going below the configured delay."""
        self._delays[host] = max(self.delay, min(delay, MAX_CRAWL_DELAY))

    def in_flight(self, host: str) -> int:
        return self._busy.get(host, 0)


@dataclass
class RobotsVerdict:
    allowed: bool
    reason: str = ""


class RobotsRules:
    """robots.txt per site, fetched on first need and kept for a day; safe to use from many threads."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.clock = clock
        self._sites: dict[str, tuple[float, RobotFileParser | None, str]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def known(self, site: str) -> bool:
        """Whether the site's robots.txt is at hand (so checking costs no request)."""
        entry = self._sites.get(site)
        return entry is not None and entry[0] > self.clock()

    def crawl_delay(self, site: str) -> float | None:
        """The Crawl-delay the site's cached robots.txt asks of us, if any."""
        entry = self._sites.get(site)
        delay = (
            entry[1].crawl_delay(ROBOTS_AGENT)
            if entry is not None and entry[1] is not None
            else None
        )
        return float(delay) if delay else None

    def check(self, url: str, *, client: httpx.Client) -> RobotsVerdict:
        """Whether robots.txt lets us fetch `url`; may fetch the site's robots.txt first."""
        site = site_of(url)
        with self._guard:
            lock = self._locks.setdefault(site, threading.Lock())
        with lock:  # one fetch of a site's robots.txt at a time, the others wait for its answer
            entry = self._sites.get(site)
            if entry is None or entry[0] <= self.clock():
                entry = self._sites[site] = self._load(site, client)
        _expires, rules, unreachable = entry
        if unreachable:
            return RobotsVerdict(False, reason=f"robots.txt unreachable ({unreachable})")
        if rules is None or rules.can_fetch(ROBOTS_AGENT, url):
            return RobotsVerdict(True)
        return RobotsVerdict(False, reason="disallowed by robots.txt")

    def _load(self, site: str, client: httpx.Client) -> tuple[float, RobotFileParser | None, str]:
        url = f"{site}/robots.txt"
        try:
            fetched = fetch(url, client=client, settings=self.settings, allow_private=False)
        except TransientFetchError as exc:
            log.info("%s: %s", url, exc)
            return self.clock() + UNREACHABLE_TTL, None, str(exc)
        except FetchError as exc:  # 4xx and the like: the site sets no rules
            log.debug("%s: no rules (%s)", url, exc)
            return self.clock() + ROBOTS_TTL, None, ""
        rules = RobotFileParser(url)
        rules.parse(fetched.body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace").splitlines())
        return self.clock() + ROBOTS_TTL, rules, ""


class Politeness:
    """What a polite poller remembers between passes: each site's robots.txt (the daemon keeps
    one). Each pass takes a fresh `gate()`: connections and pauses count within a pass."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.clock = clock
        self.robots = RobotsRules(settings, clock)

    def gate(self) -> HostGate:
        return HostGate(
            self.settings.per_host_connections,
            self.settings.per_host_delay_seconds,
            self.clock,
            robots=self.robots,
        )

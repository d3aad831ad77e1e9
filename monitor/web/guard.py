"""Requests a browser was tricked into making, refused before Datasette sees them: a Host that is
not one of ours (DNS rebinding) and a write from another origin (cross-site forgery).

It is the ASGI middleware of Datasette's `asgi_wrapper` hook. asgi-csrf's token stays as a second
check; this one holds even where another page can read that token (cookies ignore ports, so any
page on another loopback port sees them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from datasette import hookimpl

PLUGIN = "ev-claims-monitor"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
HOST_NAME = re.compile(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?|[0-9a-f:]*:[0-9a-f:.]*")
SAME_SITE_FETCHES = frozenset({"same-origin", "none"})  # "none": typed, bookmarked, reloaded


@dataclass(frozen=True)
class Refusal:
    """Why a request is not served: the status and a one-line message for the client."""

    status: int
    message: str


@dataclass(frozen=True)
class Authority:
    """A host name and, when one is given, a port, as a Host or Origin header names them."""

    name: str
    port: int | None


def parse_authority(text: str) -> Authority | None:
    """`host[:port]` (brackets around IPv6) lower-cased, without a trailing dot; None if malformed."""
    try:
        parts = urlsplit("//" + text.strip())
        name, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not name or parts.username is not None or parts.password is not None or parts.path:
        return None
    return Authority(name.rstrip("."), port)


def allowed_host_names(extra: Iterable[str] = ()) -> frozenset[str]:
    """The loopback names, always, and the names an operator serves the monitor under."""
    names = set(LOOPBACK_NAMES)
    for name in extra:
        bare = name.strip().lower().removeprefix("[").removesuffix("]").rstrip(".")
        if not HOST_NAME.fullmatch(bare):
            raise ValueError(f"not a host name (no port, no scheme): {name[:100]!r}")
        names.add(bare)
    return frozenset(names)


def refusal(method: str, headers: Mapping[str, str], allowed: frozenset[str]) -> Refusal | None:
    """None when the request may go on, else why not. `headers` has lower-case names."""
    host = parse_authority(headers.get("host", ""))
    if host is None or host.name not in allowed:
        return Refusal(
            400,
            f"Host {headers.get('host', '')[:100]!r} is not served here "
            "(monitor serve --host-name NAME adds a name)",
        )
    if method.upper() in SAFE_METHODS:
        return None
    site = headers.get("sec-fetch-site")
    if site is not None and site not in SAME_SITE_FETCHES:
        return Refusal(403, f"Write refused: the request came from another site ({site[:40]}).")
    origin = headers.get("origin")
    if origin is not None and not same_origin(origin, host):
        return Refusal(403, f"Write refused: the request came from {origin[:100]}.")
    return None


def same_origin(origin: str, host: Authority) -> bool:
    """Whether an Origin header names the host the request was sent to.

    A Host without a port (behind a proxy, on the scheme's own port) is matched by name alone."""
    try:
        parts = urlsplit(origin)
        port = parts.port
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    if parts.hostname.rstrip(".") != host.name:
        return False
    if host.port is None:
        return True
    return (port or (443 if parts.scheme == "https" else 80)) == host.port


def guarded(app, allowed: frozenset[str]):
    """`app` behind the Host and origin checks."""

    async def guard(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        headers = {
            key.decode("latin-1").lower(): value.decode("latin-1")
            for key, value in scope.get("headers", [])
        }
        refused = refusal(scope.get("method", "GET"), headers, allowed)
        if refused is None:
            return await app(scope, receive, send)
        body = (refused.message + "\n").encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": refused.status,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode("ascii")),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    return guard


@hookimpl
def asgi_wrapper(datasette):
    config = datasette.plugin_config(PLUGIN) or {}
    allowed = allowed_host_names(config.get("host_names") or ())
    return lambda app: guarded(app, allowed)

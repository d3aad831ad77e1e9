"""Downloading one URL safely: bounded size, time, redirects and schemes.

Redirects are followed here, hop by hop, rather than by httpx: that way every hop's scheme (and,
for links taken from feeds, its address) is checked, and a redirect's own body is never read.
Compressed bodies are inflated here too, a bounded slice at a time, so a small gzip bomb never
expands in memory beyond the cap. Links taken from feeds are checked twice against private
addresses: by name before the request (a clear refusal) and by the very address the socket
connects to (so a DNS answer that changes between the two, "DNS rebinding", cannot slip through).
"""

from __future__ import annotations

import contextvars
import email.utils
import importlib.metadata
import ipaddress
import logging
import socket
import time
import urllib.request
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Protocol
from datetime import UTC, datetime
from http import HTTPStatus

import httpcore
import httpx

from monitor.config import Settings
from monitor.errors import FetchError, TransientFetchError
from monitor.models import Fetched

log = logging.getLogger(__name__)

ALLOWED_SCHEMES = ("http", "https")
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
PERMANENT_REDIRECTS = (301, 308)
REFUSAL = "refusing a private or local address"
ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.8"
INFLATE_SLICE = 256 * 1024  # most bytes one decompress call may produce
# Magic numbers of documents that are not HTML, whatever the server's Content-Type says.
SNIFFED_TYPES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
)


# Whether the request in hand (in this thread) may connect to private addresses; set by fetch().
_allow_private: contextvars.ContextVar[bool] = contextvars.ContextVar("allow_private", default=True)
# When the request in hand (its redirects included) must be over, by time.monotonic(); every
# connect, read and write of its socket waits at most until then. Set by fetch().
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("deadline", default=None)


class Sink(Protocol):
    """Where a streamed body goes (an open file, say)."""

    def write(self, data: bytes, /) -> object: ...


def user_agent(settings: Settings) -> str:
    """The configured User-Agent, or one naming the tool, its version and the contact URL."""
    return settings.user_agent or f"ev-claims-monitor/{_version()} (+{settings.contact_url})"


def _version() -> str:
    try:
        return importlib.metadata.version("ev-claims-monitor")
    except importlib.metadata.PackageNotFoundError:
        return "dev"


def make_client(settings: Settings) -> httpx.Client:
    """The one HTTP client of a run: our User-Agent, the configured timeouts, no automatic redirects."""
    connections = max(100, 4 * settings.max_concurrent_feeds)
    # Idle connections kept: as many as requests in flight. The pool checks every idle connection
    # (a poll() syscall each) on every request, and the poller seldom returns to a host within the
    # 5 s keep-alive: keeping 100 spent ~15% of the poller's CPU on those checks.
    transport_limits = httpx.Limits(
        max_connections=connections, max_keepalive_connections=settings.max_concurrent_feeds
    )
    transport = httpx.HTTPTransport(limits=transport_limits)
    # httpx takes no network backend; its pool does, and connecting is where addresses are checked
    transport._pool._network_backend = _GuardedBackend(settings.allow_private_hosts)
    return httpx.Client(
        transport=transport,
        mounts=_proxy_mounts(settings, limits=transport_limits),
        headers={
            "User-Agent": user_agent(settings),
            "Accept": ACCEPT,
            # only what `_Inflater` undoes; httpx would otherwise offer br/zstd when installed
            "Accept-Encoding": "gzip, deflate",
        },
        timeout=_timeout(settings, settings.total_timeout),
        follow_redirects=False,
        max_redirects=settings.max_redirects,
    )


def _proxy_mounts(
    settings: Settings, *, limits: httpx.Limits
) -> dict[str, httpx.BaseTransport | None]:
    """Transports through the configured proxy (or the environment's HTTP_PROXY, HTTPS_PROXY,
    ALL_PROXY), with the hosts of `no_proxy` (or NO_PROXY) reached directly, as httpx itself reads
    the environment (it does not once a transport is given). What a proxy is asked for is checked
    by fetch() first, as any URL is; the proxy itself is the operator's, so connecting to it is not."""
    environment = urllib.request.getproxies_environment()
    if settings.proxy:
        proxies = {"http": settings.proxy, "https": settings.proxy}
    else:
        proxies = {
            scheme: environment.get(scheme) or environment.get("all") for scheme in ALLOWED_SCHEMES
        }
    mounts: dict[str, httpx.BaseTransport | None] = {}
    for scheme, proxy_url in proxies.items():
        if not proxy_url:
            continue
        if not proxy_url.lower().startswith(("http://", "https://")):
            log.warning("ignoring the proxy %s: only http(s) proxies are supported", proxy_url)
            continue
        proxied = httpx.HTTPTransport(proxy=proxy_url, limits=limits)
        proxied._pool._network_backend = _GuardedBackend((), proxy=True)
        mounts[f"{scheme}://"] = proxied
    if not mounts:
        return {}
    bypass = settings.no_proxy or tuple(environment.get("no", "").split(","))
    for host in (entry.strip() for entry in bypass):
        if host == "*":
            return {}
        if host:
            mounts[_bypass_pattern(host)] = None
    return mounts


def _bypass_pattern(host: str) -> str:
    """A NO_PROXY entry as an httpx mount pattern, the way httpx reads the environment."""
    if "://" in host:
        return host
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        name = host.lower().lstrip("*")
        return f"all://{name}" if name == "localhost" else f"all://*{name}"
    return f"all://[{address}]" if address.version == 6 else f"all://{address}"


def fetch(
    url: str,
    *,
    client: httpx.Client,
    settings: Settings,
    etag: str | None = None,
    last_modified: str | None = None,
    allow_private: bool = True,
    sink: Sink | None = None,
    headers: Mapping[str, str] | None = None,
    on_response: Callable[[Fetched], None] | None = None,
) -> Fetched:
    """GET `url` within the settings' limits; raises FetchError with a one-line reason on any failure.

    With `etag`/`last_modified` the request is conditional and a 304 comes back as a Fetched with
    status 304 and no body. `allow_private=False` (links taken from feeds) refuses hosts that
    resolve to private, loopback or link-local addresses unless listed in allow_private_hosts.
    With `sink` the body is written there as it arrives, never held whole (a WARC file of a
    gigabyte, say), and the Fetched comes back with an empty body. `headers` are sent besides
    ours (a download's `Range`); `on_response` is handed the final answer's status and headers
    before its body is read (a download decides there where the body goes, or refuses it by
    raising).
    """
    deadline = time.monotonic() + settings.total_timeout
    conditional = {}
    if etag:
        conditional["If-None-Match"] = etag
    if last_modified:
        conditional["If-Modified-Since"] = last_modified
    request_headers = {**(headers or {}), **conditional}
    current, seen, permanent = url, {url}, True
    origin = _host_of(url)
    token = _allow_private.set(allow_private)
    deadline_token = _deadline.set(deadline)
    try:
        for _hop in range(settings.max_redirects + 1):
            # a private address the user asked for is theirs to fetch; one a redirect leads to on
            # another host is where a hostile site points to reach inside the network
            private_ok = allow_private and _host_of(current) == origin
            _check_target(
                current, url, settings=settings, allow_private=private_ok, hop=current != url
            )
            _allow_private.set(private_ok)
            answer = _get(
                current, url, client=client, settings=settings, headers=request_headers,
                conditional=bool(conditional), deadline=deadline, sink=sink, on_response=on_response,
            )
            if isinstance(answer, Fetched):
                if permanent and current != url:
                    answer.permanent_url = current
                return answer
            status, location = answer
            permanent = permanent and status in PERMANENT_REDIRECTS
            log.debug("%s redirects (%d) to %s", current, status, location)
            if location in seen:
                raise FetchError(f"redirect loop (back to {location}) for {url}")
            seen.add(location)
            current = location
    finally:
        _allow_private.reset(token)
        _deadline.reset(deadline_token)
    raise FetchError(f"too many redirects (more than {settings.max_redirects}) for {url}")


def is_private_address(host: str) -> bool:
    """Whether `host` is, or resolves to, an address that is not on the public internet.

    An unresolvable host counts as public: the fetch itself then fails with a DNS error.
    The address is resolved again when connecting, so a hostile DNS server could still answer
    differently the second time; this guard stops feed links that point inside the network.
    """
    try:
        addresses = [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            return False
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    return any(_is_private_ip(address) for address in addresses)


# IPv6 prefixes that carry an IPv4 address in their last 32 bits: a NAT64 gateway (RFC 6052)
# or the deprecated IPv4-compatible form (::a.b.c.d) reaches that IPv4 host.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: a site's own translators
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _is_private_ip(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Not on the public internet, itself or through the IPv4 address an IPv6 one carries."""
    if not address.is_global or address.is_multicast:
        return True
    if isinstance(address, ipaddress.IPv4Address):
        return False
    if address in _NAT64_LOCAL:
        return True
    embedded = _embedded_ipv4(address)
    return embedded is not None and (not embedded.is_global or embedded.is_multicast)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one maps, translates or tunnels to (::ffff:, NAT64, ::a.b.c.d,
    6to4, Teredo), if any."""
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if address in _NAT64 or address in _IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


class _GuardedBackend(httpcore.SyncBackend):
    """Resolves a host once, refuses private addresses when the request forbids them, and connects
    to exactly the address it checked."""

    def __init__(self, allowed_hosts: Iterable[str], *, proxy: bool = False) -> None:
        self.allowed_hosts = {host.lower() for host in allowed_hosts}
        self.proxy = proxy  # connects only to the configured proxy, whatever its address

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options=None,
    ) -> httpcore.NetworkStream:
        timeout = _within_deadline(timeout, httpcore.ConnectTimeout)
        if self.proxy or _allow_private.get() or host.lower().strip("[]") in self.allowed_hosts:
            stream = super().connect_tcp(host, port, timeout, local_address, socket_options)
            return _DeadlineStream(stream)
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"name resolution failed: {exc}") from None
        for info in infos:
            address = str(info[4][0]).split("%")[0]
            if _is_private_ip(ipaddress.ip_address(address)):
                raise httpcore.ConnectError(f"{REFUSAL} ({host} connects to {address})")
        timeout = _within_deadline(timeout, httpcore.ConnectTimeout)
        stream = super().connect_tcp(infos[0][4][0], port, timeout, local_address, socket_options)
        return _DeadlineStream(stream)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket whose every wait ends at the request's deadline: a server trickling its header
    lines (each within the read timeout) cannot hold a request past its total timeout.

    The deadline is read at each call, not when connecting: a kept-alive connection serves
    later requests, each with its own deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _within_deadline(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _within_deadline(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        timeout = _within_deadline(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


def _within_deadline(timeout: float | None, expired: type[Exception]) -> float | None:
    """`timeout`, shortened to what is left before the request's deadline; raises `expired`
    once the deadline has passed."""
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise expired("the request's total timeout has passed")
    return remaining if timeout is None else min(timeout, remaining)


def sniff_content_type(body: bytes, declared: str) -> str:
    """The declared media type, unless the body's first bytes show a PDF, image or archive."""
    for magic, media_type in SNIFFED_TYPES:
        if body.startswith(magic):
            return media_type
    return declared


def _timeout(settings: Settings, remaining: float) -> httpx.Timeout:
    remaining = max(remaining, 0.001)
    return httpx.Timeout(
        connect=min(settings.connect_timeout, remaining),
        read=min(settings.read_timeout, remaining),
        write=min(settings.read_timeout, remaining),
        pool=min(settings.connect_timeout, remaining),
    )


def _check_target(
    current: str, url: str, *, settings: Settings, allow_private: bool, hop: bool
) -> None:
    try:
        parsed = httpx.URL(current)
    except httpx.InvalidURL as exc:
        raise FetchError(f"invalid URL ({exc}) for {url}") from None
    if parsed.scheme not in ALLOWED_SCHEMES:
        where = (
            f"redirect to unsupported scheme '{parsed.scheme}'"
            if hop
            else f"unsupported URL scheme '{parsed.scheme}'"
        )
        raise FetchError(f"{where} (only http and https) for {url}")
    if not parsed.host:
        raise FetchError(f"URL has no host: {url}")
    host = parsed.host.lower()
    if not allow_private and host not in settings.allow_private_hosts and is_private_address(host):
        how = f"{host}, reached by a redirect" if hop else host
        raise FetchError(f"{REFUSAL} ({how}; list it in allow_private_hosts to allow) for {url}")


def _host_of(url: str) -> str | None:
    try:
        return httpx.URL(url).host.lower()
    except httpx.InvalidURL:
        return None


def _get(
    current: str,
    url: str,
    *,
    client: httpx.Client,
    settings: Settings,
    headers: dict[str, str],
    conditional: bool,
    deadline: float,
    sink: Sink | None = None,
    on_response: Callable[[Fetched], None] | None = None,
) -> Fetched | tuple[int, str]:
    """One request: the Fetched document, or (status, next URL) when the answer is a redirect."""
    try:
        with client.stream(
            "GET", current, headers=headers, timeout=_timeout(settings, deadline - time.monotonic())
        ) as response:
            if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
                try:
                    return response.status_code, str(
                        response.url.join(response.headers["location"])
                    )
                except httpx.InvalidURL:
                    raise FetchError(f"invalid redirect Location for {url}") from None
            _check_status(response, url, conditional=conditional)
            if on_response is not None:
                on_response(_empty(url, response))
            body = _read_body(response, url, settings=settings, deadline=deadline, sink=sink)
    except httpx.TimeoutException as exc:
        raise TransientFetchError(_timeout_message(exc, settings, url, deadline)) from None
    except httpx.TransportError as exc:
        raise _transport_error(exc, current, url) from None
    fetched = _empty(url, response)
    fetched.body = body
    if response.status_code != 304:
        fetched.content_type = sniff_content_type(body, fetched.content_type)
    return fetched


def _empty(url: str, response: httpx.Response) -> Fetched:
    headers = {key.lower(): value for key, value in response.headers.items()}
    media_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return Fetched(
        url=url,
        final_url=str(response.url),
        body=b"",
        content_type=media_type,
        status=response.status_code,
        headers=headers,
    )


def _check_status(response: httpx.Response, url: str, *, conditional: bool) -> None:
    status = response.status_code
    if status < 300 or (status == 304 and conditional):
        return
    try:
        phrase = response.reason_phrase or HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    message = f"HTTP {status} {phrase}".rstrip() + f" for {url}"
    if status >= 500 or status in (408, 429):
        retry_after = retry_after_seconds(response.headers.get("retry-after"))
        raise TransientFetchError(message, status=status, retry_after=retry_after)
    raise FetchError(message, status=status)


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """A Retry-After header (seconds, or an HTTP date) as seconds from now; None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


def _read_body(
    response: httpx.Response, url: str, *, settings: Settings, deadline: float,
    sink: Sink | None = None,
) -> bytes:
    """The decoded body (written to `sink` instead, when given), refused as soon as its raw or
    inflated size passes the caps."""
    if response.status_code == 304:
        return b""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_body_bytes:
        raise FetchError(
            f"response too large ({_size(int(declared))}, limit {_size(settings.max_body_bytes)}) for {url}"
        )
    inflater = _Inflater(response.headers.get("content-encoding", ""), url)
    raw_size = decoded_size = 0
    parts: list[bytes] = []
    for chunk in response.iter_raw():
        raw_size += len(chunk)
        if raw_size > settings.max_body_bytes:
            raise FetchError(
                f"response too large (over {_size(settings.max_body_bytes)} limit) for {url}"
            )
        for piece in inflater.feed(chunk):
            decoded_size += len(piece)
            if decoded_size > settings.max_decompressed_bytes:
                raise FetchError(
                    f"response inflates past the {_size(settings.max_decompressed_bytes)} limit "
                    f"(compression bomb?) for {url}"
                )
            if sink is None:
                parts.append(piece)
            else:
                sink.write(piece)
        if time.monotonic() > deadline:
            raise TransientFetchError(
                f"timed out after {settings.total_timeout:g} s in total for {url}"
            )
    return b"".join(parts)


class _Inflater:
    """Undoes a gzip or deflate Content-Encoding in slices of at most INFLATE_SLICE bytes."""

    def __init__(self, encoding: str, url: str) -> None:
        self.encoding = encoding.strip().lower()
        if self.encoding in ("gzip", "x-gzip"):
            self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.encoding not in ("", "identity", "deflate"):
            raise FetchError(f"unsupported Content-Encoding '{encoding}' for {url}")
        self.url = url

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self.encoding in ("", "identity"):
            yield data
            return
        if self.encoding == "deflate" and not hasattr(self, "_inflate"):
            # "deflate" should be zlib-wrapped; some servers send a raw deflate stream instead
            wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._inflate = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        pending = data
        try:
            while pending:
                piece = self._inflate.decompress(pending, INFLATE_SLICE)
                pending = self._inflate.unconsumed_tail
                yield piece
        except zlib.error as exc:
            raise FetchError(f"corrupt {self.encoding} body ({exc}) for {self.url}") from None


def _timeout_message(
    exc: httpx.TimeoutException, settings: Settings, url: str, deadline: float
) -> str:
    if time.monotonic() >= deadline - 0.01:
        return f"timed out after {settings.total_timeout:g} s in total for {url}"
    if isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout)):
        return f"connect timeout after {settings.connect_timeout:g} s for {url}"
    return f"read timeout after {settings.read_timeout:g} s for {url}"


def _transport_error(exc: httpx.TransportError, current: str, url: str) -> FetchError:
    reason = str(exc) or type(exc).__name__
    host = httpx.URL(current).host
    lowered = reason.lower()
    if isinstance(exc, httpx.ConnectError) and reason.startswith(REFUSAL):
        return FetchError(f"{reason} for {url}")
    if isinstance(exc, httpx.ConnectError):
        if any(
            s in lowered
            for s in (
                "name or service not known",
                "nodename nor servname",
                "temporary failure in name resolution",
                "no address associated",
                "name resolution",
                "getaddrinfo",
            )
        ):
            return TransientFetchError(f"DNS lookup failed for host {host} for {url}")
        if "refused" in lowered:
            return TransientFetchError(f"connection refused by {host} for {url}")
        if "certificate" in lowered or "ssl" in lowered:
            return FetchError(f"TLS error ({_first_line(reason)}) for {url}")
        return TransientFetchError(f"cannot connect to {host} ({_first_line(reason)}) for {url}")
    if isinstance(exc, httpx.RemoteProtocolError):
        return TransientFetchError(f"server broke the connection ({_first_line(reason)}) for {url}")
    if isinstance(exc, httpx.UnsupportedProtocol):
        return FetchError(f"unsupported URL ({_first_line(reason)}) for {url}")
    return TransientFetchError(f"network error ({_first_line(reason)}) for {url}")


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"

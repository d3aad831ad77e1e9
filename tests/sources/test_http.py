"""Downloading: bounded in size, time and redirects, and every failure a clear one-line message."""

from __future__ import annotations

import gzip
import itertools
import socket
import time
import zlib
from datetime import UTC

import pytest
from support import FIXTURES
from support.loopback import Response, trickled_headers

from monitor.article.extract import parse_article
from monitor.config import Settings
from monitor.errors import ExtractError, FetchError, TransientFetchError
from monitor.sources.http import fetch, is_private_address, make_client

NET = FIXTURES / "net"
PAGE = (NET / "solid-state-pilot-line.html").read_bytes()
FAST = Settings(connect_timeout=2, read_timeout=2, total_timeout=5)


def get(url: str, settings: Settings = FAST, **kw):
    with make_client(settings) as client:
        return fetch(url, client=client, settings=settings, **kw)


def failure(url: str, settings: Settings = FAST, **kw) -> str:
    with pytest.raises(FetchError) as info:
        get(url, settings, **kw)
    message = str(info.value)
    assert "\n" not in message and url in message
    return message


def test_page_comes_back_with_media_type_and_lower_case_headers(server):
    server.routes["/a"] = Response(body=PAGE, headers={"ETag": '"v1"', "X-Battery-Desk": "cells"})
    fetched = get(server.url("/a"))
    assert fetched.body == PAGE and fetched.status == 200
    assert fetched.content_type == "text/html"
    assert fetched.headers["etag"] == '"v1"' and fetched.headers["x-battery-desk"] == "cells"
    assert fetched.url == fetched.final_url == server.url("/a")


def test_requests_name_the_tool_and_its_contact_url(server):
    server.routes["/a"] = Response(body=PAGE)
    get(server.url("/a"))
    agent = server.requests[-1][2]["User-Agent"]
    assert agent.startswith("ev-claims-monitor/") and Settings().contact_url in agent


@pytest.mark.parametrize(
    "status, expected, transient",
    [
        (404, "HTTP 404 Not Found for ", False),
        (403, "HTTP 403 Forbidden for ", False),
        (410, "HTTP 410 Gone for ", False),
        (429, "HTTP 429 Too Many Requests for ", True),
        (500, "HTTP 500 Internal Server Error for ", True),
        (503, "HTTP 503 Service Unavailable for ", True),
    ],
)
def test_http_errors_name_status_and_url(server, status, expected, transient):
    server.routes["/x"] = Response(status, "<html><body>oops</body></html>")
    with pytest.raises(FetchError) as info:
        get(server.url("/x"))
    assert str(info.value) == expected + server.url("/x")
    assert isinstance(info.value, TransientFetchError) is transient


def test_slow_server_hits_the_read_timeout(server):
    server.routes["/slow"] = Response(body=PAGE, delay=1.5)
    settings = Settings(read_timeout=0.3, total_timeout=5)
    assert failure(server.url("/slow"), settings).startswith("read timeout after 0.3 s for ")


def test_body_dribbled_slowly_hits_the_total_timeout(server):
    server.routes["/drip"] = Response(chunks=itertools.repeat(b"<p>cell</p>", 100), chunk_delay=0.1)
    settings = Settings(read_timeout=1, total_timeout=0.6)
    assert failure(server.url("/drip"), settings).startswith("timed out after 0.6 s in total for ")


def test_header_lines_trickled_slowly_hit_the_total_timeout(server):
    """Each header line comes within the read timeout; the request as a whole may not last."""
    server.routes["/trickle"] = trickled_headers(every=0.1)
    settings = Settings(read_timeout=1, total_timeout=0.6)
    message = failure(server.url("/trickle"), settings)
    assert message.startswith("timed out after 0.6 s in total for ")


def test_the_total_timeout_spans_every_redirect_hop(server):
    server.routes["/go"] = Response(302, headers={"Location": server.url("/trickle")})
    server.routes["/trickle"] = trickled_headers(every=0.1)
    settings = Settings(read_timeout=1, total_timeout=0.6)
    assert failure(server.url("/go"), settings).startswith("timed out after 0.6 s in total for ")


def test_a_kept_alive_connection_gets_the_next_request_its_own_deadline(server):
    server.routes["/a"] = Response(body=PAGE)
    settings = Settings(read_timeout=1, total_timeout=0.6)
    with make_client(settings) as client:
        assert fetch(server.url("/a"), client=client, settings=settings).body == PAGE
        time.sleep(0.7)  # past the first request's deadline
        assert fetch(server.url("/a"), client=client, settings=settings).body == PAGE


def test_closed_port_is_a_refused_connection():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/news"
    assert failure(url).startswith("connection refused by 127.0.0.1 for ")


def test_unknown_host_is_a_dns_failure():
    url = "http://battery-news.invalid/feed"
    assert failure(url).startswith("DNS lookup failed for host battery-news.invalid for ")


@pytest.mark.parametrize(
    "url, reason",
    [
        ("ftp://cellwire.example/report.pdf", "unsupported URL scheme 'ftp' (only http and https)"),
        ("file:///etc/passwd", "unsupported URL scheme 'file' (only http and https)"),
    ],
)
def test_only_http_and_https_are_fetched(url, reason):
    assert failure(url).startswith(reason)


def redirect_chain(server, hops: int) -> str:
    for n in range(hops):
        server.routes[f"/r{n}"] = Response(302, headers={"Location": f"/r{n + 1}"})
    server.routes[f"/r{hops}"] = Response(body=PAGE)
    return server.url("/r0")


def test_five_redirects_are_followed(server):
    fetched = get(redirect_chain(server, 5))
    assert fetched.final_url == server.url("/r5") and fetched.body == PAGE


def test_a_sixth_redirect_is_refused(server):
    url = redirect_chain(server, 6)
    assert failure(url).startswith("too many redirects (more than 5) for ")


def test_redirect_loop_is_named(server):
    server.routes["/a"] = Response(301, headers={"Location": "/b"})
    server.routes["/b"] = Response(301, headers={"Location": "/a"})
    assert failure(server.url("/a")).startswith(f"redirect loop (back to {server.url('/a')}) for ")


def test_redirect_to_a_file_url_is_refused(server):
    server.routes["/go"] = Response(302, headers={"Location": "file:///etc/passwd"})
    assert failure(server.url("/go")).startswith("redirect to unsupported scheme 'file'")


def test_declared_length_over_the_cap_is_refused_before_reading(server):
    server.routes["/big"] = Response(body=b"x" * 5000)
    settings = Settings(max_body_bytes=4096)
    assert failure(server.url("/big"), settings).startswith(
        "response too large (5000 bytes, limit 4096 bytes) for "
    )


def test_streamed_body_over_the_cap_is_cut_off(server):
    server.routes["/stream"] = Response(
        chunks=itertools.repeat(b"<p>" + b"cathode " * 1000 + b"</p>")
    )
    settings = Settings(max_body_bytes=64 * 1024)
    assert failure(server.url("/stream"), settings).startswith(
        "response too large (over 65536 bytes limit) for "
    )


def test_a_real_body_over_ten_megabytes_is_cut_off(server):
    chunk = b"<p>" + b"lithium iron phosphate " * 2800 + b"</p>"  # about 64 KB
    server.routes["/huge"] = Response(chunks=itertools.repeat(chunk, 200))  # about 13 MB
    message = failure(server.url("/huge"), Settings())
    assert message.startswith("response too large (over 10.0 MB limit) for ")


GZIP_BOMB = gzip.compress(
    b"\0" * (60 * 1024 * 1024), compresslevel=9
)  # ~60 KB that inflates to 60 MB


def test_gzip_bomb_is_refused_while_inflating(server):
    server.routes["/bomb"] = Response(body=GZIP_BOMB, headers={"Content-Encoding": "gzip"})
    message = failure(server.url("/bomb"), Settings())
    assert message.startswith("response inflates past the 50.0 MB limit (compression bomb?) for ")


@pytest.mark.parametrize(
    "encoding, encode",
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some servers send it
    ],
)
def test_compressed_pages_are_inflated(server, encoding, encode):
    server.routes["/z"] = Response(body=encode(PAGE), headers={"Content-Encoding": encoding})
    assert get(server.url("/z")).body == PAGE
    assert server.requests[-1][2]["Accept-Encoding"] == "gzip, deflate"


def test_encoding_we_did_not_offer_is_refused(server):
    server.routes["/br"] = Response(body=b"\x1b\x00", headers={"Content-Encoding": "br"})
    assert failure(server.url("/br")).startswith("unsupported Content-Encoding 'br' for ")


def test_corrupt_gzip_is_one_line(server):
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"
    server.routes["/bad"] = Response(
        body=header + b"\xff\xff not deflate", headers={"Content-Encoding": "gzip"}
    )
    assert failure(server.url("/bad")).startswith(
        "corrupt gzip body (Error -3 while decompressing data: "
    )


def test_conditional_get_sends_validators_and_takes_a_304(server):
    def not_modified(handler):
        sent = handler.headers.get("If-None-Match") == '"feed-7"'
        return Response(304) if sent else Response(body=PAGE)

    server.routes["/feed"] = not_modified
    fetched = get(
        server.url("/feed"), etag='"feed-7"', last_modified="Thu, 02 Apr 2026 07:15:00 GMT"
    )
    assert fetched.status == 304 and fetched.body == b""
    headers = server.requests[-1][2]
    assert headers["If-Modified-Since"] == "Thu, 02 Apr 2026 07:15:00 GMT"


def test_a_304_nobody_asked_for_is_an_error(server):
    server.routes["/odd"] = Response(304)
    assert failure(server.url("/odd")).startswith("HTTP 304 Not Modified for ")


PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.mark.parametrize(
    "body, declared, media_type",
    [
        pytest.param(PDF, "application/pdf", "application/pdf", id="pdf"),
        pytest.param(PDF, "text/html; charset=utf-8", "application/pdf", id="pdf-labelled-html"),
        pytest.param(PNG, "image/png", "image/png", id="png"),
        pytest.param(PNG, "application/octet-stream", "image/png", id="png-labelled-binary"),
    ],
)
def test_pdf_or_image_where_a_page_was_expected_is_an_extract_error(
    server, body, declared, media_type
):
    server.routes["/doc"] = Response(body=body, content_type=declared)
    fetched = get(server.url("/doc"))
    assert fetched.content_type == media_type
    with pytest.raises(ExtractError) as info:
        parse_article(fetched)
    assert str(info.value) == f"{server.url('/doc')}: not an HTML page ({media_type})"


def test_page_without_article_text_is_an_extract_error(server):
    server.routes["/app"] = Response(
        body=(FIXTURES / "pages/empty-shell.html").read_bytes()
    )
    with pytest.raises(ExtractError, match="no article text could be extracted"):
        parse_article(get(server.url("/app")))


@pytest.mark.parametrize(
    "host, private",
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("10.20.30.40", True),
        ("192.168.1.10", True),
        ("172.16.5.5", True),
        ("169.254.169.254", True),  # cloud metadata service
        ("100.64.0.1", True),  # carrier-grade NAT
        ("::1", True),
        ("[::1]", True),
        ("fe80::1", True),
        ("::ffff:192.168.0.1", True),
        ("::ffff:7f00:1", True),  # IPv4-mapped 127.0.0.1 written in hex
        ("::127.0.0.1", True),  # IPv4-compatible (deprecated, still routed by some stacks)
        ("[::127.0.0.1]", True),
        ("64:ff9b::7f00:1", True),  # NAT64 to 127.0.0.1
        ("64:ff9b::a9fe:a9fe", True),  # NAT64 to the cloud metadata service
        ("64:ff9b:1::808:808", True),  # a site's own NAT64 prefix (RFC 8215)
        ("2002:7f00:1::1", True),  # 6to4 around 127.0.0.1
        ("2002:c0a8:101::1", True),  # 6to4 around 192.168.1.1
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", True),  # Teredo
        ("64:ff9b::808:808", False),  # NAT64 to 8.8.8.8 is public
        ("2002:808:808::1", False),
        ("224.0.0.1", True),
        ("0.0.0.0", True),
        ("8.8.8.8", False),
        ("2606:4700::1111", False),
        ("battery-news.invalid", False),  # unresolvable: the fetch reports DNS instead
    ],
)
def test_private_addresses_are_recognised(host, private):
    assert is_private_address(host) is private


def test_feed_links_to_local_addresses_are_refused(server):
    server.routes["/a"] = Response(body=PAGE)
    message = failure(server.url("/a"), allow_private=False)
    assert message.startswith(
        "refusing a private or local address (127.0.0.1; list it in allow_private_hosts"
    )


def test_listed_private_hosts_are_allowed(server):
    server.routes["/a"] = Response(body=PAGE)
    settings = Settings(allow_private_hosts=("127.0.0.1",))
    assert get(server.url("/a"), settings, allow_private=False).body == PAGE


def test_redirect_into_an_unlisted_private_host_is_refused(server):
    server.routes["/go"] = Response(302, headers={"Location": f"http://localhost:{server.port}/a"})
    settings = Settings(allow_private_hosts=("127.0.0.1",))
    assert "(localhost, reached by a redirect;" in failure(
        server.url("/go"), settings, allow_private=False
    )


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_user_typed_url_redirecting_to_another_private_host_is_refused(
    server, second_server, status
):
    """A feed URL the user typed may be private; where a redirect leads on another host may not."""
    server.routes["/internal/feed.xml"] = Response(body="<rss>INTERNAL ADMIN FEED token=1</rss>")
    second_server.routes["/feed"] = Response(
        status, headers={"Location": server.url("/internal/feed.xml")}
    )
    message = failure(second_server.url("/feed"))
    assert message.startswith("refusing a private or local address (127.0.0.1, reached by a redirect")
    assert server.requests == []


def test_a_redirect_within_the_typed_private_host_is_followed(server):
    server.routes["/old"] = Response(301, headers={"Location": server.url("/a")})
    server.routes["/a"] = Response(body=PAGE)
    fetched = get(server.url("/old"))
    assert fetched.body == PAGE and fetched.permanent_url == server.url("/a")


def test_a_redirect_to_a_listed_private_host_is_followed(server, second_server):
    server.routes["/a"] = Response(body=PAGE)
    second_server.routes["/feed"] = Response(302, headers={"Location": server.url("/a")})
    settings = Settings(allow_private_hosts=("127.0.0.1",))
    assert get(second_server.url("/feed"), settings).body == PAGE


@pytest.mark.parametrize("host", ["[::127.0.0.1]", "[64:ff9b::7f00:1]", "[2002:7f00:1::1]"])
def test_a_redirect_to_ipv4_inside_ipv6_is_refused(second_server, host):
    second_server.routes["/feed"] = Response(301, headers={"Location": f"http://{host}/admin"})
    message = failure(second_server.url("/feed"))
    assert message.startswith(f"refusing a private or local address ({host.strip('[]')}")


def test_user_agent_names_a_configured_contact_url(server):
    server.routes["/a"] = Response(body=PAGE)
    get(server.url("/a"), Settings(contact_url="https://battery-desk.example/contact"))
    agent = server.requests[-1][2]["User-Agent"]
    assert agent.startswith("ev-claims-monitor/") and agent.endswith(
        "(+https://battery-desk.example/contact)"
    )


@pytest.mark.parametrize(
    "statuses, permanent",
    [
        ((301,), True),
        ((308,), True),
        ((301, 308), True),
        ((302,), False),
        ((307,), False),
        ((301, 302), False),
    ],
)
def test_only_a_chain_of_permanent_redirects_gives_a_new_permanent_url(server, statuses, permanent):
    for n, status in enumerate(statuses):
        server.routes[f"/m{n}"] = Response(status, headers={"Location": f"/m{n + 1}"})
    server.routes[f"/m{len(statuses)}"] = Response(body=PAGE)
    fetched = get(server.url("/m0"))
    assert fetched.final_url == server.url(f"/m{len(statuses)}")
    assert fetched.permanent_url == (fetched.final_url if permanent else None)


def test_no_redirect_means_no_permanent_url(server):
    server.routes["/a"] = Response(body=PAGE)
    assert get(server.url("/a")).permanent_url is None


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_comes_with_the_transient_error(server, status):
    server.routes["/busy"] = Response(status, "slow down", headers={"Retry-After": "120"})
    with pytest.raises(TransientFetchError) as info:
        get(server.url("/busy"))
    assert info.value.retry_after == 120


@pytest.mark.parametrize(
    "value, seconds",
    [
        ("3600", 3600.0),
        ("Mon, 06 Apr 2026 09:00:00 GMT", 3600.0),
        ("Mon, 06 Apr 2026 07:00:00 GMT", 0.0),  # already past
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_is_read_as_seconds_or_a_date(value, seconds):
    from datetime import datetime

    from monitor.sources.http import retry_after_seconds

    now = datetime(2026, 4, 6, 8, 0, tzinfo=UTC)
    assert retry_after_seconds(value, now=now) == seconds


def test_a_name_that_turns_private_after_the_check_is_refused_at_connect(server, monkeypatch):
    """DNS rebinding: the name looked public when checked, then resolves to loopback."""
    import monitor.sources.http as fetch_module

    monkeypatch.setattr(fetch_module, "is_private_address", lambda host: False)
    server.routes["/a"] = Response(body=PAGE)
    url = f"http://localhost:{server.port}/a"
    with pytest.raises(FetchError) as info:
        get(url, allow_private=False)
    assert str(info.value).startswith(
        "refusing a private or local address (localhost connects to 127.0.0.1)"
    )
    assert not isinstance(info.value, TransientFetchError)  # a hard failure: not retried
    assert server.requests == []


def test_a_user_typed_url_may_be_private(server):
    server.routes["/a"] = Response(body=PAGE)
    assert get(f"http://localhost:{server.port}/a").body == PAGE

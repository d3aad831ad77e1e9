"""Proxies: the environment's HTTP_PROXY/NO_PROXY and the `proxy` setting are honoured, and what a
proxy is asked for passes the same private-address rules as a direct request."""

from __future__ import annotations

import pytest
from support.loopback import Response

from monitor.config import Settings
from monitor.errors import FetchError
from monitor.sources.http import fetch, make_client

PAGE = b"<html><body><p>Sodium-ion cells reach 160 Wh/kg.</p></body></html>"
FAST = dict(connect_timeout=2, read_timeout=2, total_timeout=5)


@pytest.fixture(autouse=True)
def no_proxy_environment(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def get(url, settings, **kw):
    with make_client(settings) as client:
        return fetch(url, client=client, settings=settings, **kw)


def test_the_environments_http_proxy_carries_the_request(server, proxy, monkeypatch):
    server.routes["/a"] = Response(body=PAGE)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    fetched = get(server.url("/a"), Settings(**FAST))
    assert fetched.body == PAGE and fetched.headers["via"] == "1.1 loopback-proxy"
    assert proxy.asked == [server.url("/a")]


def test_the_proxy_setting_goes_before_the_environment(server, proxy, monkeypatch):
    server.routes["/a"] = Response(body=PAGE)
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.9:9")  # nothing listens there
    assert get(server.url("/a"), Settings(proxy=proxy.url, **FAST)).body == PAGE
    assert proxy.asked == [server.url("/a")]


@pytest.mark.parametrize("no_proxy", ["127.0.0.1", "127.0.0.2,127.0.0.1", "localhost,127.0.0.1"])
def test_hosts_in_no_proxy_are_reached_directly(server, proxy, monkeypatch, no_proxy):
    server.routes["/a"] = Response(body=PAGE)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", no_proxy)
    fetched = get(server.url("/a"), Settings(**FAST))
    assert fetched.body == PAGE and "via" not in fetched.headers and proxy.asked == []


def test_the_no_proxy_setting_bypasses_the_proxy(server, proxy):
    server.routes["/a"] = Response(body=PAGE)
    assert get(server.url("/a"), Settings(proxy=proxy.url, no_proxy=("127.0.0.1",), **FAST)).body == PAGE
    assert proxy.asked == []


def test_a_feed_link_to_a_private_address_is_never_asked_of_the_proxy(server, proxy):
    server.routes["/internal"] = Response(body=PAGE)
    with pytest.raises(FetchError) as info:
        get(server.url("/internal"), Settings(proxy=proxy.url, **FAST), allow_private=False)
    assert str(info.value).startswith("refusing a private or local address (127.0.0.1;")
    assert proxy.asked == [] and server.requests == []


def test_a_redirect_into_the_private_network_is_never_asked_of_the_proxy(
    server, second_server, proxy
):
    """The proxy may sit inside the network: a redirect it relays is checked before it is asked."""
    server.routes["/internal/feed.xml"] = Response(body=PAGE)
    second_server.routes["/feed"] = Response(301, headers={"Location": server.url("/internal/feed.xml")})
    with pytest.raises(FetchError) as info:
        get(second_server.url("/feed"), Settings(proxy=proxy.url, **FAST))
    assert "(127.0.0.1, reached by a redirect" in str(info.value)
    assert proxy.asked == [second_server.url("/feed")] and server.requests == []


def test_a_listed_private_host_is_fetched_through_the_proxy(server, proxy):
    server.routes["/a"] = Response(body=PAGE)
    settings = Settings(proxy=proxy.url, allow_private_hosts=("127.0.0.1",), **FAST)
    assert get(server.url("/a"), settings, allow_private=False).body == PAGE
    assert proxy.asked == [server.url("/a")]

"""The Host allowlist and the cross-origin write check in front of Datasette."""

import pytest

pytest.importorskip("datasette", reason="Datasette is the optional [ui] extra")

from monitor.web.guard import allowed_host_names, refusal  # noqa: E402

ALLOWED = allowed_host_names(["monitor.example.org"])


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1:8001", "localhost:8001", "LOCALHOST", "[::1]:8001", "localhost.:8001",
     "monitor.example.org", "monitor.example.org:443"],
)
def test_loopback_names_and_named_hosts_are_served(host):
    assert refusal("GET", {"host": host}, ALLOWED) is None


@pytest.mark.parametrize(
    "host",
    ["rebind.example:8001", "127.0.0.2:8001", "evil.monitor.example.org", "monitor.example.org.evil",
     "", "user@localhost", "localhost:notaport", "[::2]:8001", "0.0.0.0:8001"],
)
def test_any_other_host_is_refused_400(host):
    refused = refusal("GET", {"host": host}, ALLOWED)
    assert refused is not None and refused.status == 400 and "is not served here" in refused.message


@pytest.mark.parametrize(
    "headers",
    [
        {"sec-fetch-site": "same-origin", "origin": "http://127.0.0.1:8001"},
        {"sec-fetch-site": "none"},
        {},  # curl and scripts: no browser, no ambient cookies to abuse
        {"origin": "http://127.0.0.1:8001"},
    ],
)
def test_same_origin_writes_go_on(headers):
    assert refusal("POST", {"host": "127.0.0.1:8001", **headers}, ALLOWED) is None


@pytest.mark.parametrize(
    "headers",
    [
        {"sec-fetch-site": "same-site", "origin": "http://127.0.0.1:9999"},  # another local port
        {"sec-fetch-site": "cross-site", "origin": "https://evil.example"},
        {"origin": "http://127.0.0.1:9999"},
        {"origin": "http://localhost:8001"},  # another origin, same port
        {"origin": "null"},  # sandboxed iframe, data: URL
        {"origin": "file://"},
        {"origin": "http://127.0.0.1:8001@evil.example"},
    ],
)
def test_writes_from_another_origin_are_refused_403(headers):
    for method in ("POST", "PUT", "DELETE", "patch"):
        refused = refusal(method, {"host": "127.0.0.1:8001", **headers}, ALLOWED)
        assert refused is not None and refused.status == 403, (method, headers)


def test_behind_a_tls_proxy_the_origin_matches_a_host_without_port():
    headers = {"host": "monitor.example.org", "origin": "https://monitor.example.org",
               "sec-fetch-site": "same-origin"}
    assert refusal("POST", headers, ALLOWED) is None
    headers["origin"] = "https://other.example.org"
    assert refusal("POST", headers, ALLOWED).status == 403


@pytest.mark.parametrize("name", ["http://x.example", "x.example:443", "x.example/path", "bad name"])
def test_a_host_name_with_a_scheme_port_or_path_is_refused(name):
    with pytest.raises(ValueError, match="not a host name"):
        allowed_host_names([name])

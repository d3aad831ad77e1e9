"""Sites: a page may name a canonical URL on its own site, never another site's."""

from __future__ import annotations

import pytest

from monitor.article.sites import same_site, site_of, trusted_canonical


@pytest.mark.parametrize(
    "url, site",
    [
        ("https://www.bbc.co.uk/news/business-1", "bbc.co.uk"),
        ("https://news.bbc.co.uk/2/hi/1", "bbc.co.uk"),
        ("https://electrek.co/2026/04/06/catl/", "electrek.co"),
        ("https://WWW.Reuters.com./business/", "reuters.com"),
        ("https://cellwire.github.io/feed", "cellwire.github.io"),  # a public suffix of its own
        ("https://news.cellwire.example/a", "cellwire.example"),  # unknown suffix: "*" rule
        ("http://127.0.0.1:8000/a", "127.0.0.1"),
        ("http://[::1]:8000/a", "::1"),
        ("http://localhost/a", "localhost"),
        ("not a url", None),
    ],
)
def test_a_url_belongs_to_its_registered_domain(url, site):
    assert site_of(url) == site


def test_a_canonical_url_on_the_pages_own_site_is_believed():
    page = "https://www.cellwire.example/amp/2026/04/pilot-line"
    declared = "https://cellwire.example/2026/04/pilot-line"
    assert trusted_canonical(declared, page) == declared


@pytest.mark.parametrize(
    "declared, page",
    [
        ("https://cellwire.example/story", "https://cellwire.example.attacker.example/story"),
        ("https://cellwire.example/story", "https://cellwire-example.net/story"),
        ("https://cellwire.github.io/story", "https://attacker.github.io/story"),  # public suffix
        ("http://127.0.0.1/story", "http://127.0.0.2/story"),
    ],
)
def test_a_canonical_url_on_another_site_is_ignored(declared, page):
    assert trusted_canonical(declared, page) is None


def test_sites_grouped_in_the_settings_may_name_each_other():
    groups = (("cellwire.example", "cellwire-news.example"),)
    declared = "https://cellwire.example/2026/04/pilot-line"
    assert trusted_canonical(declared, "https://amp.cellwire-news.example/p", site_groups=groups)
    assert not same_site(declared, "https://gridgarage.example/p", site_groups=groups)

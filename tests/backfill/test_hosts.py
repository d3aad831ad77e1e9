"""Host filters of a backfill: a name stands for its host and every host under it."""

from __future__ import annotations

import pytest

from monitor.backfill.hosts import host_name, host_wanted
from monitor.errors import MonitorError


@pytest.mark.parametrize(("url", "wanted"), [
    ("https://electrek.co/2024/01/cells", True),
    ("https://www.electrek.co/2024/01/cells", True),
    ("https://ELECTREK.CO./a", True),
    ("https://notelectrek.co/a", False),
    ("https://electrek.co.evil.example/a", False),
    ("https://shop.electrek.co/a", False),  # left out, though under an included host
    ("not a url", False),
])
def test_included_hosts_and_their_subdomains_pass_unless_left_out(url, wanted):
    assert host_wanted(url, ("electrek.co",), ("shop.electrek.co",)) is wanted


def test_without_filters_every_page_passes():
    assert host_wanted("https://anything.example/a", (), ())


@pytest.mark.parametrize(("given", "name"), [("Electrek.co.", "electrek.co"), ("https://www.x.example/", "www.x.example")])
def test_a_host_name_is_cleaned_as_given(given, name):
    assert host_name(given) == name


@pytest.mark.parametrize("given", ["", "electrek.co/news", ".co", "a..b", "user@host"])
def test_what_is_not_a_host_name_is_refused(given):
    with pytest.raises(MonitorError, match="not a host name"):
        host_name(given)

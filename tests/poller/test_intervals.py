"""When a feed is polled next: half its publishing gap, raised to its hints, within the limits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.config import Settings
from monitor.poller.intervals import (
    failure_interval,
    jitter,
    max_age_minutes,
    publishing_rate,
    success_interval,
)

NOW = datetime(2026, 4, 6, 8, 0, tzinfo=UTC)
SETTINGS = Settings()


def test_publishing_rate_is_the_median_gap_of_the_newest_entries():
    dates = [
        "2026-04-06T07:00:00Z",
        "2026-04-06T06:00:00Z",
        "2026-04-06T04:00:00Z",
        "2026-04-06T03:00:00Z",
    ]
    assert publishing_rate(dates, now=NOW) == (60, "2026-04-06T07:00:00Z")


def test_entries_dated_in_the_future_or_undated_say_nothing():
    assert publishing_rate(["2026-05-01T00:00:00Z", None], now=NOW) == (None, None)


def test_a_single_dated_entry_gives_no_gap_but_a_latest_date():
    assert publishing_rate(["2026-04-06T07:00:00Z"], now=NOW) == (None, "2026-04-06T07:00:00Z")


@pytest.mark.parametrize(
    "publish, latest, hints, minutes",
    [
        pytest.param(60, "2026-04-06T07:30:00Z", [], 30, id="hourly-feed-half-hour"),
        pytest.param(4, "2026-04-06T07:58:00Z", [], 5, id="busy-feed-floor"),
        pytest.param(60, "2026-04-01T08:00:00Z", [], 1440, id="quiet-for-days-ceiling"),
        pytest.param(180, "2026-04-06T07:00:00Z", [], 90, id="three-hourly"),
        pytest.param(None, None, [], 15, id="undated-default"),
        pytest.param(10, "2026-04-06T07:55:00Z", [30], 30, id="ttl-raises"),
        pytest.param(10, "2026-04-06T07:55:00Z", [None, 120], 120, id="max-age-raises"),
        pytest.param(600, "2026-04-06T07:55:00Z", [30], 300, id="hint-never-lowers"),
        pytest.param(10, "2026-04-06T07:55:00Z", [10080], 1440, id="weekly-hint-capped"),
    ],
)
def test_success_interval(publish, latest, hints, minutes):
    assert (
        success_interval(
            SETTINGS, publish_minutes=publish, latest_entry=latest, now=NOW, hints=hints
        )
        == minutes
    )


def test_configured_limits_bound_the_interval():
    settings = Settings(min_interval_minutes=20, max_interval_minutes=120)
    assert success_interval(settings, publish_minutes=4, latest_entry=None, now=NOW) == 20
    assert (
        success_interval(
            settings, publish_minutes=None, latest_entry="2026-03-01T00:00:00Z", now=NOW
        )
        == 120
    )


@pytest.mark.parametrize(
    "header, minutes",
    [
        ("max-age=3600", 60),
        ("public, max-age=600, must-revalidate", 10),
        ('max-age="120"', 2),
        ("no-store, max-age=3600", None),
        ("no-cache", None),
        ("", None),
    ],
)
def test_cache_control_max_age_in_minutes(header, minutes):
    assert max_age_minutes({"cache-control": header} if header else {}) == minutes


def test_backoff_doubles_with_each_failure_within_its_jitter():
    for errors in range(1, 6):
        minutes = failure_interval(SETTINGS, errors=errors, key="https://cellwire.example/feed.rss")
        assert 15 * 2 ** (errors - 1) * 0.75 <= minutes <= 15 * 2 ** (errors - 1) * 1.25


def test_backoff_stops_at_the_longest_interval():
    assert failure_interval(SETTINGS, errors=40, key="https://cellwire.example/feed.rss") == 1440


def test_retry_after_is_honoured_when_longer_than_the_backoff():
    assert failure_interval(SETTINGS, errors=1, key="k", retry_after=3 * 3600) == 180
    assert failure_interval(SETTINGS, errors=1, key="k", retry_after=5) == 15 * jitter("k", 1)


def test_jitter_is_reproducible_per_feed_and_differs_between_feeds():
    assert jitter("https://a.example/feed", 3) == jitter("https://a.example/feed", 3)
    factors = {jitter(f"https://site{n}.example/feed", 1) for n in range(50)}
    assert len(factors) == 50 and all(0.75 <= f <= 1.25 for f in factors)

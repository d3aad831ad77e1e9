"""The feed-state policy as plain values: failures counted, backed off, hard or soft by one rule
for feeds and pages alike, an unexpected exception soft. No server, no database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.config import Settings
from monitor.errors import ExtractError, FeedError, FetchError, TransientFetchError
from monitor.models import Fetched
from monitor.poller.feed_state import (
    FeedAnswer,
    after_answer,
    after_failure,
    failure_message,
    is_hard_failure,
)
from monitor.sources.feeds import ParsedFeed

NOW = datetime(2026, 4, 6, 8, 0, tzinfo=UTC)
SETTINGS = Settings()
FEED = {"url": "https://cellwire.example/feed.rss", "error_count": 0, "hard_errors": 0}


@pytest.mark.parametrize(
    "exc, hard",
    [
        (FetchError("HTTP 404 Not Found for x", status=404), True),
        (FeedError("not a feed"), True),
        (ExtractError("no article text"), True),
        (TransientFetchError("timed out"), False),
        (TransientFetchError("HTTP 503", status=503, retry_after=120), False),
        (RuntimeError("a bug in a parser"), False),
        (KeyError("title"), False),
    ],
)
def test_a_failure_is_hard_only_when_it_is_a_known_lasting_one(exc, hard):
    assert is_hard_failure(exc) is hard


def test_an_unexpected_exception_of_a_feed_is_a_soft_failure_with_its_message():
    failure = after_failure(FEED, RuntimeError("boom"), settings=SETTINGS, now=NOW)
    assert not failure.hard
    assert failure.columns["hard_errors"] == 0 and failure.columns["error_count"] == 1
    assert failure.message == "https://cellwire.example/feed.rss: unexpected error: boom"
    assert failure.columns["last_error"] == failure.message


def test_hard_failures_in_a_row_mark_the_feed_failing_sooner_than_soft_ones():
    feed = {**FEED, "error_count": 4, "hard_errors": 4}
    assert after_failure(feed, FeedError("not a feed"), settings=SETTINGS, now=NOW).failing
    assert not after_failure(feed, RuntimeError("bug"), settings=SETTINGS, now=NOW).failing
    nine_soft = {**FEED, "error_count": 9}
    failure = after_failure(nine_soft, RuntimeError("bug"), settings=SETTINGS, now=NOW)
    assert failure.failing and failure.columns["state"] == "failing"


def test_the_backoff_doubles_and_honours_retry_after():
    first = after_failure(FEED, TransientFetchError("timed out"), settings=SETTINGS, now=NOW)
    third = after_failure(
        {**FEED, "error_count": 2}, TransientFetchError("timed out"), settings=SETTINGS, now=NOW
    )
    assert third.interval_minutes > 2.5 * first.interval_minutes
    later = after_failure(
        FEED, TransientFetchError("503", retry_after=6 * 3600), settings=SETTINGS, now=NOW
    )
    assert later.interval_minutes == 6 * 60
    assert later.columns["next_poll"] == "2026-04-06T14:00:00Z"


def test_a_monitor_error_is_shown_as_its_own_message():
    assert failure_message(FetchError("HTTP 410 Gone for x"), "x") == "HTTP 410 Gone for x"


ANSWERED = {
    "url": "https://cellwire.example/feed.rss", "title": None, "site_url": None,
    "publish_minutes": None, "latest_entry": None, "moved_to": None,
}


def answer(**kw) -> FeedAnswer:
    fetched = Fetched(
        url=ANSWERED["url"], final_url=ANSWERED["url"], body=b"", headers={"etag": '"v2"'},
        permanent_url=kw.pop("permanent_url", None),
    )
    return FeedAnswer(fetched, ParsedFeed(url=ANSWERED["url"], title="Cell Wire"), "hash", False, **kw)


def test_a_feed_with_a_backlog_stays_due_and_forgets_its_validators():
    update = after_answer(ANSWERED, answer(new=50, backlog=150), settings=SETTINGS, now=NOW)
    assert update.next_poll == NOW
    assert (update.columns["etag"], update.columns["body_hash"]) == (None, None)
    assert update.result == "50 new, 150 left for the next pass"


def test_a_drained_feed_keeps_its_validators_and_waits_its_interval():
    update = after_answer(ANSWERED, answer(new=3), settings=SETTINGS, now=NOW)
    assert update.next_poll > NOW and update.columns["etag"] == '"v2"'
    assert (update.columns["error_count"], update.columns["title"]) == (0, "Cell Wire")


def test_a_permanent_redirect_moves_the_feed_the_second_time_unless_onto_a_feed_we_have():
    target = "https://cellwire.example/rss"
    first = after_answer(ANSWERED, answer(permanent_url=target), settings=SETTINGS, now=NOW)
    assert (first.move, first.columns["moved_to"]) == ("seen", target)
    again = {**ANSWERED, "moved_to": target}
    taken = after_answer(again, answer(permanent_url=target), settings=SETTINGS, now=NOW)
    assert (taken.move, taken.columns["url"]) == ("taken", target)
    kept = after_answer(
        again, answer(permanent_url=target), settings=SETTINGS, now=NOW, target_subscribed=True
    )
    assert kept.move == "subscribed" and "url" not in kept.columns

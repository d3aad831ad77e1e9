"""One story, one canonical URL; a syndicated copy of a text is found by its fingerprint."""

from __future__ import annotations

import random

import pytest
from support import FIXTURES
from trafilatura.deduplication import Simhash

from monitor.article.dedup import (
    MAX_DISTANCE,
    NearDuplicates,
    canonical_url,
    distance,
    fingerprint,
    same_story,
)
from monitor.article.extract import parse_article
from monitor.models import Fetched

NET = FIXTURES / "net"


def text_of(name: str) -> str:
    body = (NET / name).read_bytes()
    return parse_article(
        Fetched(
            url="https://cellwire.example/a",
            final_url="https://cellwire.example/a",
            body=body,
            content_type="text/html",
        )
    ).text


@pytest.mark.parametrize(
    "url, canonical",
    [
        (
            "https://cellwire.example/2026/04/story?utm_source=rss&utm_medium=feed",
            "https://cellwire.example/2026/04/story",
        ),
        (
            "https://cellwire.example/2026/04/story?fbclid=IwAR0abc",
            "https://cellwire.example/2026/04/story",
        ),
        (
            "https://cellwire.example/2026/04/story#comments",
            "https://cellwire.example/2026/04/story",
        ),
        ("https://CellWire.example:443/2026/04/story", "https://cellwire.example/2026/04/story"),
        ("https://cellwire.example/?p=4812&utm_campaign=daily", "https://cellwire.example/?p=4812"),
        ("https://cellwire.example/story?id=7&gclid=x", "https://cellwire.example/story?id=7"),
        ("https://cellwire.example", "https://cellwire.example/"),
        ("http://127.0.0.1:8080/news/1?utm_source=x", "http://127.0.0.1:8080/news/1"),
    ],
)
def test_canonical_url_drops_tracking_fragments_and_default_ports(url, canonical):
    assert canonical_url(url) == canonical


def test_a_short_text_has_no_fingerprint():
    assert fingerprint("Cell prices fell 20% last year, the agency said.") is None


ACCENTED = " ".join(
    ["Le fabricant de cellules a annoncé une usine de 40 GWh près de Dunkerque, où l'État"]
    + ["finance une partie des équipements; les batteries LFP coûteront moins cher qu'en 2024."] * 8
)


@pytest.mark.parametrize(
    "text",
    [text_of("solid-state-pilot-line.html"), text_of("recycling-plant.html"), ACCENTED],
    ids=["pilot-line", "recycling-plant", "accented"],
)
def test_fingerprint_is_trafilaturas_simhash(text):
    assert fingerprint(text) & (2**64 - 1) == Simhash(text, length=64).hash


def test_fingerprint_fits_a_signed_sqlite_integer():
    value = fingerprint(text_of("solid-state-pilot-line.html"))
    assert -(2**63) <= value < 2**63


COPY_BOILERPLATE = (
    "This article first appeared on Cell Wire and is republished with permission.\n{}\n"
    "Sign up for our weekly battery newsletter."
)


def test_a_copy_with_its_own_boilerplate_is_a_candidate_and_the_same_story():
    story = text_of("solid-state-pilot-line.html")
    copy = COPY_BOILERPLATE.format(story)
    assert distance(fingerprint(story), fingerprint(copy)) <= MAX_DISTANCE
    assert same_story(copy, story) and same_story(story, copy)


def test_a_trimmed_copy_is_the_same_story():
    story = text_of("solid-state-pilot-line.html")
    paragraphs = story.split("\n")
    assert same_story("\n".join(paragraphs[:-1]), story)


def test_another_story_on_the_same_subject_is_not_the_same_story():
    assert not same_story(text_of("recycling-plant.html"), text_of("solid-state-pilot-line.html"))


def test_index_finds_every_fingerprint_within_the_distance_and_none_beyond():
    rng = random.Random(7)
    originals = [rng.getrandbits(64) - 2**63 for _ in range(300)]
    index = NearDuplicates(enumerate(originals))
    for article_id, value in enumerate(originals[:50]):
        flipped = value
        for bit in rng.sample(range(64), MAX_DISTANCE):
            flipped ^= 1 << bit
        flipped = (flipped + 2**63) % 2**64 - 2**63
        assert index.candidates(flipped)[0] == article_id
    for value in (rng.getrandbits(64) - 2**63 for _ in range(50)):
        expected = sorted(
            (distance(v, value), i)
            for i, v in enumerate(originals)
            if distance(v, value) <= MAX_DISTANCE
        )
        assert index.candidates(value) == [i for _, i in expected]


def test_index_puts_the_closest_then_the_oldest_original_first():
    assert NearDuplicates([(5, 0b1111), (3, 0b0111), (9, 0b0011)]).candidates(0b0011) == [9, 3, 5]
    assert NearDuplicates([(5, 0b01), (3, 0b10)]).candidates(0b11) == [3, 5]

"""A small realistic database for the analysts' tests: a few battery stories, one syndicated copy.

Claims are written by hand (not by the rules), so these tests pin the views and the review
workflow whatever the rules find. Offsets are computed from the text, so they are always exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from monitor.models import Article, Claim
from monitor.storage.connection import open_db
from monitor.storage.articles import save_article


@dataclass
class Story:
    url: str
    source: str
    published: str
    title: str
    text: str
    claims: list[dict] = field(default_factory=list)  # Claim fields; `text` is located in the story


# the claims the fixture's figures state, as the rules key them (subject|metric|scope|period)
CHINA_CELLS = "china|capacity_share|cells|2025"
CATL_SHARE = "catl|market_share|ev batteries|2025"

STORIES = [
    Story(
        "https://wire.example/china-cells",
        "wire.example",
        "2026-01-12",
        "China's grip on battery cells tightens",
        "China accounts for 83% of global cell capacity, the agency said on Monday. "
        "CATL held 37% of the global EV battery market last year, ahead of BYD.",
        [
            dict(
                kind="quantity",
                text="83%",
                value=83,
                unit="%",
                object="global cell capacity",
                subject="China",
                metric="capacity_share",
                scope="cells",
                period="2025",
                claim_key=CHINA_CELLS,
            ),
            dict(
                kind="quantity",
                text="37%",
                value=37,
                unit="%",
                object="global EV battery market",
                subject="CATL",
                metric="market_share",
                scope="EV batteries",
                period="2025",
                claim_key=CATL_SHARE,
            ),
            dict(kind="company", text="CATL", company="CATL"),
            dict(kind="company", text="BYD", company="BYD"),
        ],
    ),
    Story(
        "https://portal.example/wire-china-cells",
        "portal.example",
        "2026-01-12",
        "China's grip on battery cells tightens",
        "China accounts for 83% of global cell capacity, the agency said on Monday. "
        "CATL held 37% of the global EV battery market last year, ahead of BYD.",
        [
            dict(
                kind="quantity",
                text="83%",
                value=83,
                unit="%",
                object="global cell capacity",
                subject="China",
                metric="capacity_share",
                scope="cells",
                period="2025",
                claim_key=CHINA_CELLS,
            ),
            dict(kind="company", text="CATL", company="CATL"),
        ],
    ),
    Story(
        "https://daily.example/cell-capacity",
        "daily.example",
        "2026-01-20",
        "Asia dominates cell making",
        "China has 77% of global cell capacity, according to BloombergNEF. "
        "CATL held 37% of the global EV battery market, the researcher added.",
        [
            dict(
                kind="quantity",
                text="77%",
                value=77,
                unit="%",
                object="global cell capacity",
                subject="China",
                metric="capacity_share",
                scope="cells",
                period="2025",
                claim_key=CHINA_CELLS,
            ),
            dict(
                kind="quantity",
                text="37%",
                value=37,
                unit="%",
                object="global EV battery market",
                subject="CATL",
                metric="market_share",
                scope="EV batteries",
                period="2025",
                claim_key=CATL_SHARE,
            ),
            dict(kind="company", text="CATL", company="CATL"),
        ],
    ),
    Story(
        "https://evnews.example/sodium-ion",
        "evnews.example",
        "2026-02-03",
        "CATL bets on sodium-ion",
        '"We will double our sodium-ion output by 2027," said Robin Zeng, CATL\'s chairman. '
        "LG Energy Solution's market share fell to 12%.",
        [
            dict(
                kind="quote",
                text="We will double our sodium-ion output by 2027,",
                speaker="Robin Zeng",
                company="CATL",
            ),
            dict(kind="company", text="CATL", company="CATL"),
            dict(kind="company", text="LG Energy Solution", company="LG Energy Solution"),
            dict(
                kind="quantity",
                text="12%",
                value=12,
                unit="%",
                object="market share",
                subject="LG Energy Solution",
                metric="market_share",
                period="2026-Q1",
                claim_key="lg energy solution|market_share||2026-q1",
            ),
        ],
    ),
    Story(
        "https://markets.example/northvolt",
        "markets.example",
        "2026-02-15",
        "Northvolt's buyer speaks",
        'Northvolt will cut 1,600 jobs. "Sodium-ion is ready for cars," Robin Zeng told analysts.',
        [
            dict(kind="company", text="Northvolt", company="Northvolt"),
            dict(
                kind="quantity",
                text="1,600 jobs",
                value=1600,
                unit="jobs",
                object="jobs",
                subject="Northvolt",
                metric="jobs",
                period="2026",
                claim_key="northvolt|jobs||2026",
            ),
            dict(kind="quote", text="Sodium-ion is ready for cars,", speaker="Robin Zeng"),
        ],
    ),
]
SYNDICATED = 1  # STORIES[1] is a copy of STORIES[0]


def story_claims(story: Story) -> list[Claim]:
    out, cursor = [], {}
    for spec in story.claims:
        start = story.text.index(spec["text"], cursor.get(spec["text"], 0))
        cursor[spec["text"]] = start + 1
        sentence_start = story.text.rfind(". ", 0, start) + 2 if ". " in story.text[:start] else 0
        sentence_end = story.text.find(". ", start)
        sentence = story.text[
            sentence_start : sentence_end + 1 if sentence_end != -1 else len(story.text)
        ]
        out.append(
            Claim(
                start=start,
                end=start + len(spec["text"]),
                rule=f"{spec['kind']}/test",
                sentence=sentence,
                **spec,
            )
        )
    return out


def story_article(story: Story) -> Article:
    return Article(
        url=story.url,
        text=story.text,
        title=story.title,
        published=story.published,
        source=story.source,
        raw_html=f"<html><body><p>{story.text}</p></body></html>".encode(),
    )


def build(path: Path) -> sqlite_utils.Database:
    """Store every story; the syndicated copy points at its original."""
    db = open_db(path)
    ids = [
        save_article(db, story_article(s), story_claims(s), rules_version="test") for s in STORIES
    ]
    db.execute("UPDATE articles SET duplicate_of = ? WHERE id = ?", [ids[0], ids[SYNDICATED]])
    return db

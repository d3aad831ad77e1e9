"""One stated figure of a tracked claim, as the `figure_claims` view gives it: the record every
tracking question (groups, conflicts, timelines) is answered in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from monitor.config import Settings

# two figures of one claim conflict when they differ by more than this share of the larger
DEFAULT_TOLERANCE: float = Settings.conflict_tolerance


@dataclass(frozen=True)
class Figure:
    """A figure where it was seen: as written, in the claim's unit, and who said it."""

    claim: int  # claims.id
    claim_key: str
    text: str  # as written: "310 miles"
    value: float
    high: float | None
    unit: str | None
    canonical_value: float
    canonical_unit: str | None
    compared_value: float  # what conflicts compare: the canonical value, or a range's top
    source: str | None  # the outlet it was seen in
    origin: str | None  # the outlet it is credited to: a syndicated copy's original
    seen: str  # the article's publication date, else when it was fetched
    article: int
    article_title: str | None
    article_url: str
    duplicate_of: int | None  # set when the article is a syndicated copy
    sentence: str | None
    speaker: str | None  # who said it, when the figure stands inside a quote

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Figure:
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})

    @property
    def is_copy(self) -> bool:
        return self.duplicate_of is not None


def format_value(value: float, unit: str | None) -> str:
    """83 % -> "83%", 480 km -> "480 km", 1234.5 USD/kWh -> "1,234.5 USD/kWh"."""
    places = 0 if float(value).is_integer() else 1 if abs(value) >= 100 else 2 if abs(value) >= 1 else 4
    number = f"{value:,.{places}f}"
    number = number.rstrip("0").rstrip(".") if "." in number else number
    if not unit:
        return number
    return f"{number}{unit}" if unit == "%" else f"{number} {unit}"

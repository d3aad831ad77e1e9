"""When a figure is for: the year, quarter, half, month or fiscal year a sentence names ("in 2024",
"last quarter", "by 2030", "a year earlier"), resolved against the article's publication date.

Pure functions of text and a date, so the rules can be tested without spaCy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from monitor.nlp.patterns import trie_alternation
from monitor.nlp.rulebook import rulebook

YEAR = r"(?:19|20)\d\d"
# the months in calendar order (a month's number is its place), from the one list of rules/: the
# patterns below are built once at import, so they read the configured folder's calendar then
MONTHS = tuple(m.lower() for m in rulebook().json("calendar.json")["months"])
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}

TIME = re.compile(
    rf"""(?<![\w$€£¥-])(?:
      (?P<qord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter(?:\s+of)?(?:\s+(?P<qyear>{YEAR}))?
    | (?P<yq>{YEAR})\s*[-/]?\s*Q(?P<yqn>[1-4])
    | Q(?P<qn>[1-4])(?:\s*[-/]?\s*(?P<qny>{YEAR}|'\d\d))?
    | (?P<hord>first|second)[\s-]+half(?:\s+of)?(?:\s+(?P<hyear>{YEAR}))?
    | H(?P<hn>[12])(?:\s*[-/]?\s*(?P<hny>{YEAR}))?
    | (?:fiscal|financial)(?:\s+year)?\s+(?P<fy>{YEAR})
    | FY\s?'?(?P<fys>\d\d(?:\d\d)?)
    | (?P<mprep>in|since|during|for|last|by|through|until)?\s*(?P<month>{"|".join(MONTHS)})(?:\s+(?P<myear>{YEAR}))?
    | (?P<rel>last\s+year|this\s+year|next\s+year|a\s+year\s+earlier|a\s+year\s+ago|a\s+year\s+before
        |the\s+previous\s+year|the\s+year\s+before|the\s+prior\s+year|a\s+year\s+later
        |last\s+quarter|this\s+quarter|next\s+quarter|the\s+previous\s+quarter|a\s+quarter\s+earlier
        |year[\s-]to[\s-]date|so\s+far\s+this\s+year|today|last\s+month|this\s+month|next\s+month)
    | (?:(?P<prep>by|in|for|during|since|until|through|before|from|to|of)\s+(?:the\s+end\s+of\s+|end-)?)?(?P<year>{YEAR})(?!s|\d)
    )(?![\w])""",
    re.IGNORECASE | re.VERBOSE,
)
# where a time may be named: TIME runs only around these, as it is costly to try at every character
ANCHOR = re.compile(YEAR + "|" + trie_alternation(
    {form for word in ("year", "quarter", "half", "month", "today", "fiscal", "financial", *MONTHS)
     for form in (word, word.capitalize())} | {"FY", "Q1", "Q2", "Q3", "Q4", "H1", "H2"}))
# how far before an anchor a time's words may start ("by the end of 2023", "the first half")
LOOK_BACK = 24
LOOK_AHEAD = 16
PAST_YEAR = re.compile(rf"({YEAR})(?!\d)")


@dataclass(frozen=True)
class TimeMention:
    """A time named in the text: the period it stands for ("2024", "2024-Q4", "FY2025"), or a step
    back from the figure's other time ("a year earlier": `back` 1) when it names none itself."""

    start: int
    end: int
    period: str | None
    forecast: bool = False  # "by 2030", "next year", a year after publication
    back: int = 0  # "a year earlier": one period before the time of the sentence
    ignored: bool = False  # "since 2018": the start of a span, not a figure's time


def find_times(text: str, start: int, end: int, published: date | None) -> list[TimeMention]:
    """Every time named in text[start:end], resolved against `published` where relative."""
    found: dict[int, TimeMention] = {}
    covered = start
    for anchor in ANCHOR.finditer(text, start, end):
        if anchor.start() < covered:
            continue
        for m in TIME.finditer(text, max(start, anchor.start() - LOOK_BACK), min(end, anchor.end() + LOOK_AHEAD)):
            if m.start() <= anchor.start() < m.end() and m.start() not in found:
                mention = _mention(m, published)
                if mention is not None:
                    found[m.start()] = mention
                covered = m.end()
                break
    return sorted(found.values(), key=lambda t: t.start)


def _part_of_year(s: int, e: int, letter: str, n: int, months: int, year: int | None,
                  published: date | None) -> TimeMention:
    """Quarter or half `n` (of `months` months) of `year`; without a year, of the latest year in
    which that part had begun by `published`, as a report says "the third quarter" of this year."""
    if year is None:
        if published is None:
            return TimeMention(s, e, None)
        year = published.year if (n - 1) * months + 1 <= published.month else published.year - 1
    return TimeMention(s, e, f"{year}-{letter}{n}", forecast=_after(year, published, n * months))


def _mention(m: re.Match, published: date | None) -> TimeMention | None:
    s, e = m.start(), m.end()
    pub_year = published.year if published else None
    if m["qord"] or m["qn"] or m["yq"]:
        quarter = ORDINALS[m["qord"].lower()] if m["qord"] else int(m["qn"] or m["yqn"])
        return _part_of_year(s, e, "Q", quarter, 3, _year(m["qyear"] or m["yq"] or m["qny"]), published)
    if m["hord"] or m["hn"]:
        half = 1 if (m["hord"] or "").lower() == "first" or m["hn"] == "1" else 2
        return _part_of_year(s, e, "H", half, 6, _year(m["hyear"] or m["hny"]), published)
    if m["fy"] or m["fys"]:
        year = _year(m["fy"] or m["fys"])
        return TimeMention(s, e, f"FY{year}", forecast=_after(year, published, 12))
    if m["month"]:
        month = MONTHS.index(m["month"].lower()) + 1
        if m["myear"] is None and m["mprep"] is None and (m["month"].lower() == "may" or m["month"].islower()):
            return None  # "may" and "march" alone are as often verbs ("May" a name)
        s = m.start("mprep") if m["mprep"] else m.start("month")
        year = _year(m["myear"])
        if year is None:
            if published is None:
                return TimeMention(s, e, None)
            year = pub_year if month <= published.month else pub_year - 1
        forecast = (m["mprep"] or "").lower() == "by" or _after(year, published, month)
        return TimeMention(s, e, f"{year}-{month:02d}", forecast=forecast)
    if m["rel"]:
        return _relative(" ".join(m["rel"].lower().replace("-", " ").split()), s, e, published)
    year = int(m["year"])
    prep = (m["prep"] or "").lower()
    if prep in ("since", "from"):
        return TimeMention(s, e, str(year), ignored=True)
    forecast = prep == "by" and (pub_year is None or year >= pub_year) or _after(year, published, 12)
    return TimeMention(s if prep else m.start("year"), e, str(year), forecast=forecast)


def _relative(words: str, s: int, e: int, published: date | None) -> TimeMention:
    if words in ("a year earlier", "a year ago", "a year before", "the previous year", "the year before",
                 "the prior year"):
        return TimeMention(s, e, None, back=1)
    if words == "a quarter earlier" or words == "the previous quarter":
        return TimeMention(s, e, None, back=1)
    if published is None:
        return TimeMention(s, e, None)
    year, month = published.year, published.month
    quarter = (month - 1) // 3 + 1
    if words in ("last year",):
        return TimeMention(s, e, str(year - 1))
    if words in ("this year", "year to date", "so far this year", "today"):
        return TimeMention(s, e, str(year))
    if words in ("next year", "a year later"):
        return TimeMention(s, e, str(year + 1), forecast=True)
    if words == "last quarter":
        y, q = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        return TimeMention(s, e, f"{y}-Q{q}")
    if words == "this quarter":
        return TimeMention(s, e, f"{year}-Q{quarter}")
    if words == "next quarter":
        y, q = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
        return TimeMention(s, e, f"{y}-Q{q}", forecast=True)
    if words == "last month":
        y, mo = (year, month - 1) if month > 1 else (year - 1, 12)
        return TimeMention(s, e, f"{y}-{mo:02d}")
    if words == "this month":
        return TimeMention(s, e, f"{year}-{month:02d}")
    y, mo = (year, month + 1) if month < 12 else (year + 1, 1)  # next month
    return TimeMention(s, e, f"{y}-{mo:02d}", forecast=True)


def _year(text: str | None) -> int | None:
    if not text:
        return None
    digits = text.lstrip("'")
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


def _after(year: int, published: date | None, last_month: int) -> bool:
    """Whether a period ending in `last_month` of `year` is still to come at publication."""
    if published is None:
        return False
    return (year, last_month) > (published.year, published.month) and year > published.year


def step_back(period: str) -> str | None:
    """The period before: "2024" -> "2023", "2024-Q1" -> "2023-Q4", "FY2025" -> "FY2024"."""
    if period.startswith("FY") and period[2:].isdigit():
        return f"FY{int(period[2:]) - 1}"
    year, _, part = period.partition("-")
    if not year.isdigit():
        return None
    y = int(year)
    if not part:
        return str(y - 1)
    if part[0] in "QH" and part[1:].isdigit():
        n, top = int(part[1:]), 4 if part[0] == "Q" else 2
        return f"{y}-{part[0]}{n - 1}" if n > 1 else f"{y - 1}-{part[0]}{top}"
    if part.isdigit():
        mo = int(part)
        return f"{y}-{mo - 1:02d}" if mo > 1 else f"{y - 1}-12"
    return None


def past_years(text: str) -> list[tuple[int, int]]:
    """(offset, year) of every year the text names as a time already come or current, not as a
    target ("by 2030") or a start ("since 2018")."""
    years = []
    for m in PAST_YEAR.finditer(text):
        i = m.start()
        if (i and text[i - 1].isalnum()) or text[max(0, i - 6):i].lower().endswith(("by ", "since ", "from ")):
            continue
        years.append((i, int(m.group(1))))
    return years


def reference_year(years: list[tuple[int, int]], before: int, published: date | None,
                   survey_months: int = 0) -> str | None:
    """The year an undated figure is for: the latest recent year the text named before it (the
    article's own subject: "sales in 2024, up from 2023 ... the overseas share"; the year compared
    with is an earlier one), else the year before publication, the last whole year figures are
    known for; or two years back in the first `survey_months` months of a year, for figures that
    yearly surveys publish months after the year they cover."""
    if published is None:
        return None
    named = [year for offset, year in years if offset < before and published.year - 2 <= year <= published.year]
    if named:
        return str(max(named))
    return str(published.year - 1 - (published.month <= survey_months))


def parse_date(value: str | None) -> date | None:
    """The date part of an ISO date or timestamp ("2025-04-21T17:03:00Z"); None when unreadable."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None

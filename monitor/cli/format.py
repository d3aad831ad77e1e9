"""Readable and machine forms of results for the CLI: article summaries and claim tables."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from tabulate import tabulate

from monitor.ingest.document import Analysis
from monitor.models import Claim

CLAIM_TABLE_COLUMNS = ("id", "kind", "text", "speaker", "value", "unit", "object", "company",
                       "review_status", "published", "article_title")


def _shorten(text: str | None, width: int = 90) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _number(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def summary(analysis: Analysis) -> str:
    """Title, source and date, then the article's quotes, quantities and companies."""
    a = analysis.article
    lines = [a.title or "(untitled)", f"  source: {a.source or a.url}   date: {a.published or 'unknown'}"]
    if analysis.article_id is not None:
        lines.append(f"  stored as article {analysis.article_id}")
    by_kind: dict[str, list] = {}
    for claim in analysis.claims:
        by_kind.setdefault(claim.kind, []).append(claim)
    quotes = by_kind.get("quote", [])
    lines.append(f"  quotes ({len(quotes)}):")
    lines += [f"    {c.speaker or 'unknown speaker'}: “{_shorten(c.text)}”" for c in quotes]
    quantities = by_kind.get("quantity", [])
    lines.append(f"  quantities ({len(quantities)}):")
    for c in quantities:
        value = _number(c.value) + (f"–{_number(c.high)}" if c.high is not None else "")
        what = f" {c.object}" if c.object else ""
        lines.append(f"    {c.text}  [{value} {c.unit}]{what}")
    companies = [c.company or c.text for c in by_kind.get("company", [])]
    lines.append(f"  companies ({len(companies)}): {', '.join(companies) if companies else '-'}")
    return "\n".join(lines)


def analysis_dict(analysis: Analysis) -> dict[str, Any]:
    a = analysis.article
    return {
        "source": analysis.source, "article_id": analysis.article_id, "url": a.url,
        "canonical_url": a.canonical_url, "title": a.title, "author": a.author,
        "published": a.published, "language": a.language, "site": a.source,
        "battery_relevant": analysis.battery_relevant,
        "claims": [c.to_dict() for c in analysis.claims],
    }


def jsonl_record(source: str, claim: Claim) -> dict[str, Any]:
    """One line of `monitor extract --jsonl`: the claim plus the fields the eval scorer reads."""
    record = {"source": source, **claim.to_dict()}
    if claim.company is not None and claim.kind != "quote":
        record["name"] = claim.company
    return record


def csv_text(rows: list[dict[str, Any]]) -> str:
    """Rows as CSV with the first row's keys as header; nothing at all for no rows."""
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue().rstrip("\n")


def claims_table(rows: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    if fmt == "csv":
        return csv_text(rows)
    shown = [{k: _shorten(str(r.get(k)) if r.get(k) is not None else "", 50) for k in CLAIM_TABLE_COLUMNS}
             for r in rows]
    return tabulate(shown, headers="keys") if shown else "no claims"

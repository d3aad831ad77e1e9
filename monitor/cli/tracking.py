"""`monitor claims track` and `monitor claims conflicts`: tracked claims and where sources disagree.
They parse, call monitor.tracking, print."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import click
from tabulate import tabulate

from monitor.cli.context import DATE, Context
from monitor.cli.format import csv_text
from monitor.tracking.claims import TrackedClaim, tracked_claims
from monitor.tracking.conflicts import Conflict, conflicts
from monitor.tracking.figures import format_value

FORMATS = ("table", "csv", "json")


def _filters(command):
    """The options both commands share."""
    for option in reversed([
        click.option("--subject", help="Only claims about this subject (a company, country, chemistry ...; any case)."),
        click.option("--metric", help="Only claims of this metric (market_share, pack_price ...)."),
        click.option("--since", type=DATE, metavar="DATE", help="Only claims stated on or after DATE (YYYY-MM-DD)."),
        click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                     help="Output format."),
    ]):
        command = option(command)
    return command


@click.command("track")
@_filters
@click.option("--min-sources", type=click.IntRange(min=1), default=1, show_default=True,
              help="Only claims stated by at least this many outlets.")
@click.pass_obj
def track(ctx: Context, subject, metric, since, fmt, min_sources) -> None:
    """Tracked claims: each with its outlets, first and last seen, and the values stated."""
    found = tracked_claims(ctx.read_db, subject=subject, metric=metric, since=since, min_sources=min_sources,
                           tolerance=ctx.settings.conflict_tolerance)
    click.echo(claims_output(found, fmt))


@click.command("conflicts")
@_filters
@click.option("--tolerance", type=click.FloatRange(0, 1, max_open=True), default=None,
              help="Relative difference two figures may have and agree (default: the conflict_tolerance setting, 0.005).")
@click.pass_obj
def conflicts_command(ctx: Context, subject, metric, since, fmt, tolerance) -> None:
    """Figures of one claim that disagree beyond the tolerance, each side with its outlet, date, sentence and speaker."""
    tolerance = ctx.settings.conflict_tolerance if tolerance is None else tolerance
    found = conflicts(ctx.read_db, subject=subject, metric=metric, since=since, tolerance=tolerance)
    click.echo(conflicts_output(found, fmt))


def claims_output(found: list[TrackedClaim], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([_claim_record(c) for c in found], ensure_ascii=False, indent=2)
    rows = [
        {"claim_key": c.claim_key, "subject": c.subject, "metric": c.metric, "scope": c.scope,
         "period": c.period, "sources": len(c.sources), "source_list": ", ".join(c.sources),
         "first_seen": c.first_seen, "last_seen": c.last_seen,
         "values": "; ".join(f"{v} ({', '.join(v.sources)})" for v in c.values), "conflicts": c.conflicts}
        for c in found
    ]
    if fmt == "csv":
        return csv_text(rows)
    if not rows:
        return "no tracked claims"
    shown = [{k: v for k, v in row.items() if k not in ("claim_key", "source_list")} for row in rows]
    return tabulate(shown, headers="keys")


def _claim_record(claim: TrackedClaim) -> dict[str, Any]:
    record = {k: v for k, v in asdict(claim).items() if k != "figures"}
    record["values"] = [
        {"value": v.value, "unit": v.unit, "sources": list(v.sources), "first_seen": v.first_seen,
         "figures": v.figures} for v in claim.values
    ]
    record["figures"] = [asdict(f) for f in claim.figures]
    return record


def conflicts_output(found: list[Conflict], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([asdict(c) for c in found], ensure_ascii=False, indent=2)
    if fmt == "csv":
        return csv_text([_flat(c) for c in found])
    if not found:
        return "no conflicting figures"
    shown = [
        {"subject": c.subject, "metric": c.metric, "scope": c.scope, "period": c.period,
         "first": _side(c.a.value, c.unit, c.a.source, c.a.seen, c.a.speaker),
         "against": _side(c.b.value, c.unit, c.b.source, c.b.seen, c.b.speaker),
         "gap": f"{c.gap:.1%}"}
        for c in found
    ]
    return tabulate(shown, headers="keys")


def _side(value: float, unit: str | None, source: str | None, seen: str, speaker: str | None) -> str:
    said = f", {speaker}" if speaker else ""
    return f"{format_value(value, unit)} ({source or '?'}{said}, {seen[:10]})"


def _flat(conflict: Conflict) -> dict[str, Any]:
    record = {k: v for k, v in asdict(conflict).items() if k not in ("a", "b")}
    for letter, side in (("a", conflict.a), ("b", conflict.b)):
        record |= {f"{name}_{letter}": value for name, value in asdict(side).items()}
    return record


def register_tracking_commands(group: click.Group) -> None:
    """Add these commands to the `monitor claims` group."""
    group.add_command(track)
    group.add_command(conflicts_command)


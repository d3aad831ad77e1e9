"""The poller's operator commands: `status`. They parse, call the API, print."""

from __future__ import annotations

import json
import sys

import click

from monitor.errors import MonitorError
from monitor.poller.status import failing, feed_statuses

COLUMNS = ("id", "url", "state", "last_polled", "result", "errors", "next_poll", "articles_24h")


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.pass_obj
def status(ctx, fmt: str) -> None:
    """Every feed: last poll, result, errors, next poll, articles in 24 h; exit 1 if any is failing."""
    try:
        statuses = feed_statuses(ctx.read_db)
    except MonitorError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    if fmt == "json":
        click.echo(json.dumps([s.to_dict() for s in statuses], indent=2, ensure_ascii=False))
    elif statuses:
        from tabulate import tabulate

        rows = [{c: _short(getattr(s, c)) for c in COLUMNS} for s in statuses]
        click.echo(tabulate(rows, headers="keys"))
    else:
        click.echo("no feeds")
    bad = failing(statuses)
    if bad:
        click.echo(f"{len(bad)} feed(s) failing: " + ", ".join(s.url for s in bad), err=True)
        sys.exit(1)


def _short(value: object, width: int = 60) -> object:
    return value[: width - 1] + "…" if isinstance(value, str) and len(value) > width else value


def register_poller_commands(group: click.Group) -> None:
    group.add_command(status)

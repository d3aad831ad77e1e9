"""The `monitor` command: parses options, calls the Python API, prints. No work happens here."""

from __future__ import annotations

import json
import sys

import click

from .article import parse_article
from .claims import extract_claims
from .errors import MonitorError
from .local import read_local


@click.group()
@click.version_option(package_name="ev-claims-monitor")
def cli() -> None:
    """Watch the press for claims about EV batteries."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--jsonl", is_flag=True, required=True, help="One JSON object per claim per line.")
def extract(paths: tuple[str, ...], jsonl: bool) -> None:
    """Print the claims of local .html/.txt files as JSON lines; no database."""
    failed = 0
    for path in paths:
        try:
            article = parse_article(read_local(path))
        except MonitorError as exc:
            click.echo(f"error: {exc}", err=True)
            failed += 1
            continue
        for claim in extract_claims(article.text):
            record = {"source": path, **claim.to_dict()}
            click.echo(json.dumps(record, ensure_ascii=False))
    sys.exit(1 if failed else 0)

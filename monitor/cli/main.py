"""The `monitor` command: parses options, calls the Python API, prints. No work happens here."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from monitor import models
from monitor.cli.analysts import register_analyst_commands
from monitor.cli.backfill import register_backfill_commands
from monitor.cli.context import DATE, DEFAULT_DB, Context, fail
from monitor.cli.format import analysis_dict, claims_table, jsonl_record, summary
from monitor.cli.poller import register_poller_commands
from monitor.cli.reviewers import reviewers
from monitor.cli.tracking import register_tracking_commands
from monitor.config import load_settings
from monitor.errors import MonitorError
from monitor.ingest import linking
from monitor.ingest.document import analyse, is_url
from monitor.ingest.document import ingest as ingest_source
from monitor.logs import FORMATS, configure_logging
from monitor.sources.local import read_local
from monitor.storage import articles
from monitor.storage import feeds as feed_rows


@click.group()
@click.option("--db", "db_path", envvar="MONITOR_DB", default=DEFAULT_DB, show_default=True,
              help="SQLite database file (env MONITOR_DB).")
@click.option("--config", "config_path", envvar="MONITOR_CONFIG", type=click.Path(dir_okay=False),
              help="TOML settings file (env MONITOR_CONFIG); every setting has a default.")
@click.option("-v", "--verbose", is_flag=True, help="Log debug detail to stderr.")
@click.option("--log-format", type=click.Choice(FORMATS), envvar="MONITOR_LOG_FORMAT", default="text",
              show_default=True, help="Log lines as text or as one JSON object each (env MONITOR_LOG_FORMAT).")
@click.version_option(package_name="ev-claims-monitor")
@click.pass_context
def cli(ctx: click.Context, db_path: str, config_path: str | None, verbose: bool, log_format: str) -> None:
    """Watch the press for claims about EV batteries."""
    configure_logging(verbose=verbose, fmt=log_format)
    try:
        settings = load_settings(config_path)
    except MonitorError as exc:
        fail(str(exc), 2)
    ctx.obj = Context(db_path, settings)


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of summaries.")
@click.pass_obj
def ingest(ctx: Context, sources: tuple[str, ...], as_json: bool) -> None:
    """Fetch URLs (or read .html/.txt files), extract their claims, store and summarise them."""
    db = ctx.db
    results, errors = [], []
    client = None
    if any(is_url(s) for s in sources):
        from monitor.sources.http import make_client

        client = make_client(ctx.settings)
    # read once for all the sources; each stored original joins it, so a copy among them is linked
    originals = linking.recent_originals(db, ctx.settings.near_duplicate_days, datetime.now(UTC))
    try:
        for source in sources:
            try:
                analysis = ingest_source(
                    source, db=db, client=client, settings=ctx.settings, originals=originals
                )
            except MonitorError as exc:
                click.echo(f"error: {exc}", err=True)
                errors.append({"source": source, "error": str(exc)})
                continue
            results.append(analysis)
            if not as_json:
                click.echo(summary(analysis) + "\n")
    finally:
        if client is not None:
            client.close()
    if as_json:
        doc = {"articles": [analysis_dict(a) for a in results], "errors": errors}
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    sys.exit(1 if errors else 0)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--jsonl", is_flag=True, default=True, help="One JSON object per claim per line (the scorer's contract).")
@click.pass_obj
def extract(ctx: Context, paths: tuple[str, ...], jsonl: bool) -> None:
    """Print the claims of local .html/.txt files as JSON lines; no database."""
    failed = 0
    for path in paths:
        try:
            analysis = analyse(read_local(path, max_bytes=ctx.settings.max_body_bytes), settings=ctx.settings)
        except MonitorError as exc:
            click.echo(f"error: {exc}", err=True)
            failed += 1
            continue
        for claim in analysis.claims:
            click.echo(json.dumps(jsonl_record(path, claim), ensure_ascii=False))
    sys.exit(1 if failed else 0)


@cli.group(invoke_without_command=True)
@click.option("--kind", type=click.Choice(models.CLAIM_KINDS), help="Only claims of this kind.")
@click.option("--company", help="Only claims naming or about this company.")
@click.option("--since", type=DATE, metavar="DATE", help="Only articles published on or after DATE (YYYY-MM-DD).")
@click.option("--status", type=click.Choice(models.REVIEW_STATUSES), help="Only claims with this review status.")
@click.option("--limit", type=int, default=None, help="At most this many claims.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="Output format.")
@click.pass_context
def claims(click_ctx: click.Context, kind, company, since, status, limit, fmt) -> None:
    """List stored claims, newest articles first; `track` and `conflicts` follow claims across articles."""
    if click_ctx.invoked_subcommand is not None:
        given = [p.opts[0] for p in click_ctx.command.params
                 if click_ctx.get_parameter_source(p.name) is not click.core.ParameterSource.DEFAULT]
        if given:
            fail(f"{', '.join(given)}: options of the claims listing, not of `claims "
                 f"{click_ctx.invoked_subcommand}`; give its options after it", 2)
        return
    ctx: Context = click_ctx.obj
    rows = articles.query_claims(ctx.read_db, kind=kind, company=company, since=since, status=status, limit=limit)
    click.echo(claims_table(rows, fmt))


register_tracking_commands(claims)  # track, conflicts


@cli.group()
def feeds() -> None:
    """Manage the list of feeds the daemon polls."""


@feeds.command("add")
@click.argument("url")
@click.option("--title", help="A name to show for the feed.")
@click.pass_obj
def feeds_add(ctx: Context, url: str, title: str | None) -> None:
    """Add a feed URL."""
    if not is_url(url):
        fail(f"not an http(s) URL: {url}", 2)
    _, created = feed_rows.add_feed(ctx.db, url, title)
    click.echo(f"added {url}" if created else f"already present: {url}")


@feeds.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Output format.")
@click.pass_obj
def feeds_list(ctx: Context, fmt: str) -> None:
    """List feeds with their polling state."""
    rows = feed_rows.list_feeds(ctx.read_db)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    from tabulate import tabulate

    cols = ("id", "url", "title", "last_polled", "next_poll", "error_count", "state")
    click.echo(tabulate([{c: r[c] for c in cols} for r in rows], headers="keys") if rows else "no feeds")


@feeds.command("remove")
@click.argument("url")
@click.pass_obj
def feeds_remove(ctx: Context, url: str) -> None:
    """Remove a feed; its articles stay."""
    if not feed_rows.remove_feed(ctx.db, url):
        fail(f"no such feed: {url}")
    click.echo(f"removed {url}")


@feeds.command("import")
@click.argument("opml_file", type=click.Path(dir_okay=False))
@click.pass_obj
def feeds_import(ctx: Context, opml_file: str) -> None:
    """Add every feed of an OPML file."""
    from monitor.sources.opml import read_opml

    try:
        data = Path(opml_file).read_bytes()
    except OSError as exc:
        fail(f"{opml_file}: {exc.strerror}", 2)
    try:
        entries = read_opml(data)
    except MonitorError as exc:
        fail(str(exc), 2)
    db = ctx.db
    added = sum(feed_rows.add_feed(db, url, title)[1] for url, title in entries)
    click.echo(f"imported {added} new feed(s) of {len(entries)}")


@feeds.command("export")
@click.pass_obj
def feeds_export(ctx: Context) -> None:
    """Print the feed list as OPML."""
    from monitor.sources.opml import write_opml

    click.echo(write_opml(feed_rows.list_feeds(ctx.read_db)))


@cli.command()
@click.option("--all", "all_feeds", is_flag=True, help="Poll every feed, due or not.")
@click.option("--beside-daemon", is_flag=True,
              help="Poll even while a daemon (or another poll) polls this database: pages may be fetched twice.")
@click.pass_obj
def poll(ctx: Context, all_feeds: bool, beside_daemon: bool) -> None:
    """One pass over the feeds that are due: new entries ingested, a count printed."""
    from monitor.poller.lock import PollerLock, PollerRunning, acquire_poller_lock
    from monitor.poller.run import poll as poll_feeds
    from monitor.sources.http import make_client

    lock = PollerLock(Path(ctx.db_path), None)
    if not beside_daemon:
        try:
            lock = acquire_poller_lock(ctx.db_path, command="poll")
        except PollerRunning as exc:
            fail(f"{exc}; stop it first, or pass --beside-daemon to poll anyway")
        except MonitorError as exc:
            fail(str(exc), 2)
    with lock:
        db = ctx.db
        ctx.load_default_feeds()
        with make_client(ctx.settings) as client:
            report = poll_feeds(db, client=client, settings=ctx.settings, all_feeds=all_feeds)
    click.echo(f"polled {report.feeds_polled} feed(s): {report.new_articles} new article(s), "
               f"{report.feeds_not_modified} not modified, {report.feeds_failed} failed")


@cli.command()
@click.pass_obj
def run(ctx: Context) -> None:
    """Run the daemon: poll each feed whenever it is due, until SIGINT or SIGTERM."""
    from monitor.poller.daemon import run_daemon
    from monitor.poller.lock import PollerRunning

    logging.getLogger().setLevel(min(logging.getLogger().level, logging.INFO))
    added = ctx.load_default_feeds()
    if added:
        logging.getLogger(__name__).info("loaded %d default feeds", added)
    try:
        run_daemon(ctx.db_path, ctx.settings)
    except PollerRunning as exc:
        fail(f"{exc}; one daemon per database")
    except MonitorError as exc:
        fail(str(exc), 2)


register_analyst_commands(cli)  # review, reprocess, export, serve
register_poller_commands(cli)  # status
register_backfill_commands(cli)  # backfill
cli.add_command(reviewers)  # reviewers add|list|remove

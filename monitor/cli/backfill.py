"""`monitor backfill`: history from web archives. Parses, calls monitor.backfill, prints a progress
bar on a terminal and a summary at the end."""

from __future__ import annotations

import logging
import re
import sys
from datetime import timedelta

import click

from monitor.backfill.hosts import host_name
from monitor.backfill.job import BackfillOptions, SliceResult
from monitor.backfill.language import ENGLISH
from monitor.backfill.prefetch import PREFETCH
from monitor.backfill.run import BackfillReport, backfill as run_backfill
from monitor.backfill.runners import make_runner
from monitor.cli.context import DATE, Context, fail
from monitor.errors import MonitorError

LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


@click.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Local worker processes (default: one per core; 0: all in this process).")
@click.option("--scheduler", metavar="tcp://HOST:PORT",
              help="Run the tasks on this Dask scheduler's workers instead (extra 'cluster').")
@click.option("--since", type=DATE, metavar="DATE", help="Only pages published on or after DATE (YYYY-MM-DD).")
@click.option("--until", type=DATE, metavar="DATE", help="Only pages published on or before DATE (YYYY-MM-DD).")
@click.option("--keep-all", is_flag=True, help="Store every page in the language, not only battery-relevant ones.")
@click.option("--language", default=ENGLISH, show_default=True, metavar="CODE",
              help="Keep pages in this language (ISO 639-1 code; the rules are written for English).")
@click.option("--host", "hosts", multiple=True, metavar="HOST",
              help="Only pages on HOST or a host under it (electrek.co: also www.electrek.co); repeatable.")
@click.option("--exclude-host", "exclude_hosts", multiple=True, metavar="HOST",
              help="Never pages on HOST or a host under it; repeatable, wins over --host.")
@click.option("--base", metavar="URL",
              help="What relative lines of a listing are relative to (CC-NEWS: https://data.commoncrawl.org/).")
@click.option("--prefetch", type=click.IntRange(min=0), default=None, metavar="N",
              help=f"WARC URLs downloaded N files ahead to a spool folder beside the database, read as local "
                   f"files (default {PREFETCH}; with --scheduler 0, as the spool must be on a file system the "
                   f"workers share; 0: each task downloads its own URL).")
@click.pass_context
def backfill(click_ctx: click.Context, sources: tuple[str, ...], workers: int | None, scheduler: str | None,
             since: str | None, until: str | None, keep_all: bool, language: str, hosts: tuple[str, ...],
             exclude_hosts: tuple[str, ...], base: str | None, prefetch: int | None) -> None:
    """Read WARC files (paths, folders, globs, URLs or listings of them) and store their battery pages; resumable.

    A large local file is read in byte ranges side by side on the workers; so is a URL, once
    downloaded ahead (--prefetch). Broken input, an unreachable URL and a file whose worker dies
    fail alone: the rest goes on, the exit code is 1, a rerun retries it.
    """
    ctx: Context = click_ctx.obj
    if since and until and since > until:
        fail(f"--since {since} is after --until {until}", 2)
    if workers is not None and scheduler:
        fail("--workers and --scheduler exclude each other: a cluster has its own workers", 2)
    json_logs = click_ctx.find_root().params.get("log_format") == "json"
    if json_logs:
        logging.getLogger("monitor.backfill").setLevel(logging.INFO)
    if not LANGUAGE_CODE.fullmatch(language.lower()):
        fail(f"--language {language!r} is not a language code (give one like en or de)", 2)
    try:
        hosts, exclude_hosts = tuple(map(host_name, hosts)), tuple(map(host_name, exclude_hosts))
    except MonitorError as exc:
        fail(str(exc), 2)
    options = BackfillOptions(settings=ctx.settings, since=since, until=until, keep_all=keep_all,
                              language=language.lower(), hosts=hosts, exclude_hosts=exclude_hosts)
    db = ctx.db
    try:
        runner = make_runner(options, workers=workers, scheduler=scheduler)
    except MonitorError as exc:
        fail(str(exc), 2)
    bar = ProgressBar() if sys.stderr.isatty() and not json_logs else None
    try:
        report = run_backfill(db, sources, options=options, runner=runner, base=base,
                              prefetch=(0 if scheduler else PREFETCH) if prefetch is None else prefetch,
                              progress=bar.update if bar else None)
    except KeyboardInterrupt:
        if bar:
            bar.close()
        click.echo("interrupted: a rerun of the same command goes on where this one stopped", err=True)
        sys.exit(130)
    if bar:
        bar.close()
    click.echo(summary(report))
    for source, reason in report.failed_files.items():
        click.echo(f"error: {reason}" if source in reason else f"error: {source}: {reason}", err=True)
    sys.exit(1 if report.failed_files else 0)


def summary(report: BackfillReport) -> str:
    """The closing lines: files, records and what became of them."""
    before = f" ({report.files_finished_before} finished before)" if report.files_finished_before else ""
    failed = f", {len(report.failed_files)} failed" if report.failed_files else ""
    return (
        f"{report.files} file(s){before}{failed}: {report.read:,} records read in {report.seconds:.0f} s "
        f"({report.records_per_second:,.0f}/s); {report.kept:,} kept, {report.skipped:,} skipped, "
        f"{report.failed:,} broken; {report.claims:,} claims"
    )


class ProgressBar:
    """One line on the terminal: files done, the time left (BackfillReport.seconds_left), records/s,
    kept pages and claims."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self._bar = tqdm(total=0, unit="B", unit_scale=True, file=sys.stderr, dynamic_ncols=True,
                         bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}{postfix}]")

    def update(self, report: BackfillReport, _result: SliceResult | None = None) -> None:
        self._bar.total = max(report.bytes_total, report.bytes_done, 1)
        self._bar.n = report.bytes_done
        self._bar.set_description(f"files {report.files_done}/{report.files}", refresh=False)
        left = report.seconds_left
        self._bar.set_postfix_str(
            f"{time_left(left)} left, {report.records_per_second:,.0f} rec/s, {report.kept:,} kept, "
            f"{report.claims:,} claims", refresh=False)
        self._bar.refresh()

    def close(self) -> None:
        self._bar.close()


def time_left(seconds: float | None) -> str:
    """"1:02:03" (hours, minutes, seconds), or "?" before there is a rate to go by."""
    return "?" if seconds is None else str(timedelta(seconds=round(seconds)))


def register_backfill_commands(group: click.Group) -> None:
    group.add_command(backfill)

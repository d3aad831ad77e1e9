"""The analysts' commands: `review`, `reprocess`, `export`, `serve`. They parse, call the API, print."""

from __future__ import annotations

import sys

import click

from monitor.cli.context import DATE
from monitor.errors import MonitorError
from monitor.models import CLAIM_KINDS, REVIEW_STATUSES
from monitor.review import workflow as reviewing
from monitor.storage import export as exporting

KEYS = "[a]ccept  [r]eject  [s]kip  [n]ote  [q]uit"


@click.group(invoke_without_command=True)
@click.option(
    "--reviewer",
    envvar="MONITOR_REVIEWER",
    default=None,
    help="Name recorded with each review (env MONITOR_REVIEWER; default: login name).",
)
@click.option(
    "--kind",
    type=click.Choice(CLAIM_KINDS),
    help="Only queue claims of this kind.",
)
@click.pass_context
def review(ctx: click.Context, reviewer: str | None, kind: str | None) -> None:
    """Review pending claims one by one in the terminal (keys: a r s n q)."""
    try:
        ctx.meta["reviewer"] = (reviewer or "").strip() or reviewing.default_reviewer()
    except MonitorError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    if ctx.invoked_subcommand is None:
        review_queue(ctx.obj.db, reviewer=ctx.meta["reviewer"], kind=kind)


def review_queue(db, *, reviewer: str, kind: str | None) -> None:
    """The interactive loop: one claim at a time, one key per decision."""
    counts = {"accepted": 0, "rejected": 0, "skipped": 0, "noted": 0}
    after = 0
    while True:
        items = reviewing.queue(db, kind=kind, after_id=after, limit=20)
        if not items:
            break
        for item in items:
            after = item.id
            show_item(item)
            while True:
                key = click.getchar().lower()
                if key in ("a", "r"):
                    status = "accepted" if key == "a" else "rejected"
                    reviewing.set_status(db, [item.id], status, reviewer=reviewer)
                    counts[status] += 1
                    click.echo(f"  -> {status}\n")
                    break
                if key == "s":
                    counts["skipped"] += 1
                    click.echo("  -> skipped\n")
                    break
                if key == "n":
                    note = click.prompt("  note", default="", show_default=False)
                    if note.strip():
                        reviewing.add_note(db, item.id, note, reviewer=reviewer)
                        counts["noted"] += 1
                    click.echo(f"  {KEYS}")
                    continue
                if key in ("q", "\x03", "\x04"):
                    click.echo(_tally(counts))
                    return
                click.echo(f"  {KEYS}")
    click.echo("queue empty. " + _tally(counts))


def show_item(item: reviewing.QueueItem) -> None:
    click.echo(
        click.style(f"#{item.id} {item.kind}", bold=True)
        + f"  {item.source or '?'} · {item.published or 'undated'} · {item.article_title or '(untitled)'}"
    )
    click.echo(
        "  "
        + " ".join(
            filter(
                None,
                [
                    item.before,
                    click.style(f"«{item.marked}»", bold=True, underline=True),
                    item.after,
                ],
            )
        )
    )
    if item.detail:
        click.echo(f"  {item.detail}")
    if item.note:
        click.echo(f"  note: {item.note}")
    click.echo(f"  {KEYS}")


def _tally(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {what}" for what, n in counts.items())


def _decide(ctx: click.Context, status: str, claim_ids: tuple[int, ...], note: str | None) -> None:
    try:
        changed = reviewing.set_status(
            ctx.obj.db, list(claim_ids), status, reviewer=ctx.meta["reviewer"], note=note
        )
    except MonitorError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(
        f"{status} {changed} claim(s)"
        + (f" ({len(claim_ids) - changed} already so)" if changed < len(claim_ids) else "")
    )


@review.command("accept")
@click.argument("claim_ids", nargs=-1, type=int, required=True)
@click.option("--note", help="Why; stored with the claim and in review_log.")
@click.pass_context
def review_accept(ctx: click.Context, claim_ids: tuple[int, ...], note: str | None) -> None:
    """Accept claims by id (all or none)."""
    _decide(ctx, "accepted", claim_ids, note)


@review.command("reject")
@click.argument("claim_ids", nargs=-1, type=int, required=True)
@click.option("--note", help="Why; stored with the claim and in review_log.")
@click.pass_context
def review_reject(ctx: click.Context, claim_ids: tuple[int, ...], note: str | None) -> None:
    """Reject claims by id (all or none)."""
    _decide(ctx, "rejected", claim_ids, note)


@review.command("log")
@click.argument("claim_id", type=int)
@click.pass_context
def review_log(ctx: click.Context, claim_id: int) -> None:
    """Show every review change of one claim."""
    from tabulate import tabulate

    rows = reviewing.review_history(ctx.obj.db, claim_id)
    cols = ("at", "reviewer", "old_status", "new_status", "note")
    click.echo(
        tabulate([{c: r[c] for c in cols} for r in rows], headers="keys")
        if rows
        else "no review yet"
    )


@click.command()
@click.option(
    "--since", type=DATE, metavar="DATE", help="Only articles published (or fetched) on or after DATE."
)
@click.option("--article", "article_id", type=int, help="Only this article id.")
@click.pass_context
def reprocess(ctx: click.Context, since: str | None, article_id: int | None) -> None:
    """Re-run the current rules over stored raw HTML without refetching; reviews are kept."""
    from monitor.ingest.reprocess import articles_to_reprocess
    from monitor.ingest.reprocess import reprocess as run_reprocess

    db = ctx.obj.db
    article_ids = articles_to_reprocess(db, since=since, article_id=article_id)
    dropped_before = _dropped(db)
    with click.progressbar(length=len(article_ids), label="reprocessing", file=sys.stderr) as bar:
        done = run_reprocess(
            db, article_ids, settings=ctx.obj.settings, progress=bar.update
        )
    dropped = _dropped(db) - dropped_before
    click.echo(
        f"reprocessed {done} article(s)"
        + (f"; {dropped} reviewed claim(s) no longer found (see review_log)" if dropped else "")
    )


def _dropped(db) -> int:
    return db.execute("SELECT count(*) FROM review_log WHERE new_status = 'dropped'").fetchone()[0]


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(exporting.FORMATS),
    default="csv",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--status", type=click.Choice(REVIEW_STATUSES), help="Only claims with this review status."
)
@click.option(
    "--since", type=DATE, metavar="DATE", help="Only articles published on or after DATE (YYYY-MM-DD)."
)
@click.option(
    "--kind",
    type=click.Choice(CLAIM_KINDS),
    help="Only claims of this kind.",
)
@click.option(
    "-o",
    "--output",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="Write to this file instead of standard output.",
)
@click.pass_context
def export(
    ctx: click.Context, fmt: str, status: str | None, since: str | None, kind: str | None, output
) -> None:
    """Export claims with their articles as CSV, JSON or JSON lines."""
    rows = exporting.select_claims(ctx.obj.read_db, status=status, since=since, kind=kind)
    count = exporting.write_claims(rows, output, fmt)
    if output is not sys.stdout and getattr(output, "name", "-") != "<stdout>":
        click.echo(f"exported {count} claim(s)", err=True)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("-p", "--port", type=int, default=8001, show_default=True, help="Port to listen on.")
@click.option(
    "--private", is_flag=True, help="Only signed-in reviewers may read too (default: reading is open)."
)
@click.option(
    "--host-name",
    "host_names",
    multiple=True,
    envvar="MONITOR_HOST_NAMES",
    metavar="NAME",
    help="A name the site is reached by besides localhost, 127.0.0.1 and ::1; repeatable "
    "(env MONITOR_HOST_NAMES, space-separated). Other Host headers are refused.",
)
@click.pass_context
def serve(
    ctx: click.Context, host: str, port: int, private: bool, host_names: tuple[str, ...]
) -> None:
    """Datasette on the database with the analysts' metadata, review page and charts (pip install .[ui])."""
    from monitor.web.serve import ServeError
    from monitor.web.serve import serve as run_server

    db_path = ctx.obj.db_path
    ctx.obj.read_db  # created or migrated if need be, before Datasette opens the file
    try:
        run_server(
            db_path,
            host=host,
            port=port,
            conflict_tolerance=ctx.obj.settings.conflict_tolerance,
            private=private,
            host_names=host_names,
        )
    except ServeError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


def register_analyst_commands(group: click.Group) -> None:
    """Add these commands to the `monitor` group."""
    for command in (review, reprocess, export, serve):
        group.add_command(command)

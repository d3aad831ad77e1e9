"""`monitor reviewers add|list|remove`: who may sign in to `monitor serve` and review there."""

from __future__ import annotations

import sys

import click

from monitor.cli.context import Context, fail
from monitor.errors import MonitorError
from monitor.review import reviewers as accounts


@click.group()
def reviewers() -> None:
    """Manage who may sign in to `monitor serve` and review claims in the browser."""


def read_password(name: str) -> str:
    """Asked twice on a terminal (never echoed); otherwise the first line of standard input."""
    if sys.stdin.isatty():
        return click.prompt(
            f"password for {name}", hide_input=True, confirmation_prompt=True, err=True
        )
    line = sys.stdin.readline()
    if not line:
        fail("no password on standard input")
    return line.rstrip("\r\n")


@reviewers.command("add")
@click.argument("name")
@click.option("--reset", is_flag=True, help="Set a new password for an existing reviewer.")
@click.pass_obj
def reviewers_add(ctx: Context, name: str, reset: bool) -> None:
    """Add a reviewer; the password is prompted for, or read from standard input."""
    try:
        accounts.check_name(name)
        accounts.add_reviewer(ctx.db, name, read_password(name), reset=reset)
    except MonitorError as exc:
        fail(str(exc))
    click.echo(f"{'new password for' if reset else 'added'} reviewer {name}")


@reviewers.command("list")
@click.pass_obj
def reviewers_list(ctx: Context) -> None:
    """List reviewers with when each was added and last given a password."""
    rows = accounts.list_reviewers(ctx.db)
    if not rows:
        click.echo("no reviewers yet: monitor reviewers add NAME")
    for row in rows:
        click.echo(f"{row.name}\tadded {row.added}\tpassword set {row.password_set}")


@reviewers.command("remove")
@click.argument("name")
@click.pass_obj
def reviewers_remove(ctx: Context, name: str) -> None:
    """Remove a reviewer: their sign-in ends at once; their reviews stay in review_log."""
    try:
        accounts.remove_reviewer(ctx.db, name)
    except MonitorError as exc:
        fail(str(exc))
    click.echo(f"removed reviewer {name}")

"""What every command gets: the database path and the settings loaded once, the one way a command
opens the database, and the one way it fails with a one-line error."""

from __future__ import annotations

import sys

import click
import sqlite_utils

from monitor.config import Settings
from monitor.errors import MonitorError
from monitor.resources import db_dir
from monitor.sources.opml import read_opml
from monitor.storage import connection
from monitor.storage import feeds as feed_rows
from monitor.timestamps import parse_day

DEFAULT_DB = "db/monitor.db"


class DateType(click.ParamType):
    """A `--since DATE` option: YYYY-MM-DD, checked, so a typo fails (exit 2) instead of matching
    everything or nothing."""

    name = "date"

    def convert(self, value, param, ctx):
        try:
            return parse_day(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DATE = DateType()


def fail(message: str, code: int = 1) -> None:
    """Print `error: message` on stderr and exit with `code`."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


class Context:
    """The command line's state: the database is opened (and migrated) on first use only."""

    def __init__(self, db_path: str, settings: Settings) -> None:
        self.db_path = db_path
        self.settings = settings
        self._db: sqlite_utils.Database | None = None

    @property
    def db(self) -> sqlite_utils.Database:
        """The database, opened once; a file that cannot be opened exits 2 with its reason."""
        if self._db is None:
            try:
                self._db = connection.open_db(self.db_path)
            except MonitorError as exc:
                fail(str(exc), 2)
        return self._db

    @property
    def read_db(self) -> sqlite_utils.Database:
        """The database opened read-only, for commands that only read: it works on a read-only
        file and never waits for a writer. A missing or outdated file is created or migrated first."""
        if self._db is None:
            try:
                self._db = connection.open_db_readonly(self.db_path)
            except MonitorError as exc:
                fail(str(exc), 2)
        return self._db

    def load_default_feeds(self) -> int:
        """Fill an empty feed list from db/default-feeds.opml; returns how many were added."""
        feeds = read_opml((db_dir() / "default-feeds.opml").read_bytes())
        return feed_rows.load_default_feeds(self.db, feeds)

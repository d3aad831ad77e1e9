"""Where the data files live: rules/ and db/ beside the package in a checkout, inside it once installed."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def rules_dir() -> Path:
    """The rules folder; MONITOR_RULES overrides it so analysts can try edited copies."""
    override = os.environ.get("MONITOR_RULES")
    return Path(override) if override else _data_dir("rules")


def db_dir() -> Path:
    """The folder of schema files, analyst views, Datasette metadata and the default feed list."""
    return _data_dir("db")


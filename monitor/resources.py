"""Where the data files live: rules/ and db/ beside the package in a checkout, inside it once installed."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
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


@lru_cache(maxsize=8)
def rules_version(directory: Path | None = None) -> str:
    """A short hash of every file under rules/: stored with each claim so re-runs can be told apart."""
    root = Path(directory or rules_dir())
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]

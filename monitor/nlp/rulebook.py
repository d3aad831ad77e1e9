"""The rules folder resolved once and each of its files read once, for every component and for the
version the claims found with it are stamped with.

Components used to open their own files: speech.json was parsed by the sentence splitter and the
quote finder, battery_terms.json by the claim linker and the relevance check, and the version was
hashed from a second reading, so a file edited in between gave claims the version of rules that
did not find them. A `Rulebook` reads one folder's files once, hashes exactly those bytes, and
parses each file on first use; it is cached by the folder's resolved path, and what it returns is
shared by every component built over that folder, so they read it and never change it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from monitor.resources import rules_dir as default_rules_dir

log = logging.getLogger(__name__)


class Rulebook:
    """The files of one rules folder, read from disk once, each parsed on first use and kept."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._bytes = {
            path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(p for p in folder.rglob("*") if p.is_file())
        }
        self._parsed: dict[str, Any] = {}

    @property
    def version(self) -> str:
        """A short hash of every file in the folder, stored with each claim so re-runs can be told
        apart."""
        digest = hashlib.sha256()
        for name, data in self._bytes.items():
            digest.update(name.encode())
            digest.update(b"\0")
            digest.update(data)
            digest.update(b"\0")
        return digest.hexdigest()[:12]

    def json(self, name: str, *, optional: bool = False) -> Any:
        """What the JSON file `name` holds; an optional file that is missing holds an empty
        object (with a warning, as a missing gazetteer)."""
        if optional and name not in self._bytes:
            log.warning("rules file %s is missing", self.folder / name)
            return {}
        if name not in self._parsed:
            try:
                self._parsed[name] = json.loads(self._text(name))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{self.folder / name}: {exc}") from exc
        return self._parsed[name]

    def records(self, name: str, *, optional: bool = False) -> list[dict]:
        """The objects of the JSON-lines file `name`, one a non-blank line; an optional file that
        is missing has none (a gazetteer left out of a folder reads as empty, with a warning)."""
        if name not in self._parsed:
            if optional and name not in self._bytes:
                log.warning("rules file %s is missing", self.folder / name)
                return []
            records = []
            for number, line in enumerate(self._text(name).splitlines(), 1):
                if line.strip():
                    try:
                        records.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise ValueError(f"{self.folder / name}:{number}: {exc}") from exc
            self._parsed[name] = records
        return self._parsed[name]

    def _text(self, name: str) -> str:
        if name not in self._bytes:
            raise FileNotFoundError(f"no rules file {self.folder / name}")
        return self._bytes[name].decode("utf-8")


def rulebook(folder: str | Path | None = None) -> Rulebook:
    """The rulebook of `folder`, or of the configured rules folder (MONITOR_RULES, else the
    shipped rules/) when none is given; one per resolved folder for the life of the process."""
    return _rulebook(Path(folder or default_rules_dir()).resolve())


@lru_cache(maxsize=8)
def _rulebook(folder: Path) -> Rulebook:
    return Rulebook(folder)

"""What `monitor backfill SOURCE...` names, as WARC files: a WARC file or its URL, a folder of
them, a glob, or a listing of paths and URLs one a line, plain or gzipped (as CC-NEWS publishes
`warc.paths.gz`)."""

from __future__ import annotations

import glob
import gzip
import logging
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from monitor.config import Settings
from monitor.errors import MonitorError

log = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz")
GLOB_CHARS = frozenset("*?[")
GZIP_MAGIC = b"\x1f\x8b"


@dataclass
class BackfillInputs:
    """The WARC files to read (absolute paths and URLs, in order, each once) and the sources
    that could not be listed, with why."""

    warcs: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def is_warc_name(name: str) -> bool:
    return name.lower().split("?")[0].endswith(WARC_SUFFIXES)


def expand_sources(sources: list[str], *, settings: Settings, base: str | None = None) -> BackfillInputs:
    """Every WARC file the sources name. `base` is what a listing's relative lines are taken
    relative to (CC-NEWS: https://data.commoncrawl.org/), else the listing's own folder or URL."""
    inputs = BackfillInputs()
    for source in sources:
        try:
            found = _expand(source, settings=settings, base=base)
        except MonitorError as exc:
            log.error("%s", exc, extra={"file": source})
            inputs.failed[source] = str(exc)
            continue
        inputs.warcs.extend(found)
    inputs.warcs = list(dict.fromkeys(inputs.warcs))
    return inputs


def _expand(source: str, *, settings: Settings, base: str | None) -> list[str]:
    if is_url(source):
        return [source] if is_warc_name(source) else listing_lines(_fetch_listing(source, settings), base or source)
    if GLOB_CHARS & set(source):
        matches = sorted(glob.glob(source, recursive=True))
        if not matches:
            raise MonitorError(f"{source}: no file matches")
        return [w for match in matches for w in _expand(match, settings=settings, base=base)]
    path = Path(source).expanduser()
    if path.is_dir():
        found = sorted(str(p.resolve()) for p in path.rglob("*") if p.is_file() and is_warc_name(p.name))
        if not found:
            raise MonitorError(f"{source}: no .warc or .warc.gz file in this folder")
        return found
    if is_warc_name(path.name) or not path.exists():
        return [str(path.resolve())]  # a missing file fails when it is read, counted with the rest
    return listing_lines(_read_listing(path, settings), base or path.resolve().parent.as_uri() + "/")


def listing_lines(data: bytes, base: str) -> list[str]:
    """The paths and URLs of a listing (gzipped or not), relative ones resolved against `base`
    (a URL, or a file:// URL for a local folder); blank lines and # comments skipped."""
    if data.startswith(GZIP_MAGIC):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise MonitorError(f"unreadable gzipped listing ({exc})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise MonitorError("not a listing of paths and URLs (not UTF-8 text)") from None
    found = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if is_url(line) or line.startswith("/"):
            found.append(line)
        else:
            found.append(urljoin(base if base.endswith("/") else base.rsplit("/", 1)[0] + "/", line))
    return [_local(entry) for entry in found]


def _local(entry: str) -> str:
    if entry.startswith("file://"):
        from urllib.request import url2pathname

        return str(Path(url2pathname(entry.removeprefix("file://"))).resolve())
    return entry if is_url(entry) else str(Path(entry).resolve())


def _read_listing(path: Path, settings: Settings) -> bytes:
    from monitor.sources.local import read_regular_file

    return read_regular_file(path, max_bytes=settings.max_body_bytes)


def _fetch_listing(url: str, settings: Settings) -> bytes:
    from monitor.sources.http import fetch, make_client

    with make_client(settings) as client:
        return fetch(url, client=client, settings=settings).body

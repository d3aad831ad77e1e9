"""Which hosts a backfill reads (`--host`, `--exclude-host`): a name matches its own host and
every host under it ("electrek.co" matches "www.electrek.co", not "notelectrek.co")."""

from __future__ import annotations

from urllib.parse import urlsplit

from monitor.errors import MonitorError


def host_name(value: str) -> str:
    """A host as given on the command line, checked and lower-cased: "Electrek.co." -> "electrek.co"."""
    name = value.strip().lower().rstrip(".")
    if "://" in name:
        name = urlsplit(name).hostname or ""
    if not name or any(c in name for c in "/ :?#@") or ".." in name or name.startswith("."):
        raise MonitorError(f"not a host name: {value!r} (give one like electrek.co)")
    return name


def matches(host: str, names: tuple[str, ...]) -> bool:
    return any(host == name or host.endswith("." + name) for name in names)


def host_wanted(url: str, include: tuple[str, ...], exclude: tuple[str, ...]) -> bool:
    """Whether the page at `url` is on a host asked for (any, when `include` is empty) and not
    on one left out; `exclude` wins."""
    if not include and not exclude:
        return True
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return False
    return (not include or matches(host, include)) and not matches(host, exclude)

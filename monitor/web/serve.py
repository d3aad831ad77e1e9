"""`monitor serve`: Datasette on the live database with the analysts' metadata, review page and charts.

Datasette is an optional extra (`pip install .[ui]`); it reads through its own read-only
connections while the daemon writes (WAL), and writes reviews through the canned query.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from monitor.errors import MonitorError
from monitor.resources import db_dir

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).parent / "templates"


class ServeError(MonitorError):
    """Datasette is not installed, or the metadata cannot be read."""


def load_metadata(path: Path | None = None) -> dict[str, Any]:
    """db/metadata.yml as a dict."""
    import yaml

    path = path or db_dir() / "metadata.yml"
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ServeError(f"{path}: cannot read metadata: {exc}") from None


def make_datasette(
    db_path: str | Path, *, metadata: dict[str, Any] | None = None,
    conflict_tolerance: float | None = None,
):
    """A Datasette instance on db_path (mutable, never immutable) with our metadata and plugin;
    `conflict_tolerance` (the setting) reaches the tracked-claims pages as plugin configuration."""
    try:
        from datasette.app import Datasette
        from datasette.plugins import pm
    except ImportError:
        raise ServeError(
            "Datasette is not installed: pip install 'ev-claims-monitor[ui]'"
        ) from None
    from monitor.web import plugin as datasette_plugin

    if not pm.is_registered(datasette_plugin):
        pm.register(datasette_plugin, name="ev-claims-monitor")
    metadata = for_database(metadata or load_metadata(), Path(db_path).stem)
    if conflict_tolerance is not None:
        plugins = dict(metadata.get("plugins") or {})
        plugins["ev-claims-monitor"] = {**plugins.get("ev-claims-monitor", {}),
                                        "conflict_tolerance": conflict_tolerance}
        metadata = {**metadata, "plugins": plugins}
    return Datasette(
        [str(db_path)],
        metadata=metadata,
        template_dir=str(TEMPLATES),
        settings={"sql_time_limit_ms": 3000},
    )


def for_database(metadata: dict[str, Any], name: str) -> dict[str, Any]:
    """The metadata with its one database section renamed to the file's stem (Datasette's db name)."""
    sections = metadata.get("databases") or {}
    if len(sections) != 1:
        raise ServeError("metadata must describe exactly one database")
    return {**metadata, "databases": {name: next(iter(sections.values()))}}


def serve(
    db_path: str | Path, *, host: str = "127.0.0.1", port: int = 8001,
    conflict_tolerance: float | None = None,
) -> None:
    """Run Datasette until interrupted."""
    import asyncio

    import uvicorn

    ds = make_datasette(db_path, conflict_tolerance=conflict_tolerance)
    asyncio.run(ds.invoke_startup())
    log.info("serving %s on http://%s:%d/", db_path, host, port)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")

"""`monitor serve`: Datasette on the live database with the analysts' metadata, review page and charts.

Datasette is an optional extra (`pip install .[ui]`); it reads through its own read-only
connections while the daemon writes (WAL), and writes reviews through the canned query.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
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
    db_path: str | Path,
    *,
    metadata: dict[str, Any] | None = None,
    conflict_tolerance: float | None = None,
    private: bool = False,
    host_names: Iterable[str] = (),
):
    """A Datasette instance on db_path (mutable, never immutable) with our metadata and plugins.

    `conflict_tolerance` (the setting) reaches the tracked-claims pages as plugin configuration;
    private: only signed-in reviewers may read; host_names: served besides the loopback names.
    Sign-ins are signed with $DATASETTE_SECRET, else with a secret made at start (a restart
    then ends them)."""
    try:
        from datasette.app import Datasette
        from datasette.plugins import pm
    except ImportError:
        raise ServeError(
            "Datasette is not installed: pip install 'ev-claims-monitor[ui]'"
        ) from None
    from monitor.web import auth, guard
    from monitor.web import plugin as datasette_plugin

    for module, name in (
        (datasette_plugin, guard.PLUGIN),
        (auth, f"{guard.PLUGIN}-auth"),
        (guard, f"{guard.PLUGIN}-guard"),
    ):
        if not pm.is_registered(module):
            pm.register(module, name=name)
    settings = for_database(metadata or load_metadata(), Path(db_path).stem)
    try:
        allowed = sorted(guard.allowed_host_names(host_names))
    except ValueError as exc:
        raise ServeError(str(exc)) from None
    plugins = dict(settings.get("plugins") or {})
    ours = {**plugins.get(guard.PLUGIN, {}), "host_names": allowed}
    if conflict_tolerance is not None:
        ours["conflict_tolerance"] = conflict_tolerance
    settings = {**settings, "plugins": {**plugins, guard.PLUGIN: ours}}
    if private:
        settings["allow"] = auth.reviewers_only()
    return Datasette(
        [str(db_path)],
        metadata=settings,
        template_dir=str(TEMPLATES),
        settings={"sql_time_limit_ms": 3000},
        secret=os.environ.get("DATASETTE_SECRET") or None,
    )


def for_database(metadata: dict[str, Any], name: str) -> dict[str, Any]:
    """The metadata with its one database section renamed to the file's stem (Datasette's db name)."""
    sections = metadata.get("databases") or {}
    if len(sections) != 1:
        raise ServeError("metadata must describe exactly one database")
    return {**metadata, "databases": {name: next(iter(sections.values()))}}


def serve(
    db_path: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8001,
    conflict_tolerance: float | None = None,
    private: bool = False,
    host_names: Iterable[str] = (),
) -> None:
    """Run Datasette until interrupted."""
    import asyncio

    import uvicorn

    ds = make_datasette(
        db_path, conflict_tolerance=conflict_tolerance, private=private, host_names=host_names
    )
    asyncio.run(ds.invoke_startup())
    log.info("serving %s on http://%s:%d/", db_path, host, port)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")

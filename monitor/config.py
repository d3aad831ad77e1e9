"""Settings, loaded once from an optional TOML file and handed down; every setting has a default."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from monitor.errors import ConfigError


@dataclass(frozen=True)
class Settings:
    """Everything tunable. The TOML file uses the same names, at top level or under [monitor]."""

    # fetching
    user_agent: str = ""  # empty: "ev-claims-monitor/VERSION (+contact_url)"
    contact_url: str = "https://github.com/ev-claims-monitor/ev-claims-monitor"
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_redirects: int = 5
    max_body_bytes: int = 10 * 1024 * 1024
    max_decompressed_bytes: int = 50 * 1024 * 1024
    allow_private_hosts: tuple[str, ...] = ()
    proxy: str = ""  # an http(s) proxy for every request; empty: HTTP(S)_PROXY/ALL_PROXY of the environment
    no_proxy: tuple[str, ...] = ()  # hosts (or .domains) reached directly; empty: NO_PROXY of the environment
    # sites that may name one another's URLs as canonical (one publisher's domains), e.g.
    # [["cellwire.example", "cellwire-news.example"]]; any other site's canonical URL is ignored
    canonical_site_groups: tuple[tuple[str, ...], ...] = ()
    # polling
    poll_interval_minutes: float = 15.0
    min_interval_minutes: float = 5.0
    max_interval_minutes: float = 24 * 60.0
    unconditional_every_hours: float = 12.0
    max_concurrent_feeds: int = 16  # requests in flight at once, feeds and pages together
    per_host_connections: int = 2
    per_host_delay_seconds: float = 1.0
    hard_failures_before_failing: int = 5
    soft_failures_before_failing: int = 10  # timeouts, 5xx ...: about four days of backing off
    max_page_attempts: int = 5  # a page failing softly this often is given up
    max_entries_per_feed: int = 50  # new entries fetched a pass; the rest are a backlog for the next passes
    near_duplicate_days: float = 30.0  # how far back syndicated copies are looked for
    # extraction
    spacy_model: str | None = None  # a trained pipeline to use when installed; blank "en" otherwise
    extract_processes: int | None = None  # worker processes; unset: one per core; 0: in the poller itself
    rules_dir: str | None = None
    # tracking
    conflict_tolerance: float = 0.005  # two figures of one claim conflict when they differ by more, relatively


_NAMES = {f.name for f in fields(Settings)}


def load_settings(path: str | Path | None = None) -> Settings:
    """Read a TOML file (or nothing) into Settings; unknown keys are an error, not silently ignored."""
    if path is None:
        return Settings()
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config {path}: {exc}") from None
    data = {**data.pop("monitor", {}), **data} if isinstance(data.get("monitor"), dict) else data
    unknown = sorted(set(data) - _NAMES)
    if unknown:
        raise ConfigError(f"unknown setting(s) in {path}: {', '.join(unknown)}")
    values: dict[str, Any] = {}
    for f in fields(Settings):
        if f.name not in data:
            continue
        value = data[f.name]
        default = getattr(Settings, f.name, None)
        if isinstance(default, tuple):
            if not isinstance(value, list):
                raise ConfigError(f"setting {f.name} in {path} must be a list")
            value = tuple(tuple(v) if isinstance(v, list) else v for v in value)
        elif isinstance(default, bool) or default is None:
            pass
        elif isinstance(default, (int, float)) and not isinstance(value, (int, float)):
            raise ConfigError(f"setting {f.name} in {path} must be a number")
        elif isinstance(default, str) and not isinstance(value, str):
            raise ConfigError(f"setting {f.name} in {path} must be a string")
        values[f.name] = value
    settings = Settings(**values)
    if not 0 <= settings.conflict_tolerance < 1:
        raise ConfigError(f"setting conflict_tolerance in {path} must be at least 0 and below 1")
    return settings

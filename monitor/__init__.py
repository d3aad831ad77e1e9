"""ev-claims-monitor: watches the press for claims about EV batteries."""

from monitor.config import Settings, load_settings
from monitor.errors import ConfigError, ExtractError, FeedError, FetchError, MonitorError
from monitor.models import Article, Claim, Fetched

__all__ = [
    "Article",
    "Claim",
    "ConfigError",
    "ExtractError",
    "FeedError",
    "FetchError",
    "Fetched",
    "MonitorError",
    "Settings",
    "extract_claims",
    "load_settings",
]
__version__ = "0.1.0"


def __getattr__(name: str):
    # extract_claims pulls in spaCy; loaded on first use so `import monitor` stays light
    if name == "extract_claims":
        from monitor.nlp.pipeline import extract_claims

        return extract_claims
    raise AttributeError(f"module 'monitor' has no attribute {name!r}")

"""ev-claims-monitor: watches the press for claims about EV batteries."""

from .claims import extract_claims
from .config import Settings, load_settings
from .errors import ConfigError, ExtractError, FeedError, FetchError, MonitorError
from .models import Article, Claim, Fetched

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

"""Local files as input: .html pages and .txt articles read from disk into `Fetched`."""

from __future__ import annotations

from pathlib import Path

from monitor.errors import FetchError
from monitor.models import Fetched

TYPES_BY_SUFFIX = {".html": "text/html", ".htm": "text/html", ".xhtml": "text/html", ".txt": "text/plain"}


def read_local(path: str | Path, *, max_bytes: int = 10 * 1024 * 1024) -> Fetched:
    """Read a local article; raises FetchError for a missing, unreadable, oversize or unknown file."""
    path = Path(path)
    content_type = TYPES_BY_SUFFIX.get(path.suffix.lower())
    if content_type is None:
        raise FetchError(f"{path}: unsupported file type (expected .html or .txt)")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise FetchError(f"{path}: file too large ({size} bytes, limit {max_bytes})")
        body = path.read_bytes()
    except FileNotFoundError:
        raise FetchError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise FetchError(f"{path}: is a directory") from None
    except OSError as exc:
        raise FetchError(f"{path}: cannot read: {exc.strerror}") from None
    return Fetched(url=str(path), final_url=path.resolve().as_uri(), body=body, content_type=content_type)

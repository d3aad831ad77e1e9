"""Local files as input: .html pages and .txt articles read from disk into `Fetched`.

Only regular files are read, and never more than the size cap plus one byte whatever `stat()`
says: a FIFO would block forever and a link to /dev/zero would fill the memory.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from monitor.errors import FetchError
from monitor.models import Fetched

TYPES_BY_SUFFIX = {".html": "text/html", ".htm": "text/html", ".xhtml": "text/html", ".txt": "text/plain"}


def read_local(path: str | Path, *, max_bytes: int = 10 * 1024 * 1024) -> Fetched:
    """Read a local article; raises FetchError for a missing, unreadable, oversize or unknown file,
    or one that is not a regular file (a directory, FIFO, socket or device)."""
    path = Path(path)
    content_type = TYPES_BY_SUFFIX.get(path.suffix.lower())
    if content_type is None:
        raise FetchError(f"{path}: unsupported file type (expected .html or .txt)")
    body = read_regular_file(path, max_bytes=max_bytes)
    return Fetched(url=str(path), final_url=path.resolve().as_uri(), body=body, content_type=content_type)


def read_regular_file(path: str | Path, *, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes`; raises FetchError for anything else
    (missing, unreadable, too large, a directory, FIFO, socket or device)."""
    path = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise FetchError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise FetchError(f"{path}: is a directory") from None
    except OSError as exc:
        raise FetchError(f"{path}: cannot read: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as file:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise FetchError(f"{path}: is a directory")
        if not stat.S_ISREG(mode):
            raise FetchError(f"{path}: not a regular file ({_kind(mode)})")
        os.set_blocking(fd, True)
        try:
            body = file.read(max_bytes + 1)
        except OSError as exc:
            raise FetchError(f"{path}: cannot read: {exc.strerror}") from None
    if len(body) > max_bytes:
        raise FetchError(f"{path}: file too large (over {max_bytes} bytes, the limit)")
    return body


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a file"

"""The next WARC downloaded while one is read: a run's URLs fetched ahead, one at a time and in
order, into a spool folder beside the database, so a task reads a local file (cut into byte
ranges like any other) instead of waiting for its download.

At most `ahead` files wait downloaded or downloading before the run takes them, and the run takes
one only when its workers need more to do, so the spool holds `ahead` files besides those being
read. A taken file is removed once every range of it came back. The spool outlives a kill: a
complete copy is read again as it is, a .part goes on from its length (monitor/sources/downloads.py)."""

from __future__ import annotations

import hashlib
import logging
import queue
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import sqlite_utils

from monitor.config import Settings
from monitor.errors import MonitorError
from monitor.sources.downloads import discard, download_file, download_limits

log = logging.getLogger(__name__)

PREFETCH = 2  # files downloaded ahead by default: the next one ready while one is read, one more in hand


@dataclass(frozen=True)
class Prefetched:
    """A URL of the run, downloaded to `path`, or not (`error` says why)."""

    url: str
    path: str | None = None
    error: str | None = None


def spool_beside(db: sqlite_utils.Database) -> Path:
    """The spool folder of a database: `NAME-spool` beside its file (a temporary folder's for a
    database in memory)."""
    rows = db.execute("PRAGMA database_list").fetchall()
    file = next((row[2] for row in rows if row[1] == "main" and row[2]), None)
    return Path(file).with_name(Path(file).name + "-spool") if file else Path(tempfile.gettempdir()) / "monitor-spool"


def spool_path(spool: Path, url: str) -> Path:
    """Where `url`'s copy lives in the spool: a name made from the URL (a hash of it, then its file
    name), so a rerun finds what an earlier run downloaded."""
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    name = re.sub(r"[^A-Za-z0-9._-]", "_", urlsplit(url).path.rsplit("/", 1)[-1])[-100:]
    return spool / f"{digest}-{name or 'download'}"


class Prefetcher:
    """Downloads `urls` in a thread of its own, at most `ahead` not yet taken; `take` hands them
    over in order."""

    def __init__(self, urls: list[str], spool: Path, *, settings: Settings, ahead: int = PREFETCH) -> None:
        if ahead < 1:
            raise ValueError("a prefetch of fewer than 1 file is no prefetch")
        self.spool = spool
        self.settings = settings
        self._urls = list(urls)
        self._left = len(self._urls)  # not taken yet
        self._done: queue.SimpleQueue[Prefetched] = queue.SimpleQueue()
        self._room = threading.Semaphore(ahead)
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._download_all, name="backfill-prefetch", daemon=True)

    def start(self) -> Prefetcher:
        self._thread.start()
        return self

    @property
    def pending(self) -> int:
        """URLs not taken yet."""
        return self._left

    def take(self, *, block: bool) -> Prefetched | None:
        """The next URL, downloaded or failed; None when none is left, or none is ready and
        `block` is false."""
        if not self._left:
            return None
        try:
            item = self._done.get(block=block)
        except queue.Empty:
            return None
        self._left -= 1
        self._room.release()
        return item

    def remove(self, url: str) -> None:
        """Delete the URL's copy: it was read."""
        discard(spool_path(self.spool, url))

    def close(self) -> None:
        """Start no further download (one under way runs on in its daemon thread, its .part kept)."""
        self._closed.set()
        self._room.release()

    def _download_all(self) -> None:
        from monitor.sources.http import make_client

        with make_client(download_limits(self.settings)) as client:
            for url in self._urls:
                self._room.acquire()
                if self._closed.is_set():
                    return
                self._done.put(self._download(url, client))

    def _download(self, url: str, client) -> Prefetched:
        target = spool_path(self.spool, url)
        if target.is_file():  # downloaded by a run that was stopped while it read it
            log.info("%s: read from the copy an earlier run downloaded, %s", url, target, extra={"file": url})
            return Prefetched(url, str(target))
        try:
            self.spool.mkdir(parents=True, exist_ok=True)
            download_file(url, target, settings=self.settings, client=client)
        except MonitorError as exc:
            log.error("%s", exc, extra={"file": url})
            return Prefetched(url, error=str(exc))
        except OSError as exc:  # the spool's disk: full, or not writable
            log.error("%s: cannot write to the spool %s: %s", url, self.spool, exc, extra={"file": url})
            return Prefetched(url, error=f"{url}: cannot write to the spool {self.spool}: {exc.strerror or exc}")
        except Exception as exc:  # noqa: BLE001 (a bug must fail this file, not leave the run waiting for it)
            log.exception("%s: download failed", url, extra={"file": url})
            return Prefetched(url, error=f"{url}: download failed: {exc}")
        log.info("%s: downloaded to %s", url, target, extra={"file": url})
        return Prefetched(url, str(target))

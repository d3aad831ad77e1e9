"""One poller per database: an exclusive `flock` on `<database>.lock`, held for a daemon's whole
life (and a `poll` pass's), with the holder's PID and command written in it.

Two pollers on one database fetch every page twice (halving the politeness limits) and rewrite
articles. The kernel drops the lock when its holder dies, even by `kill -9`, so a stale file
never keeps the next daemon out; the PID in it is only there to name the holder in the refusal.
"""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass
from pathlib import Path

from monitor.errors import MonitorError


class PollerRunning(MonitorError):
    """Another process holds the database's poller lock; `pid` is its process id when known."""

    def __init__(self, message: str, *, pid: int | None) -> None:
        super().__init__(message)
        self.pid = pid


def lock_path(db_path: str | Path) -> Path:
    """The lock file beside the database: `monitor.db` -> `monitor.db.lock`."""
    path = Path(db_path)
    return path.with_name(path.name + ".lock")


@dataclass
class PollerLock:
    """A held poller lock; `release()` (or leaving the `with` block, or dying) gives it back."""

    path: Path
    fd: int | None

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the descriptor drops the flock
            self.fd = None

    def __enter__(self) -> PollerLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def acquire_poller_lock(db_path: str | Path, *, command: str) -> PollerLock:
    """Take the database's poller lock without waiting, or raise `PollerRunning` naming its holder.

    The descriptor is not inherited by children (Python's default), so a worker process left
    behind never holds the lock for a daemon that is gone.
    """
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise MonitorError(f"{path}: cannot open the poller lock: {exc.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        pid, holder = _read_holder(path)
        who = f"`monitor {holder}` (pid {pid})" if pid else "another poller (pid unknown)"
        raise PollerRunning(f"{who} is already polling {db_path}", pid=pid) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()} {command}\n".encode(), 0)
    return PollerLock(path, fd)


def _read_holder(path: Path) -> tuple[int | None, str]:
    """(pid, command) written by the lock's holder; (None, "") while it is still writing them."""
    try:
        words = path.read_text(encoding="utf-8", errors="replace").split()
    except OSError:
        return None, ""
    if not words or not words[0].isdigit():
        return None, ""
    return int(words[0]), " ".join(words[1:2]) or "run"

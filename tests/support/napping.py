"""A stand-in worker life for the pool's tests: each message is (seconds, fate); the worker naps
that long, then answers with its pid, or kills itself with SIGKILL when the fate is "die" (as the
OOM killer would). Importable by the pool's workers (tests/ is on their path)."""

from __future__ import annotations

import os
import signal
import time
from multiprocessing.connection import Connection

from monitor.ingest.workers import serve_requests


def nap(message: tuple[float, str]) -> int:
    seconds, fate = message
    time.sleep(seconds)
    if fate == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    return os.getpid()


def serve_naps(conn: Connection) -> None:
    serve_requests(conn, lambda: None, nap)

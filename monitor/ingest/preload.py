"""Imported by the extraction pool's fork server, and only there (see monitor/ingest/workers.py):
builds the rules pipeline once so every worker forked from the server shares it.

A failure here is not reported: the server then forks bare workers, each worker builds the
pipeline as it starts, and the error (a broken rules file, say) surfaces there with its
message. `gc.freeze()` keeps the collector from touching, and so copying, the shared objects.
The server outlives a SIGTERM to the process group, so the pool can still replace its workers.
"""

import gc
import os
import signal

_SERVER = os.getpid()


def _ignore_sigterm_in_the_server(signum: int, _frame: object) -> None:
    """SIGTERM to the daemon's process group (systemd, `timeout`, `kill -- -PGID`) reaches the
    server too: it stays, and goes when the daemon does (its pipe from the daemon closes). A
    process forked from it that has not set its own handler yet dies of the signal as usual."""
    if os.getpid() != _SERVER:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)


signal.signal(signal.SIGTERM, _ignore_sigterm_in_the_server)

try:
    from monitor.ingest.workers import preload

    preload()
except Exception:  # noqa: BLE001, S110 (see the docstring: the workers report it)
    pass
gc.freeze()

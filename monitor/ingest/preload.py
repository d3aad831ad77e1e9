"""Imported by the extraction pool's fork server, and only there (see monitor/ingest/workers.py):
builds the rules pipeline once so every worker forked from the server shares it.

A failure here is not reported: the server then forks bare workers, each worker builds the
pipeline in its initializer, and the error (a broken rules file, say) surfaces there with its
message. `gc.freeze()` keeps the collector from touching, and so copying, the shared objects.
"""

import gc

try:
    from monitor.ingest.workers import preload

    preload()
except Exception:  # noqa: BLE001, S110 (see the docstring: the workers report it)
    pass
gc.freeze()

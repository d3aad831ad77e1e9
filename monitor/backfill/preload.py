"""Imported by the worker pool's fork server when a backfill's pool starts it (`PoolRunner`), and
only there: builds the battery gate and loads the language model once, beside the rules pipeline
the server builds for every pool (monitor/ingest/preload.py). Every worker forked from the server,
the first ones and each replacement, then starts with them, instead of spending 0.6 s on them
(3 s and more on a loaded machine: py3langid's model loads at the first guess) while the other
workers run; and they share one copy instead of each holding its own.

A failure is not reported here (any error but an ImportError would end the server): each worker
then builds them as it warms up, and the error surfaces there with its message.
"""

import gc

try:
    from monitor.backfill.runners import warm_up_filters
    from monitor.ingest.workers import preloaded_pipeline

    warm_up_filters(preloaded_pipeline()[0])
except Exception:  # noqa: BLE001, S110 (see the docstring: the workers report it)
    pass
gc.freeze()

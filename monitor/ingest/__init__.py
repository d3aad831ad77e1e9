"""Layer 3, one document end to end: fetched bytes -> article -> claims -> claim keys -> stored,
syndicated copies linked to their originals, reprocessing, and the worker processes that extract
pages beside the poller."""

"""Many byte patterns found in one pass: the Hyperscan database that the relevance check, the claim
linker and the backfill's gate each compile their vocabulary into.

A database is compiled once and read by any thread; a Hyperscan scratch serves one scan at a
time, so each thread scanning keeps its own."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import hyperscan

OnMatch = Callable[[int, int, int, int, object], None]  # (pattern id, from, to, flags, context)


def literal(text: str | bytes) -> bytes:
    """`text` as a Hyperscan expression that matches exactly its bytes (every byte escaped, so no
    character of a term is read as regex syntax)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return b"".join(b"\\x%02x" % byte for byte in data)


class PatternScanner:
    """`expressions` compiled into one block-mode database; a match reports the index of its
    expression and the offset (in bytes) where it ends."""

    def __init__(self, expressions: Sequence[bytes], *, caseless: bool = False) -> None:
        self._database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self._database.compile(
            expressions=list(expressions),
            ids=list(range(len(expressions))),
            elements=len(expressions),
            flags=[hyperscan.HS_FLAG_CASELESS] * len(expressions) if caseless else 0,
        )
        self._local = threading.local()

    def scan(self, data: bytes, on_match: OnMatch) -> None:
        """Call `on_match` for every match in `data`, in the order of their ends."""
        self._database.scan(data, match_event_handler=on_match, scratch=self._scratch())

    def _scratch(self) -> hyperscan.Scratch:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self._database)
        return scratch

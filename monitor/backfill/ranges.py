"""How a WARC file is cut into byte ranges that run side by side: a pure function of sizes (the
file's, what the run reads after it, the largest range) and of the slices a runner keeps in
flight, apart from reading where records start (monitor/sources/warc.py `record_starts`).

Guided, as loops are scheduled on parallel machines: each range is a share of what the run has
left to read from there on, one for every slice in flight, so a file alone gives every slot a
range and the run's last ranges shrink, to finish close together instead of one worker reading
on while the others wait. Files with more to read after them are cut no finer than they must be."""

from __future__ import annotations

# The smallest range (`smallest`), but for a file's last: 30 to 100 records of CC-NEWS (33 kB a
# record on average), a fraction of a slice, so the ranges a run ends with take a worker well
# under a second
SMALLEST_RANGE_BYTES = 1 << 20


def range_starts(first: int, size: int, *, after: int, largest: int, parallel: int, smallest: int) -> list[int]:
    """Where the ranges of a file of `size` bytes should start, from `first` on, when the run
    reads `after` bytes of other files after it: each the `parallel`th part of what the run has
    left from there, at most `largest` and at least `smallest` (or `largest` when that is less),
    but the file's last, which is what is left of it. The points are ideal: a file is cut at the
    first record start at or after each."""
    floor = max(min(smallest, largest), 1)
    starts, position = [first], first
    while True:
        left = size - position
        length = min(largest, max(floor, -(-(left + after) // max(parallel, 1))))
        if length >= left:
            return starts
        position += length
        starts.append(position)

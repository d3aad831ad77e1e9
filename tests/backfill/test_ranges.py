"""The cutting of a file into ranges (guided): a range for every slot, shrinking toward the run's end."""

from __future__ import annotations

import pytest

from monitor.backfill.ranges import range_starts

MB = 1 << 20
GB = 1 << 30


def lengths(starts: list[int], size: int) -> list[int]:
    return [end - start for start, end in zip(starts, [*starts[1:], size])]


def test_a_large_file_is_cut_in_the_largest_ranges_then_ever_smaller_ones_toward_its_end():
    cut = lengths(range_starts(0, GB, largest=64 * MB, after=0, parallel=4, smallest=MB), GB)
    assert cut[:13] == [64 * MB] * 13  # while a quarter of what is left is 64 MB or more
    assert cut == sorted(cut, reverse=True)
    assert cut[-2] == MB and cut[-1] <= MB and sum(cut) == GB
    assert len(cut) < 40


def test_a_file_alone_gives_every_slice_in_flight_a_range():
    for parallel in (2, 4, 8, 32):
        cut = lengths(range_starts(0, 135 * MB, largest=64 * MB, after=0, parallel=parallel, smallest=MB), 135 * MB)
        assert len(cut) >= parallel
        assert cut[0] == min(64 * MB, -(-135 * MB // parallel))


def test_one_slice_in_flight_reads_ranges_of_the_largest_size():
    size = 200 * MB + 3 * MB
    assert lengths(range_starts(0, size, largest=64 * MB, after=0, parallel=1, smallest=MB), size) == [64 * MB] * 3 + [11 * MB]


def test_the_last_range_is_what_is_left_however_small():
    assert range_starts(0, 64 * MB + MB // 4, largest=64 * MB, after=0, parallel=1, smallest=MB) == [0, 64 * MB]
    assert range_starts(0, 64 * MB, largest=64 * MB, after=0, parallel=1, smallest=MB) == [0]


@pytest.mark.parametrize("size", [0, 5000, MB // 3])
def test_a_file_smaller_than_a_range_is_one_range(size):
    assert range_starts(0, size, largest=64 * MB, after=0, parallel=4, smallest=MB) == [0]


def test_ranges_never_exceed_the_largest_even_under_the_smallest():
    cut = lengths(range_starts(0, 30_000, largest=5000, after=0, parallel=4, smallest=MB), 30_000)
    assert cut == [5000] * 6


def test_a_file_read_in_part_before_is_cut_from_where_its_read_goes_on():
    starts = range_starts(40 * MB, 100 * MB, largest=64 * MB, after=0, parallel=4, smallest=MB)
    assert starts[0] == 40 * MB and starts[1] == 55 * MB and starts == sorted(set(starts))
    assert starts[-1] < 100 * MB


def test_a_file_with_more_of_the_run_after_it_is_cut_no_finer_than_the_largest_ranges():
    assert range_starts(0, 22 * MB, after=400 * MB, largest=64 * MB, parallel=4, smallest=MB) == [0]
    cut = lengths(range_starts(0, 200 * MB, after=GB, largest=64 * MB, parallel=4, smallest=MB), 200 * MB)
    assert cut == [64 * MB] * 3 + [8 * MB]


def test_the_last_files_of_a_run_are_cut_ever_finer():
    sizes = [22 * MB] * 6
    cuts = [lengths(range_starts(0, size, after=sum(sizes[n + 1:]), largest=64 * MB, parallel=4, smallest=MB), size)
            for n, size in enumerate(sizes)]
    assert [len(cut) for cut in cuts][:3] == [1, 1, 1]  # a quarter of what is left fills a file
    assert len(cuts[-1]) > len(cuts[-2]) > len(cuts[-3]) and len(cuts[-1]) >= 4
    assert cuts[-1][0] == 22 * MB // 4 and cuts[-1][-2] == MB
    assert sum(len(cut) for cut in cuts) < 25

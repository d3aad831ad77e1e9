"""The one Hyperscan mechanism behind the relevance check, the claim linker and the backfill gate."""

from concurrent.futures import ThreadPoolExecutor

from monitor.nlp.scanner import PatternScanner, literal


def ends(scanner: PatternScanner, data: bytes) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    scanner.scan(data, lambda pattern, _from, end, _flags, _context: found.append((pattern, end)))
    return found


def test_a_literal_matches_its_characters_not_regex_syntax():
    scanner = PatternScanner([literal("Li-ion (NMC 8.1.1)"), literal("C++")])
    text = b"Its Li-ion (NMC 8.1.1) cells, modelled in C++, beat Li-ion (NMC 811) ones."
    assert ends(scanner, text) == [(0, text.index(b")") + 1), (1, text.index(b"C++") + 3)]


def test_a_literal_of_non_ascii_text_matches_its_utf8_bytes():
    scanner = PatternScanner([literal("Hörsching")])
    text = "A plant near Hörsching opened.".encode()
    assert ends(scanner, text) == [(0, text.index(b" opened"))]


def test_caseless_patterns_match_in_any_case():
    scanner = PatternScanner([rb"<script\b"], caseless=True)
    assert [end for _, end in ends(scanner, b"<SCRIPT src=a.js><Script>")] == [7, 24]
    assert ends(PatternScanner([rb"<script\b"]), b"<SCRIPT src=a.js>") == []


def test_threads_scanning_one_database_at_once_each_get_their_own_matches():
    scanner = PatternScanner([literal("battery"), literal("anode")])
    pages = [(b"battery " * n + b"anode ") * 50 for n in range(1, 9)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = list(pool.map(lambda page: len(ends(scanner, page)), pages * 4))
    assert counts == [50 * (n + 1) for n in range(1, 9)] * 4

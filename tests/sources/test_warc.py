"""Reading web archives: the HTML pages of WARC files as crawlers write them, and what a
broken archive does to the read (it never stops the rest)."""

from __future__ import annotations

import gzip

import pytest
from support.warcs import Page, warc_record, write_warc

from monitor.errors import ArchiveError
from monitor.sources.warc import SkippedRecord, WarcPage, read_warc, record_starts

HTML = b"<html><head><title>Cells</title></head><body><p>LFP cells for EV batteries.</p></body></html>"


def pages(n: int, host: str = "news.example") -> list[Page]:
    return [Page(url=f"https://{host}/story/{i}", body=HTML.replace(b"Cells", b"Cells %d" % i)) for i in range(n)]


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_html_responses_are_read_with_url_body_and_warc_date(tmp_path, name):
    path = write_warc(tmp_path / name, [Page(url="https://news.example/a", body=HTML, date="2023-11-02T08:30:00Z")])
    [page] = list(read_warc(path))
    assert isinstance(page, WarcPage)
    assert (page.url, page.body, page.date, page.content_type) == ("https://news.example/a", HTML, "2023-11-02T08:30:00Z", "text/html")
    assert page.charset == "utf-8" and page.digest.startswith("sha1:")


def test_other_statuses_and_types_are_skipped_not_broken(tmp_path):
    path = write_warc(tmp_path / "mixed.warc.gz", [
        Page(url="https://news.example/gone", body=b"<html>gone</html>", status=404),
        Page(url="https://news.example/logo.png", body=b"\x89PNG....", content_type="image/png"),
        Page(url="https://news.example/req", body=b"", record_type="request"),
        Page(url="https://news.example/ok", body=HTML, content_type="application/xhtml+xml"),
    ])
    entries = list(read_warc(path))
    assert [(type(e).__name__, getattr(e, "reason", "")) for e in entries] == [
        ("SkippedRecord", "HTTP status 404"), ("SkippedRecord", "not HTML (image/png)"), ("WarcPage", ""),
    ]
    assert not any(getattr(e, "broken", False) for e in entries)


def test_a_read_from_a_records_offset_starts_at_that_record(tmp_path):
    path = write_warc(tmp_path / "crawl.warc.gz", pages(5))
    offsets = [e.offset for e in read_warc(path)]
    assert offsets == sorted(offsets) and len(set(offsets)) == 5
    assert [e.url for e in read_warc(path, start=offsets[3])] == ["https://news.example/story/3", "https://news.example/story/4"]


def test_broken_http_headers_are_a_broken_record_and_the_next_is_read(tmp_path):
    path = write_warc(tmp_path / "crawl.warc.gz", [
        Page(url="https://news.example/bad", body=b"", raw_http=b"<html>no status line at all\r\n\r\n"),
        *pages(1),
    ])
    bad, good = list(read_warc(path))
    assert isinstance(bad, SkippedRecord) and bad.broken and "HTTP headers" in bad.reason
    assert bad.url == "https://news.example/bad" and isinstance(good, WarcPage)


def test_a_truncated_last_gzip_member_is_a_broken_record(tmp_path):
    path = write_warc(tmp_path / "cut.warc.gz", pages(3))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 40])
    entries = list(read_warc(path))
    assert [type(e).__name__ for e in entries] == ["WarcPage", "WarcPage", "SkippedRecord"]
    assert entries[-1].broken and "truncated" in entries[-1].reason


def test_a_record_over_the_cap_is_skipped_with_its_offset(tmp_path, caplog):
    huge = Page(url="https://news.example/huge", body=b"<html><body>" + b"x" * (3 << 20) + b"</body></html>")
    path = write_warc(tmp_path / "big.warc.gz", [huge, *pages(1)])
    big, after = list(read_warc(path, max_record_bytes=1 << 20))
    assert big.broken and "too large" in big.reason and isinstance(after, WarcPage)
    assert f"byte {big.offset}" in caplog.text and str(path) in caplog.text


@pytest.mark.parametrize("name", ["junk.warc.gz", "junk.warc"])
def test_junk_between_records_is_skipped_to_the_next_record(tmp_path, name):
    first = write_warc(tmp_path / ("a-" + name), pages(2, "a.example")).read_bytes()
    second = write_warc(tmp_path / ("b-" + name), pages(2, "b.example")).read_bytes()
    path = tmp_path / name
    path.write_bytes(first + b"\x00garbage, not a record" * 40 + second)
    entries = list(read_warc(path))
    assert [e.url for e in entries if isinstance(e, WarcPage)] == [
        "https://a.example/story/0", "https://a.example/story/1", "https://b.example/story/0", "https://b.example/story/1"]
    [junk] = [e for e in entries if isinstance(e, SkippedRecord)]
    assert junk.broken and "unreadable" in junk.reason


@pytest.mark.parametrize("content", [b"just some text\n" * 50, gzip.compress(b"<html>a page, not an archive</html>")])
def test_a_file_that_is_not_a_warc_is_an_archive_error(tmp_path, content):
    path = tmp_path / "not.warc.gz"
    path.write_bytes(content)
    with pytest.raises(ArchiveError, match="not a WARC file"):
        list(read_warc(path))


def test_a_missing_file_is_an_archive_error(tmp_path):
    with pytest.raises(ArchiveError, match="cannot read"):
        list(read_warc(tmp_path / "missing.warc.gz"))


def test_records_written_by_hand_parse_as_warc(tmp_path):
    # the helper's own output is what crawlers write: warcio, another reader, agrees
    from warcio.archiveiterator import ArchiveIterator

    path = tmp_path / "one.warc.gz"
    path.write_bytes(gzip.compress(warc_record(Page(url="https://news.example/a", body=HTML))))
    with path.open("rb") as file:
        read = [(r.rec_type, r.content_stream().read()) for r in ArchiveIterator(file)]
    assert read == [("response", HTML)]


@pytest.mark.parametrize("name", ["cut.warc.gz", "cut.warc"])
def test_a_file_is_cut_only_where_records_start(tmp_path, name):
    tricky = [Page(url=f"https://news.example/{n}", body=b"<html><p>\x1f\x8b\x08 and WARC/1.0 in a page</p>" + b"x" * 3000 + b"</html>")
              for n in range(12)]
    path = write_warc(tmp_path / name, tricky)
    offsets = [entry.offset for entry in read_warc(path)]
    size = path.stat().st_size
    starts = record_starts(path, targets=[size * n // 6 for n in range(1, 6)])
    assert starts[0] == 0 and len(starts) > 3 and set(starts[1:]) <= set(offsets)
    assert starts == sorted(set(starts))
    assert record_starts(path, first=offsets[5], targets=[size]) == [offsets[5]]


def test_a_cut_a_long_record_reaches_past_is_left_out(tmp_path):
    pages = [Page(url=f"https://news.example/{n}", body=b"<html>" + b"x" * (30_000 if n == 1 else 300) + b"</html>")
             for n in range(4)]
    path = write_warc(tmp_path / "long.warc", pages)
    offsets = [entry.offset for entry in read_warc(path)]
    inside_the_long_one = [offsets[1] + 100, offsets[1] + 200, offsets[2] - 10]
    assert record_starts(path, targets=inside_the_long_one) == [0, offsets[2]]


def test_a_file_that_cannot_be_read_is_one_range(tmp_path):
    assert record_starts(tmp_path / "missing.warc.gz", first=7, targets=[10, 20]) == [7]

"""One backfill task: which records of a WARC slice become pages to store, and why the others do not."""

from __future__ import annotations

from support.warcs import Page, battery_story, plain_story, write_warc

from monitor.backfill.job import BackfillOptions, SliceTask, run_slice
from monitor.sources.warc import read_warc

OPTIONS = BackfillOptions()


def story(n: int, **kw) -> Page:
    return Page(url=f"https://cells.example/news/{n}", body=battery_story(n), **kw)


def test_battery_pages_are_kept_with_claims_and_the_rest_skipped(tmp_path):
    path = write_warc(tmp_path / "crawl.warc.gz", [
        story(1), Page(url="https://town.example/1", body=plain_story(1)), story(2),
        Page(url="https://town.example/gone", body=b"<html></html>", status=404),
    ])
    result = run_slice(SliceTask(str(path)), OPTIONS)
    assert (result.read, result.skipped, result.failed, result.next_offset, result.error) == (4, 2, 0, None, None)
    urls = [page.extracted.analysis.article.url for page in result.kept]
    assert urls == ["https://cells.example/news/1", "https://cells.example/news/2"]
    first = result.kept[0].extracted
    assert first.analysis.battery_relevant and first.analysis.claims and first.raw_gzip
    assert first.simhash is not None and first.analysis.article.raw_html is None


def test_the_warc_date_is_the_publication_date_when_the_page_gives_none(tmp_path):
    path = write_warc(tmp_path / "crawl.warc.gz", [story(1, date="2021-06-30T23:10:00Z")])
    [page] = run_slice(SliceTask(str(path)), OPTIONS).kept
    assert page.extracted.analysis.article.published == "2021-06-30T23:10:00Z"


def test_since_and_until_keep_only_pages_published_between(tmp_path):
    path = write_warc(tmp_path / "crawl.warc.gz", [
        story(1, date="2020-01-05T00:00:00Z"), story(2, date="2021-03-01T00:00:00Z"), story(3, date="2022-07-01T00:00:00Z"),
    ])
    result = run_slice(SliceTask(str(path)), BackfillOptions(since="2021-01-01", until="2021-12-31"))
    assert [p.extracted.analysis.article.url for p in result.kept] == ["https://cells.example/news/2"]
    assert result.skipped == 2


def test_exact_duplicates_in_a_slice_are_extracted_once(tmp_path):
    same_body = story(1)
    tracked = Page(url="https://cells.example/news/1?utm_source=feed", body=battery_story(1) + b" ")
    path = write_warc(tmp_path / "crawl.warc.gz", [same_body, Page(url="https://mirror.example/1", body=same_body.body), tracked])
    result = run_slice(SliceTask(str(path)), OPTIONS)
    assert len(result.kept) == 1 and result.skipped == 2 and result.gated == 1


def test_a_page_declared_in_another_language_is_skipped_before_extraction(tmp_path):
    path = write_warc(tmp_path / "crawl.warc.gz", [Page(url="https://zellen.example/1", body=battery_story(1, lang="de"))])
    result = run_slice(SliceTask(str(path)), OPTIONS)
    assert (result.kept, result.skipped, result.gated) == ([], 1, 0)


def test_an_undeclared_language_is_guessed_from_the_text(tmp_path):
    german = (b"<html><head><title>Batteriewerk</title></head><body><article><p>" + " ".join(
        ["Der Hersteller von Batteriezellen baut in Sachsen ein neues Werk fuer LFP-Zellen mit 20 GWh "
         "im Jahr, wie das Unternehmen am Dienstag mitteilte; die Batterie soll in Elektroautos kommen."] * 4
    ).encode() + b"</p></article></body></html>")
    path = write_warc(tmp_path / "crawl.warc.gz", [Page(url="https://zellen.example/2", body=german)])
    result = run_slice(SliceTask(str(path)), OPTIONS)
    assert (result.kept, result.skipped, result.gated) == ([], 1, 1)


def test_keep_all_keeps_pages_about_anything(tmp_path):
    path = write_warc(tmp_path / "crawl.warc.gz", [Page(url="https://town.example/1", body=plain_story(1)), story(1)])
    result = run_slice(SliceTask(str(path)), BackfillOptions(keep_all=True))
    assert [p.extracted.analysis.battery_relevant for p in result.kept] == [False, True]


def test_a_slice_stops_at_its_limit_and_says_where_the_next_starts(tmp_path):
    path = write_warc(tmp_path / "crawl.warc.gz", [story(n) for n in range(5)])
    offsets = [entry.offset for entry in read_warc(path)]
    first = run_slice(SliceTask(str(path), 0, limit=2), OPTIONS)
    assert (first.read, first.next_offset) == (2, offsets[2])
    rest = run_slice(SliceTask(str(path), first.next_offset, limit=10), OPTIONS)
    assert (rest.read, rest.next_offset, len(first.kept) + len(rest.kept)) == (3, None, 5)


def test_broken_records_are_counted_failed_and_a_non_warc_is_the_files_error(tmp_path):
    path = write_warc(tmp_path / "crawl.warc.gz", [
        story(1), Page(url="https://cells.example/bad", body=b"", raw_http=b"not http at all\r\n\r\n"), story(2),
    ])
    result = run_slice(SliceTask(str(path)), OPTIONS)
    assert (result.read, result.failed, len(result.kept)) == (3, 1, 2)
    junk = tmp_path / "notes.warc"
    junk.write_text("these are my notes, not an archive\n")
    failed = run_slice(SliceTask(str(junk)), OPTIONS)
    assert "not a WARC file" in failed.error and failed.read == 0


def test_another_language_is_kept_when_asked_for_and_english_then_skipped(tmp_path):
    german = Page(url="https://zellen.example/1", body=battery_story(1, lang="de-DE"))
    path = write_warc(tmp_path / "crawl.warc.gz", [german, story(2)])
    result = run_slice(SliceTask(str(path)), BackfillOptions(language="de", keep_all=True))
    assert [p.extracted.analysis.article.url for p in result.kept] == ["https://zellen.example/1"]


def test_a_range_ends_before_the_first_record_at_or_after_its_end(tmp_path):
    path = write_warc(tmp_path / "crawl.warc.gz", [story(n) for n in range(5)])
    offsets = [entry.offset for entry in read_warc(path)]
    first = run_slice(SliceTask(str(path), 0, limit=10, end=offsets[3]), OPTIONS)
    second = run_slice(SliceTask(str(path), offsets[3], limit=10, end=None), OPTIONS)
    assert (first.read, first.next_offset, second.read, second.next_offset) == (3, None, 2, None)

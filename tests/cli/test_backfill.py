"""`monitor backfill` end to end: WARC files named every way the command takes them, real
SQLite files, WARCs and listings served on loopback."""

from __future__ import annotations

import gzip
import json

import pytest
from support.loopback import Response
from support.warcs import Page, battery_story, plain_story, write_warc

from monitor.storage.connection import open_db



def crawl(path, first: int, count: int = 2):
    pages = [Page(url=f"https://cells.example/news/{n}", body=battery_story(n)) for n in range(first, first + count)]
    return write_warc(path, [*pages, Page(url=f"https://town.example/{first}", body=plain_story(first))])


def stored(db_path) -> list[str]:
    return [row[0] for row in open_db(db_path).execute("SELECT url FROM articles ORDER BY url")]


def test_files_folders_and_globs_are_read_and_summarised(run, db_path, tmp_path):
    folder = tmp_path / "crawl" / "2024"
    folder.mkdir(parents=True)
    crawl(folder / "a.warc.gz", 0)
    crawl(folder / "b.warc", 2)
    single = crawl(tmp_path / "c.warc.gz", 4)
    globbed = crawl(tmp_path / "d-1.warc.gz", 6)
    result = run("backfill", "--workers", "0", str(tmp_path / "crawl"), str(single), str(tmp_path / "d-*.warc.gz"))
    assert result.exit_code == 0, result.stderr
    assert stored(db_path) == sorted(f"https://cells.example/news/{n}" for n in range(8))
    assert "4 file(s)" in result.stdout and "12 records read" in result.stdout and "8 kept" in result.stdout
    assert globbed.exists()


@pytest.mark.parametrize("compress", [False, True])
def test_a_listing_names_files_relative_to_itself_or_absolute(run, db_path, tmp_path, compress):
    (tmp_path / "warcs").mkdir()
    crawl(tmp_path / "warcs" / "a.warc.gz", 0)
    absolute = crawl(tmp_path / "b.warc.gz", 2)
    text = f"# CC-NEWS style listing\nwarcs/a.warc.gz\n\n{absolute}\n".encode()
    listing = tmp_path / ("warc.paths.gz" if compress else "warc.paths")
    listing.write_bytes(gzip.compress(text) if compress else text)
    result = run("backfill", "--workers", "0", str(listing))
    assert result.exit_code == 0, result.stderr
    assert len(stored(db_path)) == 4


@pytest.mark.parametrize("prefetch", [[], ["--prefetch", "0"]], ids=["downloaded-ahead", "each-task-downloads"])
def test_warcs_and_a_listing_on_a_server_are_fetched_and_an_unreachable_one_fails_alone(run, db_path, tmp_path, server,
                                                                                        prefetch):
    server.routes["/crawl/a.warc.gz"] = Response(body=crawl(tmp_path / "a.warc.gz", 0).read_bytes(), content_type="application/gzip")
    server.routes["/crawl/b.warc.gz"] = Response(body=crawl(tmp_path / "b.warc.gz", 2).read_bytes(), content_type="application/gzip")
    server.routes["/crawl/warc.paths.gz"] = Response(
        body=gzip.compress(b"crawl/b.warc.gz\ncrawl/missing.warc.gz\n"), content_type="application/gzip")
    args = ["backfill", "--workers", "0", *prefetch, "--base", server.url("/"), server.url("/crawl/a.warc.gz"),
            server.url("/crawl/warc.paths.gz")]
    result = run(*args)
    assert result.exit_code == 1
    assert len(stored(db_path)) == 4
    assert "missing.warc.gz" in result.stderr and "404" in result.stderr
    spool = db_path.with_name(db_path.name + "-spool")
    assert (list(spool.iterdir()) == []) if not prefetch else not spool.exists()
    again = run(*args)
    assert "2 finished before" in again.stdout and len(stored(db_path)) == 4


def test_bad_input_is_counted_and_the_rest_goes_on_with_exit_1(run, db_path, tmp_path):
    good = crawl(tmp_path / "good.warc.gz", 0)
    broken = write_warc(tmp_path / "broken.warc.gz", [
        Page(url="https://cells.example/news/9", body=battery_story(9)),
        Page(url="https://cells.example/bad", body=b"", raw_http=b"not an HTTP response\r\n\r\n")])
    not_warc = tmp_path / "notes.warc"
    not_warc.write_text("my notes\n")
    result = run("backfill", "--workers", "0", str(good), str(broken), str(not_warc), str(tmp_path / "gone.warc.gz"))
    assert result.exit_code == 1
    assert len(stored(db_path)) == 3
    assert "notes.warc: not a WARC file" in result.stderr and "gone.warc.gz" in result.stderr
    assert "2 failed" in result.stdout and "1 broken" in result.stdout


def test_json_log_lines_tell_each_slice(db_path, tmp_path):
    # a real process: logging is set up once per process, as it is for a user
    import subprocess
    import sys

    warc = crawl(tmp_path / "a.warc.gz", 0)
    done = subprocess.run([sys.executable, "-m", "monitor", "--db", str(db_path), "--log-format", "json",
                           "backfill", "--workers", "0", str(warc)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    [slice_line] = [line for line in lines if line.get("next_offset", 0) is None]
    assert (slice_line["file"], slice_line["read"], slice_line["kept"]) == (str(warc), 3, 2)
    assert (slice_line["files_done"], slice_line["files"], slice_line["seconds_left"]) == (1, 1, 0)
    assert "3 records read" in done.stdout


def test_host_filters_keep_the_hosts_asked_for_and_under_them(run, db_path, tmp_path):
    pages = [Page(url=f"https://{host}/news/{n}", body=battery_story(n))
             for n, host in enumerate(["cells.example", "www.cells.example", "mycells.example", "live.cells.example"])]
    warc = write_warc(tmp_path / "hosts.warc.gz", pages)
    result = run("backfill", "--workers", "0", "--host", "Cells.Example", "--exclude-host", "live.cells.example", str(warc))
    assert result.exit_code == 0, result.stderr
    assert stored(db_path) == ["https://cells.example/news/0", "https://www.cells.example/news/1"]


@pytest.mark.parametrize("args, message", [
    (["--since", "2024-13-01"], "is not a date"),
    (["--since", "2024-05-01", "--until", "2024-01-01"], "after --until"),
    (["--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"], "exclude each other"),
    (["--host", "electrek.co/news"], "not a host name"),
    (["--exclude-host", ""], "not a host name"),
    (["--language", "english"], "not a language code"),
    (["--prefetch", "-1"], "not in the range x>=0"),
])
def test_bad_options_exit_2_with_one_line(run, tmp_path, args, message):
    result = run("backfill", *args, str(tmp_path / "a.warc.gz"))
    assert result.exit_code == 2 and message in result.stderr

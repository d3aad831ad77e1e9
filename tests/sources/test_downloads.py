"""Downloads to disk resumed with Range / If-Range from a real loopback server serving real WARC.gz
files: a .part goes on from its length only when the server still has that version of the file,
starts over otherwise, and never takes the final name before it is complete."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
from support import ROOT
from support.backfill import crawl
from support.daemon import wait_for
from support.loopback import RangedFile, Response

from monitor.config import Settings
from monitor.errors import FetchError
from monitor.sources.downloads import download_file, part_path
from monitor.sources.warc import read_warc

SETTINGS = Settings()
LAST_MODIFIED = "Tue, 05 Mar 2024 10:00:00 GMT"


@pytest.fixture
def warc_bytes(tmp_path) -> bytes:
    return crawl(tmp_path / "source.warc.gz", 0, 12).read_bytes()


def interrupted(tmp_path, url: str, offset: int, note: dict) -> os.PathLike:
    """What a download killed at byte `offset` leaves: the file's first bytes in the .part, the note."""
    target = tmp_path / "spool" / "a.warc.gz"
    target.parent.mkdir(exist_ok=True)
    part_path(target).write_bytes(note.pop("_bytes")[:offset])
    target.with_name(target.name + ".part.json").write_text(json.dumps({"url": url, **note}))
    return target


def test_a_download_is_written_whole_under_its_name_with_nothing_left_beside_it(tmp_path, server, warc_bytes):
    server.routes["/a.warc.gz"] = served = RangedFile(warc_bytes)
    target = tmp_path / "a.warc.gz"
    assert download_file(server.url("/a.warc.gz"), target, settings=SETTINGS) == target
    assert target.read_bytes() == warc_bytes and [p.name for p in tmp_path.iterdir()] == ["a.warc.gz", "source.warc.gz"]
    assert served.answers == [(200, None)] and server.requests[0][2]["Accept-Encoding"] == "identity"
    assert sum(1 for _ in read_warc(target)) == 18


@pytest.mark.parametrize("validator", [{"etag": '"v1"'}, {"last_modified": LAST_MODIFIED}],
                         ids=["etag", "last-modified"])
def test_an_interrupted_download_goes_on_from_the_length_of_its_part(tmp_path, server, warc_bytes, validator):
    server.routes["/a.warc.gz"] = served = RangedFile(warc_bytes, etag=validator.get("etag"),
                                                      last_modified=LAST_MODIFIED)
    url = server.url("/a.warc.gz")
    target = interrupted(tmp_path, url, 5000, {"_bytes": warc_bytes, **validator, "length": len(warc_bytes)})
    download_file(url, target, settings=SETTINGS)
    assert target.read_bytes() == warc_bytes and not part_path(target).exists()
    assert served.answers == [(206, "bytes=5000-")]
    assert server.requests[0][2]["If-Range"] == next(iter(validator.values()))


def test_a_server_that_ignores_range_is_read_again_from_the_start(tmp_path, server, warc_bytes):
    server.routes["/a.warc.gz"] = served = RangedFile(warc_bytes, ranges=False)
    url = server.url("/a.warc.gz")
    target = interrupted(tmp_path, url, 5000, {"_bytes": warc_bytes, "etag": '"v1"', "length": len(warc_bytes)})
    download_file(url, target, settings=SETTINGS)
    assert target.read_bytes() == warc_bytes and served.answers == [(200, "bytes=5000-")]


def test_a_file_changed_on_the_server_is_never_spliced_onto_the_old_start(tmp_path, server, warc_bytes):
    old = crawl(tmp_path / "old.warc.gz", 40, 12).read_bytes()
    server.routes["/a.warc.gz"] = served = RangedFile(warc_bytes, etag='"v2"')
    url = server.url("/a.warc.gz")
    target = interrupted(tmp_path, url, 5000, {"_bytes": old, "etag": '"v1"', "length": len(old)})
    download_file(url, target, settings=SETTINGS)
    assert target.read_bytes() == warc_bytes and served.answers == [(200, "bytes=5000-")]


def test_a_partial_answer_of_another_version_starts_over_without_a_range(tmp_path, server, warc_bytes):
    """A server that honours Range but not If-Range: the 206's own ETag shows the change."""
    old = crawl(tmp_path / "old.warc.gz", 40, 12).read_bytes()
    served = RangedFile(warc_bytes, etag='"v2"')

    def ignoring_if_range(handler):
        del handler.headers["If-Range"]
        return served(handler)

    server.routes["/a.warc.gz"] = ignoring_if_range
    url = server.url("/a.warc.gz")
    target = interrupted(tmp_path, url, 5000, {"_bytes": old, "etag": '"v1"', "length": len(old)})
    download_file(url, target, settings=SETTINGS)
    assert target.read_bytes() == warc_bytes and served.answers == [(206, "bytes=5000-"), (200, None)]


def test_a_part_without_a_validator_to_guard_it_is_not_continued(tmp_path, server, warc_bytes):
    server.routes["/a.warc.gz"] = served = RangedFile(warc_bytes, etag=None)
    url = server.url("/a.warc.gz")
    target = interrupted(tmp_path, url, 5000, {"_bytes": warc_bytes, "length": len(warc_bytes)})
    download_file(url, target, settings=SETTINGS)
    assert target.read_bytes() == warc_bytes and served.answers == [(200, None)]


def test_a_part_as_long_as_the_file_is_complete_without_asking_again(tmp_path, server, warc_bytes):
    server.routes["/a.warc.gz"] = served = RangedFile(warc_bytes)
    url = server.url("/a.warc.gz")
    target = interrupted(tmp_path, url, len(warc_bytes), {"_bytes": warc_bytes, "etag": '"v1"', "length": len(warc_bytes)})
    download_file(url, target, settings=SETTINGS)
    assert target.read_bytes() == warc_bytes and served.answers == []


def test_a_part_longer_than_the_file_now_is_refused_a_range_and_started_over(tmp_path, server, warc_bytes):
    server.routes["/a.warc.gz"] = served = RangedFile(warc_bytes[:3000])
    url = server.url("/a.warc.gz")
    target = interrupted(tmp_path, url, 5000, {"_bytes": warc_bytes, "etag": '"v1"', "length": len(warc_bytes)})
    download_file(url, target, settings=SETTINGS)
    assert target.read_bytes() == warc_bytes[:3000] and served.answers == [(416, "bytes=5000-"), (200, None)]


def test_an_answer_cut_short_keeps_its_part_for_the_next_try_and_never_the_name(tmp_path, server, warc_bytes):
    def cut_short(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(warc_bytes)))
        handler.send_header("ETag", '"v1"')
        handler.end_headers()
        handler.wfile.write(warc_bytes[:7000])
        handler.close_connection = True

    server.routes["/a.warc.gz"] = cut_short
    target = tmp_path / "a.warc.gz"
    with pytest.raises(FetchError, match="broke the connection"):
        download_file(server.url("/a.warc.gz"), target, settings=SETTINGS, retries=0)
    assert not target.exists() and part_path(target).read_bytes() == warc_bytes[:7000]
    server.routes["/a.warc.gz"] = served = RangedFile(warc_bytes)
    download_file(server.url("/a.warc.gz"), target, settings=SETTINGS)
    assert target.read_bytes() == warc_bytes and served.answers == [(206, "bytes=7000-")]


def test_a_connection_lost_half_way_is_tried_again_from_what_arrived(tmp_path, server, warc_bytes):
    served = RangedFile(warc_bytes)
    answers = []

    def lost_once(handler):
        answers.append(handler.headers.get("Range"))
        if len(answers) > 1:
            return served(handler)
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(warc_bytes)))
        handler.send_header("ETag", '"v1"')
        handler.end_headers()
        handler.wfile.write(warc_bytes[:7000])
        handler.close_connection = True

    server.routes["/a.warc.gz"] = lost_once
    target = download_file(server.url("/a.warc.gz"), tmp_path / "a.warc.gz", settings=SETTINGS)
    assert target.read_bytes() == warc_bytes and answers == [None, "bytes=7000-"]


def test_a_server_failing_every_try_fails_the_download_after_the_retries(tmp_path, server):
    server.routes["/a.warc.gz"] = Response(503, "busy", headers={"Retry-After": "0"})
    with pytest.raises(FetchError, match="HTTP 503"):
        download_file(server.url("/a.warc.gz"), tmp_path / "a.warc.gz", settings=SETTINGS, retries=2)
    assert len(server.requests) == 3


def test_a_download_failing_with_an_http_error_names_it(tmp_path, server):
    with pytest.raises(FetchError, match="HTTP 404"):
        download_file(server.url("/gone.warc.gz"), tmp_path / "gone.warc.gz", settings=SETTINGS)
    assert not (tmp_path / "gone.warc.gz").exists()


def test_a_redirect_to_another_private_host_is_refused_as_for_feeds(tmp_path, server, second_server, warc_bytes):
    server.routes["/a.warc.gz"] = RangedFile(warc_bytes)
    second_server.routes["/a.warc.gz"] = Response(302, headers={"Location": server.url("/a.warc.gz")})
    with pytest.raises(FetchError, match="refusing a private or local address"):
        download_file(second_server.url("/a.warc.gz"), tmp_path / "a.warc.gz", settings=SETTINGS)
    assert server.requests == []


DOWNLOAD = """
import sys
from pathlib import Path
from monitor.config import Settings
from monitor.sources.downloads import download_file
download_file(sys.argv[1], Path(sys.argv[2]), settings=Settings())
"""


@pytest.mark.slow
def test_a_download_killed_half_way_goes_on_from_what_reached_the_disk(tmp_path, server):
    warc_bytes = crawl(tmp_path / "large.warc.gz", 0, 60).read_bytes()  # pieces above a file buffer's 8 KB
    server.routes["/a.warc.gz"] = served = RangedFile(warc_bytes)
    served.pause_at = len(warc_bytes) // 2
    target = tmp_path / "a.warc.gz"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", DOWNLOAD, server.url("/a.warc.gz"), str(target)], env=env)
    try:
        assert served.paused.wait(120), "the download never got half-way"
        wait_for(lambda: part_path(target).exists() and part_path(target).stat().st_size > 0, 120)
        child.send_signal(signal.SIGKILL)
        assert child.wait(60) == -signal.SIGKILL
    finally:
        served.resume.set()
        child.kill()
    kept = part_path(target).stat().st_size
    assert 0 < kept <= len(warc_bytes) // 2 and not target.exists()
    download_file(server.url("/a.warc.gz"), target, settings=SETTINGS)
    assert target.read_bytes() == warc_bytes
    assert served.answers == [(200, None), (206, f"bytes={kept}-")]

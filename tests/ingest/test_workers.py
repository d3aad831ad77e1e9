"""The extraction pool: pages analysed in worker processes, and the rules version claims carry."""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from monitor.config import Settings
from monitor.errors import ExtractError
from monitor.ingest import workers as extraction
from monitor.ingest.document import analyse_text
from monitor.ingest.workers import Extracted, Extractor
from monitor.models import Article, Fetched
from monitor.nlp.rulebook import rulebook
from monitor.resources import rules_dir

PAGE = (
    "<!doctype html><html lang='en'><head><title>Cell plant opens</title></head><body><article>"
    "<h1>Cell plant opens</h1>"
    "<p>Northvolt said on Monday that its plant in Skelleftea would make 16 GWh of cells a year "
    "once both lines run, enough for about 200,000 cars.</p>"
    "<p>\"We will not chase volume at any price,\" said Peter Carlsson, the chief executive, "
    "speaking to reporters at the opening of the second line.</p>"
    "<p>Suppliers in China still hold 77% of global cell capacity, according to the company.</p>"
    "</article></body></html>"
)


def fetched(n: int) -> Fetched:
    url = f"https://cells.example/news/{n}"
    return Fetched(url=url, final_url=url, body=PAGE.encode(), content_type="text/html")


def extract_all(extractor: Extractor, pages: list[Fetched]) -> list[Extracted | BaseException]:
    results: queue.Queue[Extracted | BaseException] = queue.Queue()
    for page in pages:
        extractor.submit(page, results.put)
    return [results.get(timeout=120) for _ in pages]


@pytest.mark.slow
def test_worker_processes_find_the_claims_and_are_replaced_without_losing_pages(monkeypatch):
    monkeypatch.setattr(extraction, "TASKS_PER_WORKER", 2)  # five pages: workers replaced twice
    with Extractor(Settings(), processes=1) as extractor:
        results = extract_all(extractor, [fetched(n) for n in range(5)])
    assert all(isinstance(r, Extracted) for r in results), results
    for result in results:
        claims = {(c.kind, c.text) for c in result.analysis.claims}
        assert ("quantity", "16 GWh") in claims
        assert ("quantity", "77%") in claims
        assert ("company", "Northvolt") in claims
        speakers = [c.speaker for c in result.analysis.claims if c.kind == "quote"]
        assert speakers == ["Peter Carlsson"]
        assert result.raw_gzip is not None and result.analysis.article.raw_html is None
        assert result.analysis.rules_version == rulebook().version


@pytest.mark.slow
def test_a_worker_reports_a_page_without_text_as_an_error_and_goes_on():
    empty = Fetched(
        url="https://cells.example/empty", final_url="https://cells.example/empty",
        body=b"<html><body><nav><a href='/'>Home</a></nav></body></html>", content_type="text/html",
    )
    with Extractor(Settings(), processes=1) as extractor:
        failed, good = extract_all(extractor, [empty, fetched(1)])
    assert "no article text" in str(failed)
    assert isinstance(good, Extracted) and good.analysis.claims


def test_claims_carry_the_version_of_the_rules_that_found_them(tmp_path: Path):
    shipped, edited = tmp_path / "shipped", tmp_path / "edited"
    shutil.copytree(rules_dir(), shipped)
    shutil.copytree(rules_dir(), edited)
    with (edited / "hedges.json").open("a") as hedges:
        hedges.write("\n")
    article = Article(url="https://cells.example/a", text="CATL said its packs cost $115/kWh.")
    versions = [
        analyse_text(article, Settings(rules_dir=str(folder))).rules_version
        for folder in (shipped, edited)
    ]
    assert versions == [rulebook(shipped).version, rulebook(edited).version]
    assert versions[0] != versions[1]


# Run in a fresh interpreter: the fork server is started once per process, by its first pool.
# A bare pool from the context (no initializer) asks its worker for the configured pipeline and
# reports how many pipelines the worker then holds: 1 if it was the one inherited from the
# server, 2 if the server had built another (the default) and the worker had to build its own.
PRELOAD_PROBE = """
import sys
from monitor.ingest import workers as extraction
from monitor.config import Settings

folder, asked = sys.argv[1], sys.argv[-1]
with extraction.pool_context(Settings(rules_dir=folder)).Pool(1) as pool:
    held = pool.apply(eval, (
        "(lambda nlp: nlp.load_pipeline(%r, None) and nlp.load_pipeline.cache_info().currsize)"
        "(__import__('monitor.nlp.pipeline', fromlist=['nlp']))" % asked,
    ))
print(held)
"""


@pytest.mark.slow
@pytest.mark.skipif(
    "forkserver" not in multiprocessing.get_all_start_methods(), reason="no fork server here"
)
def test_workers_inherit_the_configured_rules_pipeline_from_the_fork_server(tmp_path: Path):
    folder = tmp_path / "analyst-rules"
    shutil.copytree(rules_dir(), folder)

    def pipelines_in_a_worker(*folders: Path) -> str:
        probe = subprocess.run(
            [sys.executable, "-c", PRELOAD_PROBE, *map(str, folders)],
            capture_output=True, text=True, timeout=180, check=True,
        )
        return probe.stdout.strip()

    assert pipelines_in_a_worker(folder) == "1"
    # the probe can tell: a worker asked for other rules than the server's builds a second pipeline
    assert pipelines_in_a_worker(folder, rules_dir()) == "2"


def slow_page() -> Fetched:
    """A page long enough that a worker is still extracting it when the test kills the worker."""
    paragraphs = "".join(
        f"<p>Plant {n} in Ohio will make {n} GWh of cells a year, the company said.</p>"
        for n in range(20_000)
    )
    body = f"<html><head><title>Long</title></head><body><article>{paragraphs}</article></body></html>"
    url = "https://cells.example/long"
    return Fetched(url=url, final_url=url, body=body.encode(), content_type="text/html")


def wait_until(condition, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.01)


@pytest.mark.slow
def test_a_worker_killed_mid_page_fails_that_page_alone_and_is_replaced():
    results: queue.Queue[Extracted | BaseException] = queue.Queue()
    with Extractor(Settings(), processes=1) as extractor:
        extractor.submit(slow_page(), results.put)
        pool = extractor._pool
        wait_until(lambda: pool.workers and pool.workers[0].page is not None)
        os.kill(pool.workers[0].process.pid, signal.SIGKILL)
        failed = results.get(timeout=120)
        assert isinstance(failed, ExtractError) and "worker died (signal 9)" in str(failed)
        [good] = extract_all(extractor, [fetched(1)])
    assert isinstance(good, Extracted) and good.analysis.claims


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_workers_ignore_a_signal_to_the_process_group_and_terminate_still_ends_them(signum):
    with Extractor(Settings(), processes=2) as extractor:
        extract_all(extractor, [fetched(1), fetched(2)])
        processes = [w.process for w in extractor._pool.workers]
        for process in processes:  # what a signal to the whole group does to them
            os.kill(process.pid, signum)
        [good] = extract_all(extractor, [fetched(3)])
        assert isinstance(good, Extracted)
        assert all(p.is_alive() for p in processes)
        extractor.terminate()
    assert not any(p.is_alive() for p in processes)


def napping_pool(*, tasks_per_worker: int = 100, ahead: int = 1) -> extraction.WorkerPool:
    """A pool of one worker that naps on each message (tests/support/napping.py)."""
    from support.napping import serve_naps

    return extraction.WorkerPool(Settings(), 1, serve=serve_naps, serve_args=(), tasks_per_worker=tasks_per_worker,
                                 ahead=ahead)


def submit_naps(pool: extraction.WorkerPool, *messages: tuple[float, object]) -> list[queue.Queue]:
    answers = []
    for message in messages:
        answers.append(queue.Queue())
        pool.submit_task(message, answers[-1].put, f"nap {message}")
    return answers


@pytest.mark.slow
def test_a_busy_worker_is_sent_its_next_task_ahead_and_runs_both():
    pool = napping_pool(ahead=1)
    try:
        first, second = submit_naps(pool, (1.0, ""), (0.0, ""))
        wait_until(lambda: pool.workers and len(pool.workers[0].held) == 2)  # both sent while it naps
        assert first.get(timeout=60) == second.get(timeout=60) == pool.workers[0].process.pid
    finally:
        pool.terminate()


@pytest.mark.slow
def test_a_message_too_large_for_the_pipe_waits_until_its_worker_is_idle():
    pool = napping_pool(ahead=1)
    try:
        first, large = submit_naps(pool, (1.0, ""), (0.0, "x" * (2 * extraction.AHEAD_BYTES)))
        wait_until(lambda: pool.workers and pool.workers[0].page is not None)
        time.sleep(0.3)
        assert len(pool.workers[0].held) == 1 and len(pool.queue) == 1
        assert first.get(timeout=60) == large.get(timeout=60)
    finally:
        pool.terminate()


@pytest.mark.slow
def test_a_worker_killed_with_a_task_in_its_pipe_fails_only_the_task_it_ran():
    pool = napping_pool(ahead=1)
    try:
        dying, waiting = submit_naps(pool, (0.5, "die"), (0.0, ""))
        failed = dying.get(timeout=60)
        assert isinstance(failed, ExtractError) and "worker died (signal 9)" in str(failed)
        assert isinstance(waiting.get(timeout=60), int)  # run by the worker that replaced it
    finally:
        pool.terminate()


@pytest.mark.slow
def test_a_worker_sent_its_last_task_has_its_successor_started_and_waiting():
    pool = napping_pool(tasks_per_worker=2, ahead=1)
    try:
        answers = submit_naps(pool, (0.5, ""), (0.5, ""), (0.0, ""))
        wait_until(lambda: pool.successors)  # started while the first worker naps, given nothing yet
        successor = pool.successors[0].process.pid
        first, second, third = (answer.get(timeout=60) for answer in answers)
        assert first == second != third == successor
    finally:
        pool.terminate()


@pytest.mark.slow
def test_a_pool_started_now_has_its_workers_running_before_its_first_task():
    from support.napping import serve_naps

    pool = extraction.WorkerPool(Settings(), 2, serve=serve_naps, serve_args=(), start_now=True)
    try:
        wait_until(lambda: len(pool.workers) == 2 and all(w.process.is_alive() for w in pool.workers))
        [answer] = submit_naps(pool, (0.0, ""))
        assert answer.get(timeout=60) in {w.process.pid for w in pool.workers}
    finally:
        pool.terminate()

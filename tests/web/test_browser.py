"""The review page in a real headless browser: Debian's chromium driven by playwright."""

import os
import shutil
import socket
import subprocess
import sys
import time

import httpx
import pytest
from support import analyst_db

pytestmark = pytest.mark.slow
pytest.importorskip("datasette", reason="Datasette is the optional [ui] extra")
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (make test installs it)"
)

CHROMIUM = next(
    (
        p
        for p in (
            os.environ.get("CHROMIUM"),
            shutil.which("chromium"),
            shutil.which("chromium-browser"),
            shutil.which("google-chrome"),
        )
        if p
    ),
    None,
)
PASSWORD = "correct horse battery"
REBOUND_NAME = "rebind.attacker.test"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # A name the attacker's DNS points at this machine (DNS rebinding), without a DNS server.
    f"--host-resolver-rules=MAP {REBOUND_NAME} 127.0.0.1",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    return tmp_path_factory.mktemp("browser") / "monitor.db"


@pytest.fixture(scope="module")
def server(db_path):
    """One `monitor serve` process for the module: starting it is most of the test's time."""
    from monitor.review.reviewers import add_reviewer

    add_reviewer(analyst_db.build(db_path), "ana", PASSWORD)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor", "--db", str(db_path), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/-/versions.json", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            if proc.poll() is not None:
                pytest.fail(f"monitor serve exited: {proc.stdout.read().decode()}")
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("no chromium: apt-get install chromium (make test does it where it can)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()  # fresh cookies and storage for each test
    yield context.new_page()
    context.close()


def test_accept_reject_and_note_from_the_browser(server, page, db_path):
    from monitor.storage.connection import open_db

    page.goto(server + "/-/review?kind=quantity")
    assert page.locator(".claim button").count() == 0  # reading is open, reviewing is not
    page.click("#sign-in")
    page.fill("#name", "ana")
    page.fill("#password", PASSWORD)
    page.click("#login input[type=submit]")
    sync_api.expect(page.locator("#reviewer")).to_have_text("ana")
    assert page.url == server + "/-/review?kind=quantity"
    first, second = page.locator(".claim").nth(0), page.locator(".claim").nth(1)
    first_id, second_id = int(first.get_attribute("data-id")), int(second.get_attribute("data-id"))
    assert first.locator("mark").inner_text() == "83%"

    first.locator("button.accept").click()
    sync_api.expect(first.locator(".status")).to_have_text("accepted")
    second.locator("input.note").fill("BNEF counts differently")
    second.locator("button.reject").click()
    sync_api.expect(second.locator(".status")).to_have_text("rejected")

    db = open_db(db_path)
    assert (
        db["claims"].get(first_id)["review_status"],
        db["claims"].get(first_id)["reviewer"],
    ) == ("accepted", "ana")
    assert db["claims"].get(second_id)["review_note"] == "BNEF counts differently"
    assert [
        (r["claim"], r["new_status"]) for r in db.query("SELECT * FROM review_log ORDER BY id")
    ] == [(first_id, "accepted"), (second_id, "rejected")]

    page.reload()  # reviewed claims leave the queue
    assert first_id not in [
        int(x) for x in page.locator(".claim").evaluate_all("els => els.map(e => e.dataset.id)")
    ]


def test_charts_render_in_the_browser(server, page):
    page.goto(server + "/-/charts")
    assert page.locator("figure.chart svg").count() == 3
    assert page.locator("polyline.series").count() >= 4
    assert page.locator("figure.chart svg").first.bounding_box()["width"] > 300


def test_a_claims_timeline_shows_its_conflict_in_the_browser(server, page):
    page.goto(server + "/-/claims")
    page.locator("tr.claim a").first.click()
    page.wait_for_url("**/-/claims/timeline?key=*")
    chart = page.locator("figure#timeline svg")
    assert chart.bounding_box()["width"] > 300
    ringed = page.locator("circle.figure.conflict")
    assert ringed.count() == 2
    heights = sorted(ringed.nth(i).bounding_box()["y"] for i in range(2))
    assert heights[1] - heights[0] > 50  # 83% drawn well above 77%
    assert page.locator("line.conflict-pair").count() == 1
    assert page.locator("tr.conflict").count() == 1


ATTACK_PAGE = """<!doctype html><html><body><p>Cute cat pictures</p>
<form id="f" method="post" action="{target}/monitor/review_claim">
<input name="id" value="{claim}"><input name="status" value="rejected">
<input name="note" value="mallory was here"><input name="csrftoken" id="t">
</form>
<script>
// Cookies ignore ports: this page on another loopback port reads the review site's CSRF cookie.
const token = (document.cookie.match(/ds_csrftoken=([^;]+)/) || [])[1] || "";
window.stolen = token;
document.getElementById("t").value = token;
document.getElementById("f").submit();
</script></body></html>"""


def signed_in(page, server):
    page.goto(server + "/-/login")
    page.fill("#name", "ana")
    page.fill("#password", PASSWORD)
    page.click("#login input[type=submit]")
    sync_api.expect(page.locator(".actor")).to_contain_text("ana")


def pending_claim(db_path) -> int:
    from monitor.storage.connection import open_db

    return open_db(db_path).execute(
        "SELECT min(id) FROM claims WHERE review_status = 'pending'"
    ).fetchone()[0]


def review_of(db_path, claim_id):
    from monitor.storage.connection import open_db

    db = open_db(db_path)
    row = db["claims"].get(claim_id)
    logged = db.execute("SELECT count(*) FROM review_log WHERE claim = ?", [claim_id]).fetchone()[0]
    return row["review_status"], row["review_note"], logged


def test_a_page_on_another_loopback_port_cannot_submit_a_review(server, page, db_path):
    from support.loopback import LoopbackServer, Response

    signed_in(page, server)
    claim = pending_claim(db_path)
    attacker = LoopbackServer().start()
    try:
        attacker.routes["/cats.html"] = Response(
            200, ATTACK_PAGE.format(target=server, claim=claim)
        )
        page.goto(f"http://127.0.0.1:{attacker.port}/cats.html")
        page.wait_for_url(server + "/monitor/review_claim")
    finally:
        attacker.stop()
    # The attack had all a browser gives: the reviewer's cookies went with it and it knew the token.
    assert "Write refused: the request came from another site (same-site)" in page.content()
    assert review_of(db_path, claim) == ("pending", None, 0)


def test_a_dns_rebinding_page_can_neither_read_nor_write(server, page, db_path):
    signed_in(page, server)
    claim = pending_claim(db_path)
    port = server.rsplit(":", 1)[1]
    rebound = f"http://{REBOUND_NAME}:{port}"
    response = page.goto(rebound + "/-/review")
    assert response.status == 400
    assert f"Host '{REBOUND_NAME}:{port}' is not served here" in page.content()
    # The attacker's script runs in the rebound origin: same-origin to it, so fetch may read.
    outcome = page.evaluate(
        """async (claim) => {
            const read = await fetch("/monitor/claims.json?_shape=array");
            const write = await fetch("/monitor/review_claim", {method: "POST",
                body: new URLSearchParams({id: claim, status: "rejected", note: "rebound", _json: "1"})});
            return [read.status, await read.text(), write.status];
        }""",
        str(claim),
    )
    assert outcome[0] == 400 and outcome[2] == 400
    assert "Robin Zeng" not in outcome[1] and "is not served here" in outcome[1]
    assert review_of(db_path, claim) == ("pending", None, 0)

"""Reviewers' sign-in on `monitor serve`: who may write a review, who is recorded, who may read."""

import time

import pytest
from support import analyst_db
from support.datasette_site import open_site, post_review, sign_in

pytest.importorskip("datasette", reason="Datasette is the optional [ui] extra")

from monitor.review import reviewers  # noqa: E402
from monitor.storage.connection import open_db  # noqa: E402
from monitor.web import auth  # noqa: E402
from monitor.web.serve import make_datasette  # noqa: E402

PASSWORD = "correct horse battery"


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
def db(db_path):
    db = analyst_db.build(db_path)
    reviewers.add_reviewer(db, "ana", PASSWORD)
    return db


@pytest.fixture
def ds(db, db_path):
    return make_datasette(db_path)


def review_state(db, claim_id):
    row = db["claims"].get(claim_id)
    return row["review_status"], row["reviewer"], row["review_note"]


def log_rows(db):
    return [(r["claim"], r["reviewer"], r["new_status"], r["note"]) for r in db["review_log"].rows]


@pytest.mark.anyio
async def test_a_review_without_signing_in_is_refused_and_nothing_changes(ds, db):
    async with await open_site(ds) as site:
        response = await site.post(
            "/monitor/review_claim",
            data={"id": "2", "status": "rejected", "reviewer": "mallory", "_json": "1"},
        )
    assert response.status_code == 403
    assert review_state(db, 2) == ("pending", None, None)
    assert log_rows(db) == []


@pytest.mark.anyio
async def test_the_reviewer_recorded_is_the_signed_in_one_whatever_the_form_says(ds, db):
    async with await open_site(ds) as site:
        assert (await sign_in(site, "ana", PASSWORD)).status_code == 302
        response = await post_review(
            site, id="2", status="rejected", note="BNEF counts differently",
            reviewer="mallory", _actor_id="mallory",
        )
    assert response.json()["ok"] is True, response.text
    assert review_state(db, 2) == ("rejected", "ana", "BNEF counts differently")
    assert log_rows(db) == [(2, "ana", "rejected", "BNEF counts differently")]


@pytest.mark.anyio
async def test_an_empty_review_post_changes_nothing_and_keeps_the_reviewer(ds, db):
    async with await open_site(ds) as site:
        await sign_in(site, "ana", PASSWORD)
        await post_review(site, id="2", status="accepted")
        response = await post_review(site, id="2", status="", note="")
    assert response.json()["message"] == "Query executed, 0 rows affected"
    assert review_state(db, 2) == ("accepted", "ana", None)
    assert log_rows(db) == [(2, "ana", "accepted", None)]


@pytest.mark.anyio
@pytest.mark.parametrize(
    "name,password", [("ana", "wrong horse battery"), ("nobody", PASSWORD), ("", ""), ("ana", "")]
)
async def test_a_wrong_name_or_password_does_not_sign_in(ds, name, password):
    async with await open_site(ds) as site:
        response = await sign_in(site, name, password)
        assert response.status_code == 403
        assert "Wrong reviewer name or password." in response.text
        assert "ds_actor" not in site.cookies
        assert (await site.get("/-/actor.json")).json() == {"actor": None}


@pytest.mark.anyio
async def test_signing_in_sets_an_http_only_cookie_and_goes_back_to_the_page(ds):
    async with await open_site(ds) as site:
        response = await sign_in(site, "ana", PASSWORD, next="/-/review?kind=quote")
        assert response.headers["location"] == "/-/review?kind=quote"
        cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie" and "ds_actor" in v)
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie
        assert (await site.get("/-/actor.json")).json() == {"actor": {"id": "ana", "role": "reviewer"}}


@pytest.mark.anyio
@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
async def test_sign_in_never_redirects_to_another_site(ds, target):
    async with await open_site(ds) as site:
        response = await sign_in(site, "ana", PASSWORD, next=target)
    assert response.headers["location"] == "/"


@pytest.mark.anyio
async def test_removing_a_reviewer_ends_their_sign_in_at_once(ds, db):
    async with await open_site(ds) as site:
        await sign_in(site, "ana", PASSWORD)
        reviewers.remove_reviewer(db, "ana")
        assert (await site.get("/-/actor.json")).json() == {"actor": None}
        response = await post_review(site, id="2", status="accepted")
    assert response.status_code == 403
    assert review_state(db, 2) == ("pending", None, None)


@pytest.mark.anyio
async def test_a_new_password_ends_sign_ins_made_with_the_old_one(ds, db):
    async with await open_site(ds) as site:
        await sign_in(site, "ana", PASSWORD)
        reviewers.add_reviewer(db, "ana", "a brand new passphrase", reset=True)
        assert (await site.get("/-/actor.json")).json() == {"actor": None}


@pytest.mark.anyio
@pytest.mark.parametrize(
    "payload",
    [
        {"reviewer": "ana", "key": "0" * 32, "until": 2**40},  # a made-up key
        {"reviewer": "ana", "key": "VALID", "until": 1},  # expired
        {"reviewer": "ana", "key": "VALID", "until": "never"},
        {"a": {"id": "root"}},  # Datasette's own cookie shape: not a reviewer
    ],
)
async def test_cookies_that_are_not_a_current_sign_in_are_nobody(ds, db, payload):
    key = reviewers.current_session_key(db, "ana")
    payload = {k: (key if v == "VALID" else v) for k, v in payload.items()}
    async with await open_site(ds) as site:
        site.cookies.set("ds_actor", ds.sign(payload, "actor"), domain="localhost")
        assert (await site.get("/-/actor.json")).json() == {"actor": None}
        assert (await post_review(site, id="2", status="accepted")).status_code == 403


@pytest.mark.anyio
async def test_a_cookie_signed_with_another_secret_is_nobody(ds, db, db_path):
    other = make_datasette(db_path)
    cookie = auth.sign_in_cookie(other, "ana", reviewers.current_session_key(db, "ana"))
    async with await open_site(ds) as site:
        site.cookies.set("ds_actor", cookie, domain="localhost")
        assert (await site.get("/-/actor.json")).json() == {"actor": None}


@pytest.mark.anyio
async def test_five_failed_sign_ins_lock_the_name_for_a_while(ds):
    async with await open_site(ds) as site:
        for _ in range(auth.MAX_FAILURES):
            assert (await sign_in(site, "ana", "guess guess guess")).status_code == 403
        response = await sign_in(site, "ana", PASSWORD)
        assert response.status_code == 429 and "Too many failed sign-ins" in response.text
        assert "ds_actor" not in site.cookies


def test_the_throttle_forgets_failures_older_than_its_window():
    throttle = auth.LoginThrottle()
    for second in range(auth.MAX_FAILURES):
        throttle.failed("ana", 1000.0 + second)
    assert throttle.wait_seconds("ana", 1010.0) == pytest.approx(auth.FAILURE_WINDOW_SECONDS - 10)
    assert throttle.wait_seconds("bo", 1010.0) == 0
    assert throttle.wait_seconds("ana", 1000.0 + auth.FAILURE_WINDOW_SECONDS + 1) == 0


@pytest.mark.anyio
@pytest.mark.parametrize(
    "path",
    [
        "/monitor/reviewers",
        "/monitor/reviewers.json",
        "/monitor.json?sql=select+*+from+reviewers",
        "/monitor.json?sql=select+password_hash+from+(select+*+from+reviewers)",
        "/monitor.json?sql=select+group_concat(password_hash)+from+reviewers",
    ],
)
async def test_no_page_or_query_reads_the_password_hashes(ds, path):
    async with await open_site(ds) as site:
        await sign_in(site, "ana", PASSWORD)  # not even a reviewer
        response = await site.get(path)
    assert response.status_code in (400, 403)
    assert "scrypt$" not in response.text


@pytest.mark.anyio
async def test_reading_is_open_and_the_review_page_asks_to_sign_in(ds):
    async with await open_site(ds) as site:
        page = await site.get("/-/review")
        assert page.status_code == 200 and "<mark>" in page.text
        assert "Sign in to review" in page.text and "button" not in page.text.split("<h1>")[1]
        assert (await site.get("/monitor/claims.json")).status_code == 200
        await sign_in(site, "ana", PASSWORD)
        page = await site.get("/-/review")
    assert 'Reviewing as <strong id="reviewer">ana</strong>' in page.text
    assert 'class="accept"' in page.text


@pytest.fixture
def private_ds(db, db_path):
    return make_datasette(db_path, private=True)


@pytest.mark.anyio
@pytest.mark.parametrize(
    "path", ["/", "/monitor", "/monitor/claims", "/-/review", "/-/charts", "/-/claims"]
)
async def test_a_private_site_sends_visitors_to_sign_in(private_ds, path):
    async with await open_site(private_ds) as site:
        response = await site.get(path)
        assert response.status_code == 302
        assert response.headers["location"].startswith("/-/login?next=")
        await sign_in(site, "ana", PASSWORD)
        assert (await site.get(path)).status_code == 200


@pytest.mark.anyio
async def test_a_private_site_answers_json_clients_403(private_ds):
    async with await open_site(private_ds) as site:
        response = await site.get("/monitor/claims.json", headers={"accept": "application/json"})
    assert response.status_code in (302, 403)
    assert "Robin Zeng" not in response.text


def test_reviews_from_the_terminal_and_the_browser_log_alike(db):
    """The trigger logs a change of reviewer alone and a cleared note; no change goes unnamed."""
    import sqlite3

    db.execute("UPDATE claims SET review_note = 'x', reviewer = 'ana' WHERE id = 3")
    db.execute("UPDATE claims SET review_note = NULL, reviewer = 'bo' WHERE id = 3")
    db.execute("UPDATE claims SET reviewer = 'cy' WHERE id = 3")
    assert log_rows(db) == [(3, "ana", "pending", "x"), (3, "bo", "pending", ""), (3, "cy", "pending", None)]
    with pytest.raises(sqlite3.IntegrityError, match="must name its reviewer"):
        db.execute("UPDATE claims SET review_status = 'accepted', reviewer = NULL WHERE id = 3")
    with pytest.raises(sqlite3.IntegrityError, match="must name its reviewer"):
        db.execute("UPDATE claims SET reviewer = '  ' WHERE id = 3")


def test_sign_in_costs_the_same_for_a_name_that_does_not_exist(db):
    """Not a timing test: both paths run scrypt once (a miss must not answer at once)."""
    calls = []
    original = reviewers.passwords.verify_password
    reviewers.passwords.verify_password = lambda p, h: calls.append(h) or original(p, h)
    try:
        assert reviewers.sign_in(db, "nobody", PASSWORD) is None
        assert reviewers.sign_in(db, "ana", PASSWORD) == reviewers.current_session_key(db, "ana")
    finally:
        reviewers.passwords.verify_password = original
    assert len(calls) == 2 and all(h.startswith("scrypt$") for h in calls)


def test_a_reviewers_sign_in_lasts_a_working_day_not_for_ever(ds):
    payload = ds.unsign(auth.sign_in_cookie(ds, "ana", "k"), "actor")
    assert time.time() + 11 * 3600 < payload["until"] <= time.time() + 12 * 3600 + 1


def test_the_database_file_holds_no_password(db_path, db):
    files = [db_path, db_path.with_name(db_path.name + "-wal")]
    assert all(PASSWORD.encode() not in f.read_bytes() for f in files if f.exists())
    assert open_db(db_path)["reviewers"].get("ana")["password_hash"].startswith("scrypt$16384$8$1$")

"""Reviewers' sign-in on Datasette's own actor and permission machinery (a plugin of its hooks).

`/-/login` checks a name and password against the `reviewers` table and sets Datasette's signed
`ds_actor` cookie; `actor_from_request` turns that cookie back into the actor
`{"id": name, "role": "reviewer"}` while the reviewer exists with the same password. What an
actor may do is said by `allow` blocks in the metadata (the `review_claim` query; the whole
instance under `serve --private`). Datasette's own connections may not read `reviewers`.
"""

from __future__ import annotations

import asyncio
import hmac
import sqlite3
import time
import weakref
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

import sqlite_utils
from datasette import hookimpl
from datasette.utils.asgi import Response
from itsdangerous import BadSignature

from monitor.review import reviewers
from monitor.storage import connection

T = TypeVar("T")

COOKIE = "ds_actor"  # Datasette's own: its /-/logout ends a reviewer's sign-in too
SIGN_IN_HOURS = 12
REVIEWER_ROLE = "reviewer"
ACCOUNTS_TABLE = "reviewers"
MAX_FAILURES, FAILURE_WINDOW_SECONDS = 5, 600


def reviewer_actor(name: str) -> dict[str, str]:
    """The actor a signed-in reviewer is, as `allow` blocks see it."""
    return {"id": name, "role": REVIEWER_ROLE}


def reviewers_only() -> dict[str, str]:
    """The `allow` block that admits signed-in reviewers and nobody else."""
    return {"role": REVIEWER_ROLE}


class LoginThrottle:
    """At most MAX_FAILURES failed sign-ins per reviewer name in FAILURE_WINDOW_SECONDS.

    Keyed by name, not address: behind a proxy every client has the proxy's address."""

    def __init__(self) -> None:
        self.failures: dict[str, deque[float]] = {}

    def wait_seconds(self, name: str, now: float) -> float:
        """0 when a sign-in may be tried now, else how long until one may."""
        recent = self.failures.get(name)
        while recent and recent[0] <= now - FAILURE_WINDOW_SECONDS:
            recent.popleft()
        if not recent or len(recent) < MAX_FAILURES:
            return 0.0
        return recent[0] + FAILURE_WINDOW_SECONDS - now

    def failed(self, name: str, now: float) -> None:
        self.failures.setdefault(name, deque()).append(now)

    def succeeded(self, name: str) -> None:
        self.failures.pop(name, None)


_throttles: weakref.WeakKeyDictionary[Any, LoginThrottle] = weakref.WeakKeyDictionary()


def _database_path(datasette) -> Path:
    """The monitor database: the one file Datasette was given."""
    return Path(
        next(db.path for name, db in datasette.databases.items() if not name.startswith("_"))
    )


async def with_accounts(datasette, fn: Callable[[sqlite_utils.Database], T]) -> T:
    """Run fn on a read-only connection of our own: Datasette's connections cannot read reviewers."""
    path = _database_path(datasette)

    def run() -> T:
        conn = connection.connect_read_only(path)
        try:
            return fn(sqlite_utils.Database(conn))
        finally:
            conn.close()

    return await asyncio.to_thread(run)


@hookimpl
def actor_from_request(datasette, request):
    """The reviewer a valid, unexpired sign-in cookie names, if they still have that password."""
    signed = request.cookies.get(COOKIE)
    if not signed:
        return None
    try:
        payload = datasette.unsign(signed, "actor")
    except BadSignature:
        return None
    # Datasette's own cookie reader answers payloads with an "a" key; ours carry "reviewer".
    if not isinstance(payload, dict) or not isinstance(payload.get("reviewer"), str):
        return None
    if not isinstance(payload.get("until"), int) or payload["until"] < time.time():
        return None
    name, key = payload["reviewer"], str(payload.get("key", ""))

    async def check():
        current = await with_accounts(
            datasette, lambda db: reviewers.current_session_key(db, name)
        )
        if current is None or not hmac.compare_digest(current, key):
            return None
        return reviewer_actor(name)

    return check


def sign_in_cookie(datasette, name: str, key: str) -> str:
    until = int(time.time()) + SIGN_IN_HOURS * 3600
    return datasette.sign({"reviewer": name, "key": key, "until": until}, "actor")


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site, never another site (no open redirect)."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(c) < 32 for c in target)
    ):
        return "/"
    return target


async def login_page(datasette, request) -> Response:
    throttle = _throttles.setdefault(datasette, LoginThrottle())
    error, status, name = None, 200, ""
    next_path = safe_next(request.args.get("next"))
    if request.method == "POST":
        form = await request.post_vars()
        name = (form.get("name") or "").strip()[:64]
        password = form.get("password") or ""
        next_path = safe_next(form.get("next"))
        wait = throttle.wait_seconds(name, time.monotonic())
        if wait:
            error = f"Too many failed sign-ins for {name}: try again in {int(wait // 60) + 1} minute(s)."
            status = 429
        else:
            key = await with_accounts(datasette, lambda db: reviewers.sign_in(db, name, password))
            if key is not None:
                throttle.succeeded(name)
                response = Response.redirect(next_path)
                response.set_cookie(
                    COOKIE,
                    sign_in_cookie(datasette, name, key),
                    max_age=SIGN_IN_HOURS * 3600,
                    httponly=True,
                    samesite="lax",
                    secure=request.scheme == "https",
                )
                return response
            throttle.failed(name, time.monotonic())
            error, status = "Wrong reviewer name or password.", 403
    return Response.html(
        await datasette.render_template(
            "monitor_login.html",
            {"error": error, "name": name, "next": next_path},
            request=request,
        ),
        status=status,
    )


@hookimpl
def register_routes():
    return [(r"^/-/login$", login_page)]


@hookimpl
def forbidden(datasette, request, message):
    """Send a visitor who is not signed in to the sign-in page rather than a bare 403."""
    if request.actor is not None or request.method != "GET":
        return None
    next_path = request.full_path if hasattr(request, "full_path") else request.path
    return Response.redirect(datasette.urls.path("/-/login") + "?" + urlencode({"next": next_path}))


@hookimpl
def permission_allowed(datasette, actor, action, resource):
    """Nobody reads the accounts table through Datasette, whatever the metadata says."""
    if action == "view-table" and resource is not None and resource[1] == ACCOUNTS_TABLE:
        return False
    return None


def refuse_account_reads(action: int, table: str | None, column: str | None, *_: Any) -> int:
    """SQLite authorizer: no SELECT (arbitrary SQL, views, canned queries) reads a column of the
    accounts. Counting rows reads none (column ""), so Datasette's table counts still work."""
    if action == sqlite3.SQLITE_READ and table == ACCOUNTS_TABLE and column:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


@hookimpl
def prepare_connection(conn):
    conn.set_authorizer(refuse_account_reads)


@hookimpl
def menu_links(datasette, actor):
    if actor is None:
        return [{"href": datasette.urls.path("/-/login"), "label": "Sign in to review"}]
    return []

"""Query-string parameters of our pages, parsed or refused with a 400 and a one-line message.

A refused request gets Datasette's error page with the message: no traceback to the client and,
since nothing is raised into Datasette's handler, none printed on the server's console either.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence

from datasette.utils.asgi import Response

SQLITE_MAX_INTEGER = 2**63 - 1  # ids are SQLite integers; a bigger one cannot be bound


class BadParameter(ValueError):
    """A parameter a page cannot use; the message says which and why, in one line."""


def int_param(
    request, name: str, *, default: int, low: int = 0, high: int = SQLITE_MAX_INTEGER
) -> int:
    """An integer parameter between low and high; absent or empty means default."""
    text = (request.args.get(name) or "").strip()
    if not text:
        return default
    digits = text.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()):
        raise BadParameter(f"{name} must be a whole number, not {text[:40]!r}")
    value = int(text) if len(digits) <= 19 else None
    if value is None or not low <= value <= high:
        raise BadParameter(f"{name} must be between {low} and {high}, not {text[:40]}")
    return value


def choice_param(request, name: str, choices: Sequence[str]) -> str | None:
    """One of choices; absent or empty means None."""
    text = request.args.get(name) or ""
    if not text:
        return None
    if text not in choices:
        raise BadParameter(f"{name} must be one of {', '.join(choices)}, not {text[:40]!r}")
    return text


async def bad_request(datasette, request, message: str) -> Response:
    """Datasette's error page (or its JSON) with status 400 and the message."""
    info = {"ok": False, "error": message, "status": 400, "title": "Bad request"}
    if request.path.endswith(".json"):
        return Response.json(info, status=400)
    return Response.html(
        await datasette.render_template(["400.html", "error.html"], info, request=request),
        status=400,
    )


Page = Callable[..., Awaitable[Response]]


def validated(page: Page) -> Page:
    """A page whose BadParameter becomes a 400 answer."""

    @functools.wraps(page)
    async def checked(datasette, request) -> Response:
        try:
            return await page(datasette, request)
        except BadParameter as exc:
            return await bad_request(datasette, request, str(exc))

    return checked

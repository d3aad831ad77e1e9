"""A Datasette site of `monitor serve` over ASGI with a cookie jar, and signing in to it."""

from __future__ import annotations

import re

import httpx

CSRF_FIELD = re.compile(r'name="csrftoken" value="([^"]+)"')


async def open_site(ds, base_url: str = "http://localhost") -> httpx.AsyncClient:
    """A client that keeps cookies, as a browser would, talking to the whole ASGI app."""
    await ds.invoke_startup()
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=ds.app()), base_url=base_url)


async def csrf_token(client: httpx.AsyncClient, path: str = "/-/login") -> str:
    return CSRF_FIELD.search((await client.get(path)).text).group(1)


async def sign_in(client: httpx.AsyncClient, name: str, password: str, **extra) -> httpx.Response:
    token = await csrf_token(client)
    return await client.post(
        "/-/login", data={"name": name, "password": password, "csrftoken": token, **extra}
    )


async def post_review(client: httpx.AsyncClient, database: str = "monitor", **fields) -> httpx.Response:
    """What the review page's buttons send to the canned query: every field, the page's CSRF token."""
    token = await csrf_token(client)
    return await client.post(
        f"/{database}/review_claim",
        data={"csrftoken": token, "_json": "1", "status": "", "note": "", **fields},
    )

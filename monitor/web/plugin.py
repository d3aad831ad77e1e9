"""Datasette plugin: the review page and the charts page that `monitor serve` adds to Datasette.

Reviews are posted by the page to the `review_claim` canned query of db/metadata.yml, so the
browser, the JSON API and Datasette's own form all write through one SQL statement (and the
review_log trigger), which only a signed-in reviewer may run (monitor/web/auth.py).
"""

from __future__ import annotations

from typing import Any

import sqlite_utils
from datasette import hookimpl
from datasette.utils.asgi import Response

from monitor.models import CLAIM_KINDS
from monitor.web import charts, params
from monitor.review import workflow as review
from monitor.tracking import queries as tracking
from monitor.web import tracking as tracking_pages


def _db_name(datasette) -> str:
    """The monitor database: the one file Datasette was given."""
    return next(name for name, db in datasette.databases.items() if not name.startswith("_"))


async def _read(datasette, fn):
    """Run fn(sqlite_utils.Database) on one of Datasette's read connections."""
    return await datasette.get_database(_db_name(datasette)).execute_fn(
        lambda conn: fn(sqlite_utils.Database(conn))
    )


@params.validated
async def review_page(datasette, request) -> Response:
    await datasette.ensure_permissions(request.actor, ["view-instance"])
    kind = params.choice_param(request, "kind", CLAIM_KINDS)
    after = params.int_param(request, "after", default=0)
    can_review = await datasette.permission_allowed(
        request.actor, "view-query", (_db_name(datasette), "review_claim")
    )
    items = await _read(datasette, lambda db: review.queue(db, kind=kind, after_id=after, limit=25))
    pending = await _read(
        datasette,
        lambda db: db.execute(
            "SELECT count(*) FROM claims WHERE review_status = 'pending'"
        ).fetchone()[0],
    )
    return Response.html(
        await datasette.render_template(
            "monitor_review.html",
            {
                "items": items,
                "pending": pending,
                "kind": kind or "",
                "database": _db_name(datasette),
                "next_after": items[-1].id if items else None,
                "can_review": can_review,
            },
            request=request,
        )
    )


@params.validated
async def charts_page(datasette, request) -> Response:
    await datasette.ensure_permissions(request.actor, ["view-instance"])

    def gather(db: sqlite_utils.Database) -> dict[str, Any]:
        months = tracking.company_months(db)
        mentions: dict[str, dict[str, float]] = {}
        claims: dict[str, dict[str, float]] = {}
        for row in months:
            mentions.setdefault(row["company"], {})[row["month"]] = row["mentions"]
            claims.setdefault(row["company"], {})[row["month"]] = row["claims"]
        speakers = [(r["speaker"], r["quotes"]) for r in tracking.speaker_quotes(db)]
        return {
            "mentions_chart": charts.line_chart(mentions, title="Mentions per company per month"),
            "claims_chart": charts.line_chart(claims, title="Claims about each company per month"),
            "speakers_chart": charts.bar_chart(speakers, title="Quotes per speaker"),
        }

    context = await _read(datasette, gather)
    context["database"] = _db_name(datasette)
    return Response.html(
        await datasette.render_template("monitor_charts.html", context, request=request)
    )


@hookimpl
def register_routes():
    return [(r"^/-/review$", review_page), (r"^/-/charts$", charts_page), *tracking_pages.ROUTES]


@hookimpl
def menu_links(datasette):
    return [
        {"href": datasette.urls.path("/-/review"), "label": "Review claims"},
        {"href": datasette.urls.path("/-/charts"), "label": "Charts"},
        {"href": datasette.urls.path("/-/claims"), "label": "Tracked claims"},
    ]

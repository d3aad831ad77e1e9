"""The tracked-claims pages `monitor serve` adds: `/-/claims` lists the claims followed across
outlets, `/-/claims/timeline?key=` draws one claim's figures per outlet over time with its
conflicts marked. Both read monitor.tracking on one of Datasette's read connections."""

from __future__ import annotations

from typing import Any

import sqlite_utils
from datasette.utils.asgi import Response

from monitor.tracking.claims import tracked_claims
from monitor.tracking.figures import DEFAULT_TOLERANCE, format_value
from monitor.tracking.timelines import Timeline, timeline
from monitor.web import charts, params

PLUGIN = "ev-claims-monitor"  # its plugin configuration carries conflict_tolerance (monitor serve)
LISTED = 200  # claims on the list page, most widely reported first


def _db_name(datasette) -> str:
    return next(name for name in datasette.databases if not name.startswith("_"))


def tolerance_of(datasette, request) -> float:
    """`?tolerance=` when given and valid, else the served settings' conflict_tolerance."""
    configured = (datasette.plugin_config(PLUGIN) or {}).get("conflict_tolerance", DEFAULT_TOLERANCE)
    text = (request.args.get("tolerance") or "").strip()
    if not text:
        return configured
    try:
        asked = float(text)
    except ValueError:
        asked = -1.0
    if not 0 <= asked < 1:  # nan and inf fail this too
        raise params.BadParameter(f"tolerance must be a fraction from 0 to below 1, not {text[:40]!r}")
    return asked


async def _read(datasette, fn):
    return await datasette.get_database(_db_name(datasette)).execute_fn(
        lambda conn: fn(sqlite_utils.Database(conn))
    )


@params.validated
async def claims_page(datasette, request) -> Response:
    await datasette.ensure_permissions(request.actor, ["view-instance"])  # serve --private
    subject = request.args.get("subject") or None
    metric = request.args.get("metric") or None
    tolerance = tolerance_of(datasette, request)
    found = await _read(datasette, lambda db: tracked_claims(
        db, subject=subject, metric=metric, tolerance=tolerance, limit=LISTED))
    rows = [
        {"claim": c, "values": "; ".join(f"{v} ({', '.join(v.sources)})" for v in c.values)}
        for c in found
    ]
    context = {"rows": rows, "subject": subject or "", "metric": metric or "", "tolerance": tolerance,
               "listed": LISTED, "database": _db_name(datasette)}
    return Response.html(await datasette.render_template("monitor_claims.html", context, request=request))


def timeline_context(line: Timeline) -> dict[str, Any]:
    """What the timeline template shows: the chart and both sides of each conflict."""
    claim = line.claim
    conflicting = line.conflicting
    units = {f.canonical_unit for f in claim.figures}
    unit = units.pop() if len(units) == 1 else None
    series = {
        source: [(f.seen, f.compared_value, f.text, f.claim in conflicting) for f in figures]
        for source, figures in line.series.items()
    }
    about = " · ".join(filter(None, [claim.subject, claim.metric, claim.scope, claim.period]))
    chart = charts.timeline_chart(
        series, title=about or claim.claim_key, unit=unit,
        conflicts=[((c.a.seen, c.a.value), (c.b.seen, c.b.value)) for c in line.conflicts],
    )
    return {"claim": line.claim, "chart": chart, "conflicts": line.conflicts, "about": about,
            "value": lambda v, u=unit: format_value(v, u)}


@params.validated
async def timeline_page(datasette, request) -> Response:
    await datasette.ensure_permissions(request.actor, ["view-instance"])  # serve --private
    key = request.args.get("key") or ""
    tolerance = tolerance_of(datasette, request)
    line = await _read(datasette, lambda db: timeline(db, key, tolerance=tolerance)) if key else None
    if line is None:
        return Response.html(
            await datasette.render_template("monitor_claim.html", {"missing": key}, request=request),
            status=404,
        )
    context = timeline_context(line) | {"tolerance": tolerance, "database": _db_name(datasette)}
    return Response.html(await datasette.render_template("monitor_claim.html", context, request=request))


ROUTES = [(r"^/-/claims$", claims_page), (r"^/-/claims/timeline$", timeline_page)]

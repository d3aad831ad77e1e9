"""Small inline SVG charts for the analysts' pages: no JavaScript, no plugin, readable without a network."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")
CONFLICT = "#d62728"  # the timeline's conflicts; its outlets take the other colours


def line_chart(
    series: dict[str, dict[str, float]], *, title: str, width: int = 760, height: int = 300
) -> str:
    """One line per series over the union of their x labels (months), with a legend."""
    xs = sorted({x for points in series.values() for x in points})
    if not xs:
        return f'<p class="empty">{escape(title)}: no data yet.</p>'
    top = max((v for points in series.values() for v in points.values()), default=0) or 1
    left, right, upper, lower = 40, 170, 28, 40
    plot_w, plot_h = width - left - right, height - upper - lower
    step = plot_w / max(len(xs) - 1, 1)

    def at(i: int, v: float) -> tuple[float, float]:
        return left + i * step, upper + plot_h - v / top * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}">',
        f'<text x="{left}" y="16" font-weight="bold">{escape(title)}</text>',
        f'<line x1="{left}" y1="{upper + plot_h}" x2="{left + plot_w}" y2="{upper + plot_h}" stroke="#999"/>',
        f'<text x="{left - 6}" y="{upper + 4}" text-anchor="end" font-size="11">{top:g}</text>',
        f'<text x="{left - 6}" y="{upper + plot_h}" text-anchor="end" font-size="11">0</text>',
    ]
    for i, x in enumerate(xs):
        px, _ = at(i, 0)
        parts.append(
            f'<text x="{px:.1f}" y="{upper + plot_h + 16}" text-anchor="middle" font-size="11">{escape(x)}</text>'
        )
    for n, (name, points) in enumerate(series.items()):
        colour = PALETTE[n % len(PALETTE)]
        coords = " ".join(
            "{:.1f},{:.1f}".format(*at(i, points.get(x, 0))) for i, x in enumerate(xs)
        )
        parts.append(
            f'<polyline class="series" data-name="{escape(name)}" fill="none" stroke="{colour}" '
            f'stroke-width="2" points="{coords}"/>'
        )
        for i, x in enumerate(xs):
            px, py = at(i, points.get(x, 0))
            parts.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}">'
                f"<title>{escape(name)} {escape(x)}: {points.get(x, 0):g}</title></circle>"
            )
        ly = upper + 14 * n
        parts.append(
            f'<rect x="{left + plot_w + 12}" y="{ly}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{left + plot_w + 26}" y="{ly + 9}" font-size="12">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(bars: list[tuple[str, float]], *, title: str, width: int = 760) -> str:
    """Horizontal bars, largest first as given, each labelled with its value."""
    if not bars:
        return f'<p class="empty">{escape(title)}: no data yet.</p>'
    label_w, row_h, upper = 180, 22, 28
    height = upper + row_h * len(bars) + 8
    top = max(v for _, v in bars) or 1
    plot_w = width - label_w - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}">',
        f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(bars):
        y = upper + i * row_h
        w = value / top * plot_w
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 14}" text-anchor="end" font-size="12">{escape(label)}</text>'
            f'<rect class="bar" x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row_h - 6}" fill="{PALETTE[0]}">'
            f"<title>{escape(label)}: {value:g}</title></rect>"
            f'<text x="{label_w + w + 6:.1f}" y="{y + 14}" font-size="12">{value:g}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def timeline_chart(
    series: dict[str, list[tuple[str, float, str, bool]]],
    *,
    title: str,
    unit: str | None,
    conflicts: Sequence[tuple[tuple[str, float], tuple[str, float]]] = (),
    width: int = 760,
    height: int = 320,
) -> str:
    """Each source's figures over time: `series` maps a source to (ISO date, value, label,
    conflicting) points. Conflicting points are ringed in red and each conflicting pair (two
    (date, value) points) is joined by a dashed red line, so a dispute shows at a glance."""
    points = [(day, value) for figures in series.values() for day, value, _, _ in figures]
    if not points:
        return f'<p class="empty">{escape(title)}: no figures yet.</p>'

    def ordinal(day: str) -> int:
        try:
            return date.fromisoformat(day[:10]).toordinal()
        except ValueError:
            return 0

    days = [ordinal(day) for day, _ in points]
    first, last = min(days), max(days)
    margin = max((last - first) // 20, 3)  # no point on the axes
    first, last = first - margin, last + margin
    low, high = min(v for _, v in points), max(v for _, v in points)
    pad = (high - low) * 0.15 or abs(high) * 0.1 or 1
    low, high = low - pad, high + pad
    left, right, upper, lower = 70, 180, 30, 40
    plot_w, plot_h = width - left - right, height - upper - lower

    def at(day: str, value: float) -> tuple[float, float]:
        x = left + (ordinal(day) - first) / (last - first) * plot_w
        return x, upper + plot_h - (value - low) / (high - low) * plot_h

    def label(value: float) -> str:
        return f"{value:,.4g}" + ("%" if unit == "%" else f" {unit}" if unit else "")

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}">',
        f'<text x="{left}" y="16" font-weight="bold">{escape(title)}</text>',
        f'<line x1="{left}" y1="{upper + plot_h}" x2="{left + plot_w}" y2="{upper + plot_h}" stroke="#999"/>',
        f'<line x1="{left}" y1="{upper}" x2="{left}" y2="{upper + plot_h}" stroke="#999"/>',
        f'<text x="{left - 6}" y="{upper + 4}" text-anchor="end" font-size="11">{escape(label(high))}</text>',
        f'<text x="{left - 6}" y="{upper + plot_h}" text-anchor="end" font-size="11">{escape(label(low))}</text>',
        f'<text x="{left}" y="{upper + plot_h + 16}" font-size="11">{date.fromordinal(first).isoformat()}</text>',
        f'<text x="{left + plot_w}" y="{upper + plot_h + 16}" text-anchor="end" font-size="11">'
        f"{date.fromordinal(last).isoformat()}</text>",
    ]
    for (day_a, value_a), (day_b, value_b) in conflicts:
        (xa, ya), (xb, yb) = at(day_a, value_a), at(day_b, value_b)
        parts.append(
            f'<line class="conflict-pair" x1="{xa:.1f}" y1="{ya:.1f}" x2="{xb:.1f}" y2="{yb:.1f}" '
            f'stroke="{CONFLICT}" stroke-width="1.5" stroke-dasharray="5,4"/>'
        )
    colours = [c for c in PALETTE if c != CONFLICT]
    for n, (name, figures) in enumerate(series.items()):
        colour = colours[n % len(colours)]
        coords = [at(day, value) for day, value, _, _ in figures]
        if len(coords) > 1:
            parts.append(
                f'<polyline class="series" data-name="{escape(name)}" fill="none" stroke="{colour}" '
                f'stroke-width="2" points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in coords)}"/>'
            )
        for (x, y), (day, value, text, conflicting) in zip(coords, figures):
            ring = f' stroke="{CONFLICT}" stroke-width="3"' if conflicting else ""
            parts.append(
                f'<circle class="figure{" conflict" if conflicting else ""}" data-source="{escape(name)}" '
                f'cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}"{ring}>'
                f"<title>{escape(name)} {escape(day[:10])}: {escape(text)}"
                f"{' (in conflict)' if conflicting else ''}</title></circle>"
                f'<text x="{x + 9:.1f}" y="{y + 4:.1f}" font-size="11" fill="{CONFLICT if conflicting else "#333"}">'
                f"{escape(label(value))}</text>"
            )
        ly = upper + 16 * n
        parts.append(
            f'<rect x="{left + plot_w + 14}" y="{ly}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{left + plot_w + 28}" y="{ly + 9}" font-size="12">{escape(name)}</text>'
        )
    if conflicts:
        ly = upper + 16 * len(series) + 8
        parts.append(
            f'<line x1="{left + plot_w + 14}" y1="{ly + 5}" x2="{left + plot_w + 24}" y2="{ly + 5}" '
            f'stroke="{CONFLICT}" stroke-width="1.5" stroke-dasharray="3,2"/>'
            f'<text x="{left + plot_w + 28}" y="{ly + 9}" font-size="12" fill="{CONFLICT}">'
            f"{len(conflicts)} conflict{'s' if len(conflicts) != 1 else ''}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)

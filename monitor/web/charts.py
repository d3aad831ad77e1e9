"""Small inline SVG charts for the analysts' pages: no JavaScript, no plugin, readable without a network."""

from __future__ import annotations

from html import escape

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")


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

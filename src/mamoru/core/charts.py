"""Charts as SVG drawn on the server: one code path for pages and PDF, no script, no CDN.

Each function returns markup to place in a template (``{{ chart }}``): an ``<svg
role="img">`` with a ``<title>`` and a ``<desc>`` that says the figures in words, so a
screen reader gets the content; pages show the same figures in a table beside the chart
(WCAG 1.1.1). Colours are presentation attributes from a fixed palette of the Digital
Agency's colours, distinguishable in greyscale by order and labelled directly (no colour-
only legend); no ``style`` attribute, so the site's Content Security Policy holds.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

# Blue, orange, green, purple, red, grey of the Digital Agency's palette (AA on white).
PALETTE = ("#0017c1", "#c74700", "#197a4b", "#6f23d0", "#ce0000", "#626264")
AXIS = "#767676"
TEXT = "#1a1a1a"
FONT = 'font-family="sans-serif" font-size="12"'


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _text_width(text: str) -> float:
    """The width of ``text`` at 12 px, near enough to place it: full-width characters (kanji,
    kana) take the whole em, the others about half of it."""
    return sum(12.0 if unicodedata.east_asian_width(c) in "WF" else 7.0 for c in text)


def _label_column(labels: Sequence[str], width: int) -> tuple[int, list[str]]:
    """The width of the label column (as wide as the longest label, at most half of the
    chart) and the labels as drawn: one that does not fit is cut with 「…」 (the chart's
    description and the page's table keep it whole)."""
    room = int(width * 0.5)
    needed = max((_text_width(label) for label in labels), default=0.0) + 12
    column = int(min(max(needed, 80.0), room))
    drawn = []
    for label in labels:
        if _text_width(label) + 12 <= column:
            drawn.append(label)
            continue
        cut = label
        while cut and _text_width(cut + "…") + 12 > column:
            cut = cut[:-1]
        drawn.append(cut + "…")
    return column, drawn


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> SafeString:
    ident = f"chart-{abs(hash((title, desc))) % 10**8}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{ident}-t {ident}-d">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every text is escaped


def bar_chart(
    data: Sequence[tuple[str, float]],
    *,
    title: str,
    unit: str = "",
    max_value: float | None = None,
    width: int = 640,
) -> SafeString:
    """Horizontal bars, one per (label, value), the value written at the end of the bar."""
    bar_height, gap = 22, 8
    label_width, drawn = _label_column([label for label, _ in data], width)
    height = max(1, len(data)) * (bar_height + gap) + gap
    top = max_value or max((v for _, v in data), default=0) or 1
    span = width - label_width - 80
    body = []
    for i, (_label, value) in enumerate(data):
        y = gap + i * (bar_height + gap)
        length = max(0.0, value) / top * span
        body.append(
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end" fill="{TEXT}" {FONT}>'
            f"{escape(drawn[i])}</text>"
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" '
            f'fill="{PALETTE[0]}"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + 15}" fill="{TEXT}" {FONT}>'
            f"{escape(_number(value))}{escape(unit)}</text>"
        )
    desc = "、".join(f"{label} {_number(value)}{unit}" for label, value in data)
    return _svg(width, height, title, desc, body)


def line_chart(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    title: str,
    unit: str = "",
    width: int = 640,
    height: int = 260,
) -> SafeString:
    """Lines over ``labels`` (months, days), one per series, each named at its last point."""
    left, right, top_pad, bottom = 56, 120, 12, 40
    values = [v for points in series.values() for v in points]
    top = max(values, default=0) or 1
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    step = plot_w / max(1, len(labels) - 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + i * step, top_pad + plot_h - (v / top) * plot_h

    body = [
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{left + plot_w}" y2="{top_pad + plot_h}" '
        f'stroke="{AXIS}"/>',
        f'<text x="{left - 6}" y="{top_pad + 10}" text-anchor="end" fill="{TEXT}" {FONT}>'
        f"{escape(_number(top))}{escape(unit)}</text>",
        f'<text x="{left - 6}" y="{top_pad + plot_h}" text-anchor="end" fill="{TEXT}" {FONT}>0</text>',
    ]
    every = max(1, math.ceil(len(labels) / 8))
    body += [
        f'<text x="{xy(i, 0)[0]:.1f}" y="{height - 14}" text-anchor="middle" fill="{TEXT}" {FONT}>'
        f"{escape(label)}</text>"
        for i, label in enumerate(labels)
        if i % every == 0 or i == len(labels) - 1
    ]
    for n, (name, points) in enumerate(series.items()):
        colour = PALETTE[n % len(PALETTE)]
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in enumerate(points)))
        body.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>')
        if points:
            x, y = xy(len(points) - 1, points[-1])
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>'
                f'<text x="{x + 6:.1f}" y="{y + 4:.1f}" fill="{colour}" {FONT}>{escape(name)}</text>'
            )
    desc = "。".join(
        f"{name}: "
        + "、".join(f"{label} {_number(v)}{unit}" for label, v in zip(labels, points, strict=False))
        for name, points in series.items()
    )
    return _svg(width, height, title, desc, body)


def radar_chart(
    axes: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    title: str,
    max_value: float = 100,
    size: int = 360,
) -> SafeString:
    """A radar (spider) chart: one polygon per series over ``axes`` (e.g. the CSF functions)."""
    centre, radius = size / 2, size / 2 - 60
    count = max(3, len(axes))

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / count
        r = radius * max(0.0, min(value, max_value)) / max_value
        return centre + r * math.cos(angle), centre + r * math.sin(angle)

    body = []
    for ring in (0.25, 0.5, 0.75, 1.0):
        ring_points = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (point(i, max_value * ring) for i in range(count))
        )
        body.append(
            f'<polygon points="{ring_points}" fill="none" stroke="{AXIS}" stroke-width="0.5"/>'
        )
    for i, label in enumerate(axes):
        x, y = point(i, max_value * 1.18)
        body.append(
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" fill="{TEXT}" {FONT}>{escape(label)}</text>'
        )
    for n, (name, values) in enumerate(series.items()):
        colour = PALETTE[n % len(PALETTE)]
        shape = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v) for i, v in enumerate(values)))
        dash = "" if n == 0 else ' stroke-dasharray="6 3"'
        body.append(
            f'<polygon points="{shape}" fill="{colour}" fill-opacity="0.12" stroke="{colour}" '
            f'stroke-width="2"{dash}><title>{escape(name)}</title></polygon>'
        )
    desc = "。".join(
        f"{name}: "
        + "、".join(f"{axis} {_number(v)}" for axis, v in zip(axes, values, strict=False))
        for name, values in series.items()
    )
    return _svg(size, size, title, desc, body)


def stacked_bar_chart(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    title: str,
    unit: str = "",
    width: int = 640,
) -> SafeString:
    """Horizontal stacked bars: one bar per category, one segment per series, and the
    series named in a legend that repeats their order (readable without colour)."""
    bar_height, gap = 22, 8
    label_width, drawn = _label_column(categories, width)
    names = list(series)
    legend_height = 24
    height = legend_height + max(1, len(categories)) * (bar_height + gap) + gap
    totals = [sum(series[n][i] for n in names) for i in range(len(categories))]
    top = max(totals, default=0) or 1
    span = width - label_width - 80
    body = [
        f'<rect x="{label_width + 130 * n}" y="4" width="12" height="12" fill="{PALETTE[n % len(PALETTE)]}"/>'
        f'<text x="{label_width + 130 * n + 16}" y="14" fill="{TEXT}" {FONT}>{escape(name)}</text>'
        for n, name in enumerate(names)
    ]
    for i in range(len(categories)):
        y = legend_height + gap + i * (bar_height + gap)
        body.append(
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end" fill="{TEXT}" {FONT}>'
            f"{escape(drawn[i])}</text>"
        )
        x = float(label_width)
        for n, name in enumerate(names):
            length = max(0.0, series[name][i]) / top * span
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{bar_height}" '
                f'fill="{PALETTE[n % len(PALETTE)]}"><title>{escape(name)}</title></rect>'
            )
            x += length
        body.append(
            f'<text x="{x + 4:.1f}" y="{y + 15}" fill="{TEXT}" {FONT}>{escape(_number(totals[i]))}{escape(unit)}</text>'
        )
    desc = "。".join(
        f"{category}: " + "、".join(f"{name} {_number(series[name][i])}{unit}" for name in names)
        for i, category in enumerate(categories)
    )
    return _svg(width, height, title, desc, body)

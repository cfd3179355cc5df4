"""Server-side SVG charts: no script, no CDN, readable by screen readers.

Every chart is an `<svg role="img">` with a `<title>` and a `<desc>` that state what it shows
and its numbers in words; each bar carries its own `<title>` (a tooltip and an accessible
name). Pages put the same numbers in a table next to the chart. Colours come from classes
styled in app.css, so the charts follow the site's palette and need no inline style.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

_ids = itertools.count(1)

LABEL_WIDTH = 190
BAR_AREA = 330
ROW = 26
VALUE_GAP = 6


def _num(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _frame(*, title: str, description: str, width: int, height: int, body: str) -> SafeString:
    uid = f"chart{next(_ids)}"
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'preserveAspectRatio="xMinYMin meet" '
        'aria-labelledby="{uid}-t {uid}-d" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{uid}-t">{title}</title><desc id="{uid}-d">{desc}</desc>{body}</svg>',
        w=width,
        h=height,
        uid=uid,
        title=title,
        desc=description,
        body=mark_safe(body),  # noqa: S308 - every piece of `body` is escaped where it is built
    )


def bar_chart(
    rows: Sequence[tuple[str, Sequence[int]]],
    *,
    title: str,
    description: str,
    series: Sequence[str] = ("",),
    unit: str = "",
) -> SafeString:
    """Horizontal bars, one group per row and one bar per series (at most three)."""
    n_series = max(1, len(series))
    top = max((v for _label, values in rows for v in values), default=0) or 1
    group = ROW * n_series + 8
    legend = 22 if n_series > 1 else 0
    height = legend + group * max(1, len(rows)) + 4
    width = LABEL_WIDTH + BAR_AREA + 70
    parts: list[str] = []
    if n_series > 1:
        x = LABEL_WIDTH
        for i, name in enumerate(series):
            parts.append(
                f'<rect class="series-{i}" x="{x}" y="4" width="12" height="12"></rect>'
                f'<text class="legend" x="{x + 16}" y="15">{escape(name)}</text>'
            )
            x += 30 + 8 * len(name)
    for r, (label, values) in enumerate(rows):
        y0 = legend + r * group
        parts.append(
            f'<text class="label" x="{LABEL_WIDTH - 8}" y="{y0 + (group - 8) / 2 + 5:.0f}" text-anchor="end">'
            f"{escape(_short(label))}</text>"
        )
        for i, value in enumerate(values):
            y = y0 + i * ROW
            length = round(BAR_AREA * value / top)
            name = f"{label}: {value}{unit}" if n_series == 1 else f"{label}, {series[i]}: {value}{unit}"
            parts.append(
                f"<g><title>{escape(name)}</title>"
                f'<rect class="series-{i}" x="{LABEL_WIDTH}" y="{y}" '
                f'width="{max(length, 1)}" height="{ROW - 6}"></rect>'
                f'<text class="value" x="{LABEL_WIDTH + max(length, 1) + VALUE_GAP}" y="{y + ROW - 11}">'
                f"{_num(value)}{escape(unit)}</text></g>"
            )
    if not rows:
        parts.append(f'<text class="label" x="{LABEL_WIDTH}" y="{legend + 18}">—</text>')
    return _frame(title=title, description=description, width=width, height=height, body="".join(parts))


def column_chart(
    rows: Sequence[tuple[str, int]], *, title: str, description: str, unit: str = ""
) -> SafeString:
    """Vertical columns over time (months), value above each column."""
    top = max((v for _label, v in rows), default=0) or 1
    plot_h = 160
    col_w = 76
    width = max(320, 20 + col_w * len(rows))
    height = plot_h + 50
    parts = [f'<line class="axis" x1="10" y1="{plot_h + 20}" x2="{width - 10}" y2="{plot_h + 20}"></line>']
    for i, (label, value) in enumerate(rows):
        h = round(plot_h * value / top)
        x = 20 + i * col_w
        y = plot_h + 20 - h
        parts.append(
            f"<g><title>{escape(label)}: {value}{escape(unit)}</title>"
            f'<rect class="series-0" x="{x}" y="{y}" width="{col_w - 14}" height="{max(h, 1)}"></rect>'
            f'<text class="value" x="{x + (col_w - 14) / 2:.0f}" y="{y - 4}" '
            f'text-anchor="middle">{value}</text>'
            f'<text class="label" x="{x + (col_w - 14) / 2:.0f}" y="{plot_h + 38}" text-anchor="middle">'
            f"{escape(label)}</text></g>"
        )
    return _frame(title=title, description=description, width=width, height=height, body="".join(parts))


def range_chart(
    *,
    low: int,
    median: int,
    high: int,
    marker: int | None,
    title: str,
    description: str,
    range_label: str,
    marker_label: str,
    unit: str = " ₸",
) -> SafeString:
    """The middle half of expected salaries as a band, the median as a line, and an optional
    marker (for example the median offered by other employers)."""
    values = [v for v in (low, median, high, marker) if v is not None]
    lo, hi = min(values), max(values)
    span = (hi - lo) or max(hi, 1)
    start, stop = max(0, lo - span * 0.25), hi + span * 0.25
    width, left, right = 560, 20, 540

    def x(v: float) -> float:
        return left + (right - left) * (v - start) / ((stop - start) or 1)

    def money(v: int) -> str:
        return _num(v) + unit

    parts = [
        f'<line class="axis" x1="{left}" y1="70" x2="{right}" y2="70"></line>',
        f"<g><title>{escape(range_label)}: {escape(money(low))} – {escape(money(high))}</title>"
        f'<rect class="series-0 band" x="{x(low):.1f}" y="40" '
        f'width="{max(x(high) - x(low), 2):.1f}" height="30"></rect></g>',
        f'<line class="median" x1="{x(median):.1f}" y1="34" x2="{x(median):.1f}" y2="76"></line>',
        f'<text class="value" x="{x(median):.1f}" y="28" text-anchor="middle">{escape(money(median))}</text>',
        f'<text class="label" x="{x(low):.1f}" y="92" text-anchor="middle">{escape(money(low))}</text>',
        f'<text class="label" x="{x(high):.1f}" y="92" text-anchor="middle">{escape(money(high))}</text>',
    ]
    if marker is not None:
        parts.append(
            f"<g><title>{escape(marker_label)}: {escape(money(marker))}</title>"
            f'<path class="series-1" d="M{x(marker):.1f} 104 l-7 12 h14 z"></path>'
            f'<text class="label" x="{x(marker):.1f}" y="132" text-anchor="middle">'
            f"{escape(marker_label)}: {escape(money(marker))}</text></g>"
        )
    return _frame(title=title, description=description, width=width, height=140, body="".join(parts))

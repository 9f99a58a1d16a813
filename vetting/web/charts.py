"""Tiny server-side SVG charts: geometry here, markup in ``templates/dashboard/_charts.html``.

No inline styles (strict CSP): shapes carry classes styled in ``static/css/app.css``. Every
chart is shown with a table of the same numbers next to it.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

ROW_HEIGHT = 28
LABEL_WIDTH = 170
PLOT_WIDTH = 300
VALUE_WIDTH = 50
COLUMN_PLOT_HEIGHT = 160
SERIES_CLASSES = 6


@dataclass(frozen=True)
class Bar:
    """One horizontal bar with its label and value."""

    key: str
    label: str
    value: int
    y: float
    width: float


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, one row each, scaled to the largest value."""

    bars: tuple[Bar, ...]
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    row_height: int = ROW_HEIGHT


@dataclass(frozen=True)
class Segment:
    """Part of a month's column: one series' value."""

    series: int
    name: str
    value: int
    y: float
    height: float


@dataclass(frozen=True)
class Column:
    """A month's stacked column."""

    label: str
    total: int
    x: float
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class StackedChart:
    """Columns per month, each stacked by series, with a value axis and a legend."""

    columns: tuple[Column, ...]
    series: tuple[str, ...]
    ticks: tuple[tuple[int, float], ...]
    width: int
    height: int
    column_width: float
    plot_left: int = 40
    plot_top: int = 10
    plot_height: int = COLUMN_PLOT_HEIGHT


def short(text: str, length: int = 24) -> str:
    """A label cut to fit the chart (the table beside it has the full text)."""
    return text if len(text) <= length else text[:length - 1] + "…"


def bar_chart(items: Sequence[tuple[str, str, int]]) -> BarChart:
    """Horizontal bars from (key, label, value) triples; the key names the CSS class of the bar."""
    peak = max((value for _k, _l, value in items), default=0) or 1
    bars = tuple(Bar(key, short(label), value, index * ROW_HEIGHT, round(PLOT_WIDTH * value / peak, 1))
                 for index, (key, label, value) in enumerate(items))
    return BarChart(bars, LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH, max(len(bars), 1) * ROW_HEIGHT)


def nice_ceiling(value: int) -> int:
    """The axis maximum: the value rounded up to 1, 2 or 5 times a power of ten (at least 1)."""
    if value <= 1:
        return 1
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if step * magnitude >= value:
                return step * magnitude
        magnitude *= 10


def stacked_by_month(months: Sequence[str], series: Mapping[str, Sequence[int]]) -> StackedChart:
    """Stacked columns, one per month, from a value list per series (aligned with ``months``)."""
    names = tuple(series)
    totals = [sum(series[name][i] for name in names) for i in range(len(months))]
    top = nice_ceiling(max(totals, default=0))
    scale = COLUMN_PLOT_HEIGHT / top
    slot = 40
    columns = []
    for i, month in enumerate(months):
        base = 10 + COLUMN_PLOT_HEIGHT
        segments = []
        for s, name in enumerate(names):
            value = series[name][i]
            if value:
                height = round(value * scale, 1)
                base -= height
                segments.append(Segment(s % SERIES_CLASSES, name, value, round(base, 1), height))
        columns.append(Column(month, totals[i], 40 + i * slot + 6, tuple(segments)))
    ticks = tuple((v, round(10 + COLUMN_PLOT_HEIGHT - v * scale, 1)) for v in sorted({0, top // 2, top}))
    return StackedChart(tuple(columns), names, ticks, 40 + len(months) * slot + 10, COLUMN_PLOT_HEIGHT + 40, slot - 12)

"""The one home of the app's server-side SVG charts: geometry here, markup in ``templates/_charts.html``.

Dashboard bars and monthly columns, and the organisation page's key figures per fiscal year, share the
same rules: text at least ``FONT_SIZE`` px (written on every ``<text>`` as a presentation attribute, not a
style: strict CSP; the CSS never scales a chart below its size), month names in the user's language, and
labels wrapped onto more lines rather than cut. Every chart is followed by a table of the same numbers.
"""
from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import format_date, format_decimal

FONT_SIZE = 12  # px: the smallest text any chart draws
LINE_HEIGHT = 15  # px between the lines of a wrapped label
CHAR_WIDTH = 0.62  # a generous average glyph width in em for the UI's sans-serif: used to make room, never to cut
ROW_HEIGHT = 28
LABEL_CHARS = 26  # a bar label wraps after this many characters
PLOT_WIDTH = 300
VALUE_WIDTH = 60
COLUMN_PLOT_HEIGHT = 160
COLUMN_SLOT = 48
SERIES_CLASSES = 6


def text_width(text: str, size: int = FONT_SIZE) -> float:
    """The room a text needs at ``size`` px (an upper estimate)."""
    return len(text) * size * CHAR_WIDTH


def wrap(text: str, width: int = LABEL_CHARS) -> tuple[str, ...]:
    """A label on as many lines as it needs; a word longer than a line keeps its own line, whole."""
    return tuple(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or ("",)


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


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: its label (one or more lines), value and place."""

    key: str
    lines: tuple[str, ...]
    value: int
    y: float
    height: float
    width: float


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars scaled to the largest value; a row grows with its label's lines."""

    bars: tuple[Bar, ...]
    width: int
    height: int
    label_width: int
    font_size: int = FONT_SIZE
    line_height: int = LINE_HEIGHT


def bar_chart(items: Sequence[tuple[str, str, int]]) -> BarChart:
    """Horizontal bars from (key, label, value) triples; the key names the CSS class of the bar."""
    peak = max((value for _k, _l, value in items), default=0) or 1
    wrapped = [wrap(label) for _k, label, _v in items]
    label_width = int(max((text_width(line) for lines in wrapped for line in lines), default=0)) + 12
    bars, y = [], 0.0
    for (key, _label, value), lines in zip(items, wrapped):
        height = max(ROW_HEIGHT, len(lines) * LINE_HEIGHT + 13)
        bars.append(Bar(key, lines, value, y, height, round(PLOT_WIDTH * value / peak, 1)))
        y += height
    values = int(max((text_width(str(v)) for _k, _l, v in items), default=0)) + 12
    return BarChart(tuple(bars), label_width + PLOT_WIDTH + max(VALUE_WIDTH, values), max(int(y), ROW_HEIGHT),
                    label_width)


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
    """A month's stacked column; ``month`` in words, ``year`` shown under the first column and each January."""

    key: str
    month: str
    year: str
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
    font_size: int = FONT_SIZE


def month_name(month: str, form: str = "MMM") -> str:
    """``YYYY-MM`` as the month's name in the user's language ("jan." / "Jan"; ``MMMM yyyy`` for the table)."""
    year, number = (int(part) for part in month.split("-")[:2])
    return format_date(date(year, number, 1), form)


def stacked_by_month(months: Sequence[str], series: Mapping[str, Sequence[int]]) -> StackedChart:
    """Stacked columns, one per month (``YYYY-MM``), from a value list per series (aligned with ``months``)."""
    names = tuple(series)
    totals = [sum(series[name][i] for name in names) for i in range(len(months))]
    top = nice_ceiling(max(totals, default=0))
    scale = COLUMN_PLOT_HEIGHT / top
    labels = [month_name(m) for m in months]
    slot = max(COLUMN_SLOT, int(max((text_width(label) for label in labels), default=0)) + 8)
    plot_left = int(text_width(str(top))) + 14
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
        year = month[:4] if i == 0 or month.endswith("-01") else ""
        columns.append(Column(month, labels[i], year, totals[i], plot_left + i * slot + 6, tuple(segments)))
    ticks = tuple((v, round(10 + COLUMN_PLOT_HEIGHT - v * scale, 1)) for v in sorted({0, top // 2, top}))
    return StackedChart(tuple(columns), names, ticks, plot_left + len(months) * slot + 10, COLUMN_PLOT_HEIGHT + 50,
                        slot - 12, plot_left)


# --- key figures per fiscal year (organisation page) ------------------------------------------------------------

FIGURE_SERIES = ("net_revenue", "result")
FIGURE_TOP, FIGURE_HEIGHT, FIGURE_SLOT, FIGURE_BAR = 10, 150, 64, 20


@dataclass(frozen=True)
class FigureBar:
    """One column: which series, its value, and where it is drawn."""

    series: int
    key: str
    value: float
    x: float
    y: float
    height: float


@dataclass(frozen=True)
class FigureChart:
    """Columns per fiscal year (oldest left), a zero line and value ticks."""

    bars: tuple[FigureBar, ...]
    labels: tuple[tuple[str, float], ...]
    ticks: tuple[tuple[str, float], ...]
    zero: float
    width: int
    height: int
    plot_left: int
    bar_width: int = FIGURE_BAR
    font_size: int = FONT_SIZE


def axis_amount(value: float) -> str:
    """An axis label in millions or thousands, with the user's decimal sign (the table has the exact figures)."""
    if abs(value) >= 1_000_000:
        return f"{format_decimal(value / 1_000_000, '#,##0.#')} M"
    if abs(value) >= 1_000:
        return f"{format_decimal(value / 1_000, '#,##0.#')} k"
    return format_decimal(value, "#,##0.#")


def figure_chart(years: Sequence[dict[str, Any]]) -> FigureChart | None:
    """The chart for fiscal years given newest first; None when no year has a revenue or result figure."""
    shown = [y for y in reversed(years) if any(y.get(k) is not None for k in FIGURE_SERIES)]
    if not shown:
        return None
    values = [float(y[k]) for y in shown for k in FIGURE_SERIES if y.get(k) is not None]
    top = nice_ceiling(int(max(max(values), 0)) + 1) if max(values) > 0 else 0
    bottom = -nice_ceiling(int(-min(values)) + 1) if min(values) < 0 else 0
    span = (top - bottom) or 1
    scale = FIGURE_HEIGHT / span
    zero = FIGURE_TOP + top * scale
    tick_values = sorted({top, 0, bottom}, reverse=True)
    tick_labels = [axis_amount(v) for v in tick_values]
    left = int(max(text_width(t) for t in tick_labels)) + 14
    bars = []
    for i, year in enumerate(shown):
        for s, key in enumerate(FIGURE_SERIES):
            value = year.get(key)
            if value is None:
                continue
            height = round(abs(float(value)) * scale, 1)
            y = zero - height if value >= 0 else zero
            bars.append(FigureBar(s, key, float(value), left + i * FIGURE_SLOT + 8 + s * (FIGURE_BAR + 2), round(y, 1),
                                  height))
    labels = tuple((str(y.get("end") or "")[:4], left + i * FIGURE_SLOT + 8 + FIGURE_BAR) for i, y in enumerate(shown))
    ticks = tuple((label, round(FIGURE_TOP + (top - v) * scale, 1)) for label, v in zip(tick_labels, tick_values))
    return FigureChart(tuple(bars), labels, ticks, round(zero, 1), left + len(shown) * FIGURE_SLOT + 10,
                       FIGURE_TOP + FIGURE_HEIGHT + 30, left)

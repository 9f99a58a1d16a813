"""Geometry of the key-figures chart on the organisation page: per fiscal year, a column for net revenue and one
for the result, around a zero line (a loss goes below it). Markup in templates/organisations/_key_figures.html;
like the dashboard's charts (vetting/web/charts.py) it carries classes only (strict CSP) and a table follows it.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .charts import nice_ceiling

PLOT_LEFT, PLOT_TOP, PLOT_HEIGHT, SLOT, BAR = 70, 10, 150, 64, 20
SERIES = ("net_revenue", "result")


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
    plot_left: int = PLOT_LEFT


def _short(value: float) -> str:
    """An axis label in millions or thousands (the table has the exact figures)."""
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:g} M"
    if abs(value) >= 1_000:
        return f"{value / 1_000:g} k"
    return f"{value:g}"


def figure_chart(years: Sequence[dict[str, Any]]) -> FigureChart | None:
    """The chart for fiscal years given newest first; None when no year has a revenue or result figure."""
    shown = [y for y in reversed(years) if any(y.get(k) is not None for k in SERIES)]
    if not shown:
        return None
    values = [float(y[k]) for y in shown for k in SERIES if y.get(k) is not None]
    top = nice_ceiling(int(max(max(values), 0)) + 1) if max(values) > 0 else 0
    bottom = -nice_ceiling(int(-min(values)) + 1) if min(values) < 0 else 0
    span = (top - bottom) or 1
    scale = PLOT_HEIGHT / span
    zero = PLOT_TOP + top * scale
    bars = []
    for i, year in enumerate(shown):
        for s, key in enumerate(SERIES):
            value = year.get(key)
            if value is None:
                continue
            height = round(abs(float(value)) * scale, 1)
            y = zero - height if value >= 0 else zero
            bars.append(FigureBar(s, key, float(value), PLOT_LEFT + i * SLOT + 8 + s * (BAR + 2), round(y, 1), height))
    labels = tuple((str(y.get("end") or "")[:4], PLOT_LEFT + i * SLOT + 8 + BAR) for i, y in enumerate(shown))
    ticks = tuple((_short(v), round(PLOT_TOP + (top - v) * scale, 1)) for v in sorted({top, 0, bottom}, reverse=True))
    return FigureChart(tuple(bars), labels, ticks, round(zero, 1), PLOT_LEFT + len(shown) * SLOT + 10,
                       PLOT_TOP + PLOT_HEIGHT + 30)

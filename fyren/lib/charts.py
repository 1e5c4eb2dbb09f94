"""A horizontal bar chart as SVG coordinates (the template draws it): a bar per
label, optionally a lighter bar behind it (e.g. the 80th percentile behind the
median) and a vertical reference line (a target, the country's figure). Pure
arithmetic; every chart is shown with its data table beside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, LEFT, RIGHT, ROW, TOP = 640, 200, 20, 34, 10


@dataclass(frozen=True)
class Bar:
    label: str
    y: float
    width: float
    back_width: float
    value: float | None
    back: float | None


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    bars: list[Bar]
    line_x: float | None
    ticks: list[tuple[float, float]]


def bar_chart(items: Sequence[tuple[str, float | None, float | None]], *, line: float | None = None) -> BarChart | None:
    """``items``: (label, value, value behind or None). None when there is nothing to draw."""
    if not items:
        return None
    top = max([float(v or 0) for _l, v, _b in items] + [float(b or 0) for _l, _v, b in items] + [float(line or 0)])
    top = top or 1.0
    span = WIDTH - LEFT - RIGHT

    def x(value) -> float:
        return span * float(value or 0) / top

    bars = [Bar(label, TOP + i * ROW, x(value), x(back), value, back) for i, (label, value, back) in enumerate(items)]
    step = _step(top)
    ticks = []
    value = 0.0
    while value <= top + 1e-9:
        ticks.append((LEFT + x(value), round(value, 1) if step < 1 else int(value)))
        value += step
    return BarChart(
        WIDTH, int(TOP + len(bars) * ROW + 30), LEFT, bars, LEFT + x(line) if line is not None else None, ticks
    )


def _step(top: float) -> float:
    """A round tick step giving about five ticks."""
    raw = top / 5
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 0.1
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude

"""A bar chart of lead times per unit (median and 80th percentile, with the
target as a line), drawn as SVG coordinates by the template: pure arithmetic."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, LEFT, RIGHT, ROW, TOP = 640, 200, 20, 34, 10


@dataclass(frozen=True)
class Bar:
    label: str
    y: float
    median_width: float
    p80_width: float
    median: float | None
    p80: float | None


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    bars: list[Bar]
    target_x: float | None
    ticks: list[tuple[float, int]]


def lead_time_chart(rows, target: int | None) -> BarChart | None:
    bars_data = [r for r in rows if r.summary.count]
    if not bars_data:
        return None
    top = max([r.summary.p80 or 0 for r in bars_data] + [target or 0, 1])
    span = WIDTH - LEFT - RIGHT

    def x(value: float) -> float:
        return span * value / top

    bars = [
        Bar(
            r.unit.name,
            TOP + i * ROW,
            x(r.summary.median or 0),
            x(r.summary.p80 or 0),
            r.summary.median,
            r.summary.p80,
        )
        for i, r in enumerate(bars_data)
    ]
    step = max(1, round(top / 5))
    ticks = [(LEFT + x(v), v) for v in range(0, int(top) + 1, step)]
    return BarChart(
        WIDTH, TOP + len(bars) * ROW + 30, LEFT, bars, LEFT + x(target) if target is not None else None, ticks
    )

"""A bar chart of lead times per unit: the median (dark) with the 80th percentile
(light) behind it and the target as a line (``lib.charts``)."""

from __future__ import annotations

from fyren.lib.charts import BarChart, bar_chart


def lead_time_chart(rows, target: int | None) -> BarChart | None:
    return bar_chart(
        [
            (f"{r.unit.name} {r.month:%Y-%m}" if r.month else r.unit.name, r.summary.median, r.summary.p80)
            for r in rows
            if r.summary.count
        ],
        line=target,
    )

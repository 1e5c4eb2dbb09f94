"""Server-drawn SVG graphs of scores over time, with severity bands. No
JavaScript; the page shows the same numbers in a table."""

from __future__ import annotations

from dataclasses import dataclass

from .scoring import band_label, max_score, primary_score_id

WIDTH, HEIGHT, PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 640, 260, 40, 16, 12, 36
BAND_COLOURS = ["#e6f4ea", "#f3f7d9", "#fff4d6", "#ffe3cc", "#fde2e1"]


@dataclass
class Chart:
    width: int
    height: int
    points: list[tuple[float, float, str, float]]  # x, y, label, value
    polyline: str
    bands: list[dict]
    y_ticks: list[tuple[float, float]]


def score_chart(values: list[tuple[str, float]], *, maximum: float, bands: list[dict]) -> Chart:
    """``values``: (label, score) in time order."""
    inner_w = WIDTH - PAD_LEFT - PAD_RIGHT
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    maximum = maximum or 1

    def y(value):
        return PAD_TOP + inner_h - (value / maximum) * inner_h

    step = inner_w / max(1, len(values) - 1)
    points = [
        (PAD_LEFT + (i * step if len(values) > 1 else inner_w / 2), y(v), label, v)
        for i, (label, v) in enumerate(values)
    ]
    band_rects = []
    for index, band in enumerate(bands):
        top, bottom = y(min(band["max"], maximum)), y(max(band["min"], 0))
        band_rects.append(
            {"y": top, "height": max(0.0, bottom - top), "colour": BAND_COLOURS[index % 5], "label": band["label"]}
        )
    ticks = [(y(t), t) for t in _ticks(maximum)]
    return Chart(WIDTH, HEIGHT, points, " ".join(f"{x:.1f},{py:.1f}" for x, py, _l, _v in points), band_rects, ticks)


def _ticks(maximum: float) -> list[float]:
    step = 5 if maximum <= 30 else 10 if maximum <= 60 else 20
    return [float(v) for v in range(0, int(maximum) + 1, step)]


@dataclass
class Series:
    """One instrument's answers over time: the banded score, its graph, and table rows."""

    code: str
    definition: dict
    score_id: str
    chart: Chart
    values: list[tuple[str, float]]
    rows: list[dict]  # {date, value, band label (per language dict)}


def series_for(responses: list) -> Series | None:
    """The graph and table of completed responses to one instrument (oldest first)."""
    if not responses:
        return None
    definition = responses[-1].definition
    score_id = primary_score_id(definition)
    if score_id is None:
        return None
    values, rows = [], []
    for r in responses:
        value = r.scores.get(score_id)
        if value is None:
            continue
        values.append((r.submitted_at.strftime("%Y-%m-%d"), value))
        rows.append(
            {
                "date": r.submitted_at,
                "value": value,
                "band": band_label(definition, score_id, r.bands.get(score_id)),
                "response_id": r.pk,
            }
        )
    bands = definition["scoring"].get("bands", {}).get(score_id, [])
    chart = score_chart(values, maximum=max_score(definition, score_id), bands=bands)
    return Series(responses[-1].instrument_code, definition, score_id, chart, values, rows)

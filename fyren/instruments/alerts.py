"""Alert rules (pure): which answers and scores must reach a clinician.

Rules in ``definition["alerts"]``:

- ``{"type": "item", "link_id": "9", "operator": ">", "value": 0, "urgent": true}``
  — a safety item (PHQ-9 item 9 > 0, MADRS-S item 9 ≥ 4);
- ``{"type": "score", "score": "total", "operator": ">=", "value": 20}`` — a
  total over a threshold;
- ``{"type": "worsening", "score": "total", "points": 5, "direction": "up"}`` —
  the score has moved at least ``points`` in the bad direction since the
  enrolment's baseline (``direction`` "down" where a high score is good, as WHO-5).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .items import all_enabled_links, compare, item_value, iter_items
from .scoring import ScoreResult


@dataclass(frozen=True)
class Alert:
    kind: str  # item, score, worsening
    urgent: bool
    rule: int  # index of the rule in the definition
    message: dict  # for the clinician, per language
    value: Any = None


def evaluate_alerts(
    definition: Mapping,
    answers: Mapping[str, Any],
    result: ScoreResult,
    *,
    baseline: Mapping[str, float | None] | None = None,
) -> list[Alert]:
    found: list[Alert] = []
    enabled = all_enabled_links(definition, answers)
    items = {i["link_id"]: i for i in iter_items(definition.get("items") or []) if "link_id" in i}
    for index, rule in enumerate(definition.get("alerts") or []):
        urgent, message = bool(rule.get("urgent")), rule.get("message") or {}
        kind = rule["type"]
        if kind == "item":
            link = rule["link_id"]
            if link not in enabled:
                continue
            value = item_value(definition, items[link], answers.get(link))
            if value is not None and compare(value, rule["operator"], rule["value"]):
                found.append(Alert(kind, urgent, index, message, value))
        elif kind == "score":
            value = result.scores.get(rule["score"])
            if value is not None and compare(value, rule["operator"], rule["value"]):
                found.append(Alert(kind, urgent, index, message, value))
        elif kind == "worsening":
            value = result.scores.get(rule["score"])
            before = (baseline or {}).get(rule["score"])
            if value is None or before is None:
                continue
            change = value - before if rule.get("direction", "up") == "up" else before - value
            if change >= rule["points"]:
                found.append(Alert(kind, urgent, index, message, change))
    return found

"""Screening gates for self-enrolment (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .items import all_enabled_links, compare, item_value, iter_items
from .scoring import ScoreResult


def gate_refuses(screening: Mapping, definition: Mapping, answers: Mapping[str, Any], result: ScoreResult) -> bool:
    """True when any rule of the gate holds: the program is not suitable."""
    items = {i["link_id"]: i for i in iter_items(definition.get("items") or []) if "link_id" in i}
    enabled = all_enabled_links(definition, answers)
    for rule in screening.get("rules") or []:
        if "score" in rule:
            value = result.scores.get(rule["score"])
        elif rule.get("item") in items and rule["item"] in enabled:
            value = item_value(definition, items[rule["item"]], answers.get(rule["item"]))
        else:
            value = None
        if value is not None and compare(value, rule["operator"], rule["value"]):
            return True
    return False

"""Walking an instrument's items and reading answers (pure): which items are
shown for the answers so far, and what an answer is worth. Shared by scoring,
FHIR expressions, gates and read-outs."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

ANSWERABLE = {"choice", "multi", "integer", "decimal", "text", "date", "slider"}


def iter_items(items: list[dict]) -> Iterator[dict]:
    """Every item, depth first, groups included."""
    for item in items:
        yield item
        if item.get("items"):
            yield from iter_items(item["items"])


def options_of(definition: Mapping, item: Mapping) -> list[dict]:
    options = item.get("options") or []
    if isinstance(options, str):
        return definition.get("option_sets", {}).get(options, [])
    return options


def is_answered(value: Any) -> bool:
    return value not in (None, "", []) and not (isinstance(value, float) and math.isnan(value))


def compare(actual: Any, operator: str, expected: Any) -> bool:
    if operator == "exists":
        return is_answered(actual) == bool(expected)
    if not is_answered(actual):
        return False
    if isinstance(actual, list):
        return (expected in actual) if operator == "=" else (expected not in actual) if operator == "!=" else False
    try:
        a, e = float(actual), float(expected)
    except (TypeError, ValueError):
        a, e = str(actual), str(expected)
    return {
        "=": a == e,
        "!=": a != e,
        ">": a > e,
        "<": a < e,
        ">=": a >= e,
        "<=": a <= e,
    }.get(operator, False)


def is_enabled(item: Mapping, answers: Mapping[str, Any]) -> bool:
    """FHIR enableWhen: with no conditions an item is enabled."""
    conditions = item.get("enable_when") or []
    if not conditions:
        return True
    results = [compare(answers.get(c["question"]), c["operator"], c.get("answer")) for c in conditions]
    return any(results) if item.get("enable_behavior") == "any" else all(results)


def enabled_items(definition: Mapping, answers: Mapping[str, Any]) -> list[dict]:
    """Answerable items that are enabled by the current answers, in order.
    A group that is disabled disables everything in it."""
    result = []

    def walk(items):
        for item in items:
            if not is_enabled(item, answers):
                continue
            if item.get("type") == "group":
                walk(item.get("items") or [])
            elif item.get("type") in ANSWERABLE:
                result.append(item)

    walk(definition.get("items") or [])
    return result


def item_value(definition: Mapping, item: Mapping, answer: Any) -> float | None:
    """The numeric value of an answer: an option's value, or the number itself."""
    if not is_answered(answer):
        return None
    if item["type"] in ("choice", "multi"):
        by_code = {str(o["code"]): o.get("value") for o in options_of(definition, item)}
        codes = answer if isinstance(answer, list) else [answer]
        values = [by_code.get(str(code)) for code in codes]
        numbers = [v for v in values if v is not None]
        if not numbers:
            return None
        return float(sum(numbers))
    if item["type"] in ("integer", "decimal", "slider"):
        try:
            return float(answer)
        except (TypeError, ValueError):
            return None
    return None


def value_range(definition: Mapping, item: Mapping) -> tuple[float, float]:
    if item["type"] in ("choice", "multi"):
        values = [o.get("value") for o in options_of(definition, item) if o.get("value") is not None]
        return (min(values), max(values)) if values else (0.0, 0.0)
    return float(item.get("min", 0)), float(item.get("max", 0))


def all_enabled_links(definition: Mapping, answers: Mapping[str, Any]) -> set[str]:
    return {item["link_id"] for item in enabled_items(definition, answers)}

"""Presentation logic: show a step or element only when a condition on earlier
answers in the same enrolment holds. Pure functions, no database.

A condition is JSON:

    {"all": [<clause>, ...]}    every clause holds
    {"any": [<clause>, ...]}    at least one clause holds
    <clause>                     a single clause

A clause is ``{"ref": "<element key>[.<field>]", "op": "<op>", "value": <value>}``
where ``ref`` names an earlier element's answer: a questionnaire's total score
(``<key>.score``), a measurement (``<key>``), a worksheet field
(``<key>.<field>``), a checklist item (``<key>.<item>``: true when ticked) and so
on. ``op`` is one of ``eq ne gt ge lt le exists not_exists contains``. A clause
on an answer that is missing is false, except ``not_exists``.
``None`` (no condition) always holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OPS = ("eq", "ne", "gt", "ge", "lt", "le", "exists", "not_exists", "contains")
VALUELESS_OPS = {"exists", "not_exists"}
MISSING = object()


def evaluate(condition: Mapping | None, answers: Mapping[str, Any]) -> bool:
    """True when ``condition`` holds for ``answers`` (a mapping of ref → value)."""
    if condition is None or condition == {}:
        return True
    if "all" in condition:
        return all(evaluate(part, answers) for part in condition["all"])
    if "any" in condition:
        return any(evaluate(part, answers) for part in condition["any"])
    return _clause(condition, answers)


def _number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        try:
            return float(value.replace(",", "."))
        except ValueError:
            return None
    return None


def _clause(clause: Mapping, answers: Mapping[str, Any]) -> bool:
    op = clause["op"]
    actual = answers.get(clause["ref"], MISSING)
    if actual is None or actual == "":
        actual = MISSING
    if op == "exists":
        return actual is not MISSING
    if op == "not_exists":
        return actual is MISSING
    if actual is MISSING:
        return False
    expected = clause.get("value")
    if op == "contains":
        if isinstance(actual, list | tuple | set):
            return expected in actual
        return str(expected).casefold() in str(actual).casefold()
    if op in ("eq", "ne"):
        a_num, e_num = _number(actual), _number(expected)
        equal = a_num == e_num if a_num is not None and e_num is not None else actual == expected
        return equal if op == "eq" else not equal
    a_num, e_num = _number(actual), _number(expected)
    if a_num is None or e_num is None:
        return False
    return {"gt": a_num > e_num, "ge": a_num >= e_num, "lt": a_num < e_num, "le": a_num <= e_num}[op]


def validate(condition: Any, *, known_refs: set[str] | None = None, path: str = "condition") -> list[str]:
    """Problems with a condition's shape (empty list when it is well formed).

    With ``known_refs``, every ref must be one of them (answers that exist
    earlier in the program)."""
    if condition is None:
        return []
    if not isinstance(condition, Mapping):
        return [f"{path}: must be an object"]
    for group in ("all", "any"):
        if group in condition:
            parts = condition[group]
            if not isinstance(parts, list) or not parts:
                return [f"{path}.{group}: must be a non-empty list"]
            problems = []
            for index, part in enumerate(parts):
                problems += validate(part, known_refs=known_refs, path=f"{path}.{group}[{index}]")
            return problems
    problems = []
    ref, op = condition.get("ref"), condition.get("op")
    if not isinstance(ref, str) or not ref:
        problems.append(f"{path}: 'ref' must name an earlier answer")
    elif known_refs is not None and ref not in known_refs:
        problems.append(f"{path}: '{ref}' is not an answer given earlier in the program")
    if op not in OPS:
        problems.append(f"{path}: 'op' must be one of {', '.join(OPS)}")
    elif op not in VALUELESS_OPS and "value" not in condition:
        problems.append(f"{path}: '{op}' needs a 'value'")
    extra = set(condition) - {"ref", "op", "value"}
    if extra:
        problems.append(f"{path}: unknown keys {sorted(extra)}")
    return problems


def refs(condition: Mapping | None) -> set[str]:
    """Every answer a condition depends on."""
    if not condition:
        return set()
    for group in ("all", "any"):
        if group in condition:
            return set().union(*(refs(part) for part in condition[group]))
    return {condition["ref"]}


def describe(condition: Mapping | None) -> str:
    """A short readable form for the design tool and the clinician preview."""
    if not condition:
        return ""
    symbols = {"eq": "=", "ne": "≠", "gt": ">", "ge": "≥", "lt": "<", "le": "≤"}
    for group, word in (("all", " and "), ("any", " or ")):
        if group in condition:
            return "(" + word.join(describe(part) for part in condition[group]) + ")"
    op = condition["op"]
    if op in symbols:
        return f"{condition['ref']} {symbols[op]} {condition['value']}"
    if op == "contains":
        return f"{condition['ref']} contains {condition['value']!r}"
    return f"{condition['ref']} {'is answered' if op == 'exists' else 'is not answered'}"

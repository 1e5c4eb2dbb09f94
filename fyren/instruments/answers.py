"""Turning posted answers into typed answers (pure)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from .items import enabled_items, options_of

MAX_TEXT = 4000


def clean_answers(definition: Mapping, raw: Mapping[str, Any]) -> tuple[dict, dict]:
    """``raw`` maps link_id → posted value (a string, or a list for multiple
    choice). Returns (answers, errors): answers for enabled items only, typed;
    errors link_id → message. Required items are not checked here (a draft may
    be incomplete); see ``scoring.score(...).missing``."""
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    # Enablement depends on answers, so settle it in a few passes.
    for _round in range(5):
        items = enabled_items(definition, answers)
        changed = False
        for item in items:
            link = item["link_id"]
            if link in answers or link in errors:
                continue
            value = raw.get(link)
            if value in (None, "", []):
                continue
            typed, error = _typed(definition, item, value)
            if error:
                errors[link] = error
            else:
                answers[link] = typed
                changed = True
        if not changed:
            break
    enabled = {item["link_id"] for item in enabled_items(definition, answers)}
    answers = {link: value for link, value in answers.items() if link in enabled}
    errors = {link: error for link, error in errors.items() if link in enabled}
    return answers, errors


def _typed(definition, item, value):
    kind = item["type"]
    if kind == "choice":
        codes = {str(o["code"]) for o in options_of(definition, item)}
        value = value[0] if isinstance(value, list) else value
        return (str(value), None) if str(value) in codes else (None, _("Choose one of the answers."))
    if kind == "multi":
        values = value if isinstance(value, list) else [value]
        codes = {str(o["code"]) for o in options_of(definition, item)}
        if not set(map(str, values)) <= codes:
            return None, _("Choose among the answers.")
        return [str(v) for v in values], None
    if kind in ("integer", "slider", "decimal"):
        text = str(value[0] if isinstance(value, list) else value).strip().replace(",", ".")
        try:
            number = int(text) if kind != "decimal" else float(text)
        except ValueError:
            return None, _("Write a whole number.") if kind != "decimal" else _("Write a number.")
        low, high = item.get("min"), item.get("max")
        if (low is not None and number < low) or (high is not None and number > high):
            return None, _("Write a number from %(low)s to %(high)s.") % {"low": low, "high": high}
        return number, None
    if kind == "date":
        try:
            return dt.date.fromisoformat(str(value)).isoformat(), None
        except ValueError:
            return None, _("Write a date as YYYY-MM-DD.")
    if kind == "text":
        text = str(value).strip()
        return (text, None) if len(text) <= MAX_TEXT else (None, _("The answer is too long."))
    return None, None

"""A submitted response item by item, for the clinician: question, answer as the
citizen saw it, and the item's value; the items that raised an alert marked.
Pure: works on the definition the response was answered with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .items import all_enabled_links, item_value, iter_items, options_of


@dataclass(frozen=True)
class ItemRow:
    number: int
    link_id: str
    question: str
    answer: str
    value: float | None
    alert: bool  # this answer met an item alert rule of the response
    urgent: bool


def _text(value: Any, lang: str, fallback: str) -> str:
    if isinstance(value, Mapping):
        return str(value.get(lang) or value.get(fallback) or next(iter(value.values()), ""))
    return str(value or "")


def item_rows(definition: Mapping, answers: Mapping[str, Any], alerts: list[Mapping], *, lang: str) -> list[ItemRow]:
    """Every answerable item, in order, that was shown to the citizen."""
    fallback = (definition.get("languages") or ["sv"])[0]
    enabled = all_enabled_links(definition, answers)
    rules = definition.get("alerts") or []
    fired: dict[str, bool] = {}
    for alert in alerts:
        index = alert.get("rule")
        if isinstance(index, int) and 0 <= index < len(rules) and rules[index].get("type") == "item":
            link = rules[index]["link_id"]
            fired[link] = fired.get(link, False) or bool(alert.get("urgent"))
    rows: list[ItemRow] = []
    number = 0
    for item in iter_items(definition.get("items") or []):
        if item.get("type") in ("display", "group") or "link_id" not in item:
            continue
        number += 1
        link = item["link_id"]
        if link not in enabled:
            continue
        answer = answers.get(link)
        if item["type"] in ("choice", "multi"):
            by_code = {str(o["code"]): _text(o.get("text"), lang, fallback) for o in options_of(definition, item)}
            codes = answer if isinstance(answer, list) else ([] if answer in (None, "") else [answer])
            shown = "; ".join(by_code.get(str(code), str(code)) for code in codes)
        else:
            shown = "" if answer is None else str(answer)
        rows.append(
            ItemRow(
                number=number,
                link_id=link,
                question=_text(item.get("text"), lang, fallback),
                answer=shown,
                value=item_value(definition, item, answer),
                alert=link in fired,
                urgent=fired.get(link, False),
            )
        )
    return rows

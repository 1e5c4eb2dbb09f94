"""The instrument library shipped with Fyren: one JSON file per instrument in
``data/`` (its code is the file's name), read and checked once when Fyren
starts (``InstrumentsConfig.ready``). A file that breaks a rule stops the start
with the file and the rule named, so a broken instrument never reaches a
citizen.

Each definition follows the published scoring of the instrument (``source``
names it). Swedish item texts follow the Swedish versions in clinical use;
where an official Swedish wording is licensed or unavailable to us, the text is
a faithful translation marked as such in ``source``. Regions add their own
instruments (including licensed ones) in the design tool.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from .items import iter_items, options_of

DATA = Path(__file__).resolve().parent / "data"
REQUIRED = ("code", "version", "name", "languages", "source", "licence", "items", "scoring")
OPERATORS = {"=", "!=", ">", ">=", "<", "<=", "exists"}
ALERT_TYPES = {"item", "score", "worsening"}


def _texts(where: str, value: Any, languages: list[str]) -> list[str]:
    if not isinstance(value, Mapping):
        return [f"{where}: a text in each language ({', '.join(languages)}) is missing"]
    missing = [lang for lang in languages if not str(value.get(lang) or "").strip()]
    return [f"{where}: no text in {', '.join(missing)}"] if missing else []


def definition_problems(definition: Mapping) -> list[str]:
    """What is wrong with an instrument's definition (nothing when it may be used):
    the fields every instrument has, texts in each of its languages, unique item
    ids, answer options for every choice, scores over items that exist, bands
    that do not overlap, and alerts on items and scores that exist."""
    problems = [f"no {key}" for key in REQUIRED if key not in definition]
    if problems:
        return problems
    languages = list(definition["languages"])
    if "sv" not in languages:
        problems.append("languages: Swedish (sv) is missing")
    problems += _texts("name", definition["name"], languages)
    if "intro" in definition:
        problems += _texts("intro", definition["intro"], languages)
    links: set[str] = set()
    for item in iter_items(definition["items"]):
        link = item.get("link_id")
        if not link:
            problems.append("an item has no link_id")
            continue
        if link in links:
            problems.append(f"item {link}: link_id used twice")
        links.add(link)
        problems += _texts(f"item {link}", item.get("text"), languages)
        if item.get("type") == "choice":
            options = options_of(definition, item)
            if not options:
                problems.append(f"item {link}: no answer options")
            for option in options:
                if not isinstance(option.get("value"), int | float):
                    problems.append(f"item {link}: option {option.get('code')} has no numeric value")
                problems += _texts(f"item {link} option {option.get('code')}", option.get("text"), languages)
        for condition in item.get("enable_when") or []:
            if condition.get("question") not in links:
                problems.append(f"item {link}: enable_when names {condition.get('question')}, not an earlier item")
    scoring = definition["scoring"]
    scores: set[str] = set()
    for score in scoring.get("scores") or []:
        scores.add(score["id"])
        unknown = [link for link in score.get("items") or [] if link not in links]
        if unknown:
            problems.append(f"score {score['id']}: no items {', '.join(unknown)}")
    for score_id, bands in (scoring.get("bands") or {}).items():
        if score_id not in scores:
            problems.append(f"bands for {score_id}: no such score")
        ordered = sorted(bands, key=lambda band: band["min"])
        for band in ordered:
            if band["min"] > band["max"]:
                problems.append(f"band {band['code']}: min above max")
            problems += _texts(f"band {band['code']}", band.get("label"), languages)
        for lower, upper in zip(ordered, ordered[1:], strict=False):
            if upper["min"] <= lower["max"]:
                problems.append(f"bands {lower['code']} and {upper['code']} overlap")
    for number, alert in enumerate(definition.get("alerts") or [], start=1):
        kind = alert.get("type")
        if kind not in ALERT_TYPES:
            problems.append(f"alert {number}: unknown type {kind}")
        elif kind == "item" and alert.get("link_id") not in links:
            problems.append(f"alert {number}: no item {alert.get('link_id')}")
        elif kind in ("score", "worsening") and alert.get("score") not in scores:
            problems.append(f"alert {number}: no score {alert.get('score')}")
        if kind in ("item", "score") and alert.get("operator") not in OPERATORS:
            problems.append(f"alert {number}: unknown operator {alert.get('operator')}")
        problems += _texts(f"alert {number}", alert.get("message"), languages)
    return problems


def load(directory: Path = DATA) -> dict[str, dict]:
    """Every instrument in ``directory``, by code; refuses a file that breaks a rule."""
    library: dict[str, dict] = {}
    for path in sorted(directory.glob("*.json")):
        try:
            definition = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise ImproperlyConfigured(f"Instrument file {path.name} is not JSON: {exc}") from None
        problems = definition_problems(definition)
        if definition.get("code") != path.stem:
            problems.append(f"code {definition.get('code')!r} is not the file's name")
        if problems:
            raise ImproperlyConfigured(f"Instrument file {path.name}: " + "; ".join(problems))
        library[path.stem] = definition
    return library


LIBRARY: dict[str, dict] = load()

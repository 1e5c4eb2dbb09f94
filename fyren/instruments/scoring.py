"""Scoring of questionnaires as pure functions: answers in, scores out.

An instrument definition is JSON (see ``library.py`` for the shipped ones):

- ``items``: questions with ``link_id``, ``type`` (choice, multi, integer,
  decimal, text, date, slider, display, group), translated ``text``,
  ``required``, ``options`` (a list, or the name of a shared option set) with a
  numeric ``value`` each, ``min``/``max``, ``enable_when`` (FHIR-style:
  ``[{"question", "operator", "answer"}]``), ``enable_behavior`` (all/any),
  ``value_when_disabled`` (the score an item gets when skipped by logic, as in
  K10), and nested ``items`` for groups.
- ``scoring.scores``: each with ``id``, ``items``, ``method`` (sum or mean),
  ``reverse`` (link ids scored max+min−value), ``multiplier`` (WHO-5 ×4),
  ``max_missing`` (prorate a sum when at most this many items are missing).
- ``scoring.bands``: per score, ranges with a label and an interpretation;
  ``scoring.bands_by_sex`` for sex-specific cut-offs (AUDIT-C).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .fhirpath import evaluate_score
from .items import enabled_items, is_answered, item_value, iter_items, value_range


@dataclass(frozen=True)
class Band:
    score: str
    min: float
    max: float
    code: str
    label: dict
    interpretation: dict


@dataclass
class ScoreResult:
    scores: dict[str, float | None] = field(default_factory=dict)
    bands: dict[str, Band | None] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # required, enabled, unanswered items
    prorated: set[str] = field(default_factory=set)

    @property
    def complete(self) -> bool:
        return not self.missing


def score(definition: Mapping, answers: Mapping[str, Any], *, sex: str | None = None) -> ScoreResult:
    """Scores, bands and missing required items for ``answers`` (link_id → answer)."""
    all_items = {i["link_id"]: i for i in iter_items(definition.get("items") or []) if "link_id" in i}
    enabled = {i["link_id"] for i in enabled_items(definition, answers)}
    result = ScoreResult()
    result.missing = [
        link for link in enabled if all_items[link].get("required") and not is_answered(answers.get(link))
    ]
    result.missing.sort(key=list(all_items).index)
    scoring = definition.get("scoring") or {}
    for spec in scoring.get("scores") or []:
        if spec.get("expression"):
            total = evaluate_score(spec["expression"], definition, answers)
            if total is not None and float(total).is_integer():
                total = int(total)
            result.scores[spec["id"]] = total
            result.bands[spec["id"]] = band_for(scoring, spec["id"], total, sex=sex)
            continue
        values, missing = [], 0
        reverse = set(spec.get("reverse") or [])
        for link in spec["items"]:
            item = all_items[link]
            if link not in enabled:
                if "value_when_disabled" in item:
                    values.append(float(item["value_when_disabled"]))
                continue
            value = item_value(definition, item, answers.get(link))
            if value is None:
                missing += 1
                continue
            if link in reverse:
                low, high = value_range(definition, item)
                value = high + low - value
            values.append(value)
        total: float | None
        counted = len(values) + missing
        if missing > spec.get("max_missing", 0) or not values:
            total = None
        elif spec.get("method", "sum") == "mean":
            total = sum(values) / len(values)
        else:
            total = sum(values)
            if missing:
                total = round(total * counted / len(values))
                result.prorated.add(spec["id"])
        if total is not None and spec.get("multiplier"):
            total = total * spec["multiplier"]
        if total is not None and float(total).is_integer():
            total = int(total)
        result.scores[spec["id"]] = total
        result.bands[spec["id"]] = band_for(scoring, spec["id"], total, sex=sex)
    return result


def band_for(scoring: Mapping, score_id: str, value: float | None, *, sex: str | None = None) -> Band | None:
    if value is None:
        return None
    by_sex = (scoring.get("bands_by_sex") or {}).get(score_id)
    bands = (by_sex or {}).get(sex or "", None) if by_sex else None
    if bands is None:
        bands = (scoring.get("bands") or {}).get(score_id) or []
    for band in bands:
        if band["min"] <= value <= band["max"]:
            return Band(
                score_id, band["min"], band["max"], band.get("code", ""), band["label"], band.get("interpretation", {})
            )
    return None


def primary_score_id(definition: Mapping) -> str | None:
    """The score to show when only one is shown (graphs, dashboard, journal):
    the first with severity bands, else the first (WHO-5: the percent score)."""
    scoring = definition.get("scoring") or {}
    specs = scoring.get("scores") or []
    if not specs:
        return None
    bands = scoring.get("bands") or {}
    return next((s["id"] for s in specs if s["id"] in bands), specs[0]["id"])


def band_label(definition: Mapping, score_id: str, code: str | None):
    """The (per-language) label of band ``code`` of a score, or None."""
    bands = ((definition.get("scoring") or {}).get("bands") or {}).get(score_id, [])
    band = next((b for b in bands if b["code"] == code), None)
    return band["label"] if band else None


def max_score(definition: Mapping, score_id: str) -> float:
    """The highest possible value of a score (for graphs)."""
    all_items = {i["link_id"]: i for i in iter_items(definition.get("items") or []) if "link_id" in i}
    spec = next(s for s in definition["scoring"]["scores"] if s["id"] == score_id)
    if spec.get("expression"):
        return float(spec.get("max", 0)) or 100.0
    highs = [value_range(definition, all_items[link])[1] for link in spec["items"]]
    total = max(highs) if spec.get("method") == "mean" else sum(highs)
    return total * spec.get("multiplier", 1)

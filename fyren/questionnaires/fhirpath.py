"""Scores given as FHIRPath expressions (SDC ``calculatedExpression``), evaluated
with fhirpathpy over a QuestionnaireResponse built from the answers (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fhirpathpy import evaluate

from .items import all_enabled_links, options_of

ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"


def answer_system(definition: Mapping) -> str:
    return f"urn:fyren:questionnaire:{definition.get('code', 'x')}:answers"


def response_items(
    definition: Mapping, answers: Mapping[str, Any], items=None, lang: str | None = None, enabled: set | None = None
) -> list:
    """QuestionnaireResponse.item for ``answers``, following the definition's
    structure. Items disabled by enableWhen carry no answer (as FHIR requires)."""
    lang = lang or (definition.get("languages") or ["sv"])[0]
    if enabled is None:
        enabled = all_enabled_links(definition, answers)
    out = []
    for item in definition.get("items") if items is None else items:
        kind = item.get("type")
        if kind == "group":
            children = response_items(definition, answers, item.get("items") or [], lang, enabled)
            if children:
                out.append({"linkId": item["link_id"], "item": children})
            continue
        value = answers.get(item.get("link_id"))
        if kind == "display" or value in (None, "", []) or item.get("link_id") not in enabled:
            continue
        entry = {"linkId": item["link_id"], "answer": []}
        text = (item.get("text") or {}).get(lang)
        if text:
            entry["text"] = text
        if kind in ("choice", "multi"):
            options = {str(o["code"]): o for o in options_of(definition, item)}
            for code in value if isinstance(value, list) else [value]:
                option = options.get(str(code))
                if option is None:
                    continue
                coding = {"system": answer_system(definition), "code": str(code)}
                display = (option.get("text") or {}).get(lang)
                if display:
                    coding["display"] = display
                if option.get("value") is not None:
                    coding["extension"] = [{"url": ORDINAL, "valueDecimal": option["value"]}]
                entry["answer"].append({"valueCoding": coding})
        elif kind in ("integer", "slider"):
            entry["answer"].append({"valueInteger": int(value)})
        elif kind == "decimal":
            entry["answer"].append({"valueDecimal": float(value)})
        elif kind == "date":
            entry["answer"].append({"valueDate": str(value)})
        else:
            entry["answer"].append({"valueString": str(value)})
        if entry["answer"]:
            out.append(entry)
    return out


def evaluate_score(expression: str, definition: Mapping, answers: Mapping[str, Any]) -> float | None:
    resource = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": response_items(definition, answers),
    }
    try:
        result = evaluate(resource, expression, {"resource": resource})
    except Exception:  # a malformed expression gives no score rather than an error page
        return None
    numbers = [v for v in result if isinstance(v, int | float) and not isinstance(v, bool)]
    return numbers[0] if numbers else None

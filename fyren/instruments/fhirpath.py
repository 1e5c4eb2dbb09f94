"""Scores given as FHIRPath expressions (SDC ``calculatedExpression``), evaluated
with fhirpathpy over a QuestionnaireResponse built from the answers (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fhirpathpy import evaluate
from fhirpathpy.engine.nodes import ResourceNode
from fhirpathpy.models import models

from .items import all_enabled_links, options_of

ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"


# --- the SDC functions real questionnaires use (not in base FHIRPath) ------------------------


def _answers(inputs: list) -> list:
    """SDC ``answers()``: every answer below the input (items and nested items)."""
    found: list = []

    def walk(node):
        if not isinstance(node, Mapping):
            return
        for answer in node.get("answer") or []:
            found.append(ResourceNode.create_node(answer, "QuestionnaireResponse.item.answer"))
            for child in answer.get("item") or []:
                walk(child)
        for child in node.get("item") or []:
            walk(child)

    for node in inputs:
        walk(node)
    return found


def _ordinal(inputs: list) -> list:
    """SDC ``ordinal()`` / ``weight()``: the weight an answer's coding carries."""
    found = []
    for coding in inputs:
        if not isinstance(coding, Mapping):
            continue
        for extension in coding.get("extension") or []:
            if extension.get("url") in (ORDINAL, ITEM_WEIGHT):
                value = extension.get("valueDecimal", extension.get("valueInteger"))
                if value is not None:
                    found.append(value)
                    break
    return found


SDC_FUNCTIONS = {
    "answers": {"fn": _answers, "arity": {0: []}},
    "ordinal": {"fn": _ordinal, "arity": {0: []}},
    "weight": {"fn": _ordinal, "arity": {0: []}},
}


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


def evaluate_score(
    expression: str, definition: Mapping, answers: Mapping[str, Any], variables: list | None = None
) -> float | None:
    """The score ``expression`` gives for ``answers`` (None when it gives no number).
    ``%resource`` is the response; the definition's SDC variables (name and
    expression, in order) are evaluated first and available as ``%name``."""
    resource = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": response_items(definition, answers),
    }
    scoring = definition.get("scoring") or {}
    context: dict[str, Any] = {"resource": resource, "questionnaire": scoring.get("questionnaire") or {}}
    options = {"userInvocationTable": SDC_FUNCTIONS}
    try:
        for variable in (
            variables if variables is not None else (definition.get("scoring") or {}).get("variables") or []
        ):
            context[variable["name"]] = evaluate(resource, variable["expression"], context, models["r4"], options)
        result = evaluate(resource, expression, context, models["r4"], options)
    except Exception:  # a malformed expression gives no score rather than an error page
        return None
    numbers = [v for v in result if isinstance(v, int | float) and not isinstance(v, bool)]
    return numbers[0] if numbers else None

"""Scores given as FHIRPath expressions (SDC ``calculatedExpression``), evaluated
with fhirpathpy over a QuestionnaireResponse built from the answers (pure)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
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
    """SDC ``ordinal()`` / ``weight()``: the weight an answer's coding carries,
    called on the coding or on the answer that holds it."""
    found = []
    for coding in inputs:
        if not isinstance(coding, Mapping):
            continue
        coding = coding.get("valueCoding", coding)
        for extension in coding.get("extension") or []:
            if extension.get("url") in (ORDINAL, ITEM_WEIGHT):
                value = extension.get("valueDecimal", extension.get("valueInteger"))
                if value is not None:
                    found.append(value)
                    break
    return found


def _power(inputs: list, exponent) -> list:
    """FHIRPath ``power()``. fhirpathpy 2.x gives nothing for any exponent that is not
    a whole number (Framingham's ``(0.9402).power(…)``); the specification leaves
    only results that cannot be represented (a negative base to a fraction) empty."""
    exponent = exponent[0] if isinstance(exponent, list) and len(exponent) == 1 else exponent
    if len(inputs) != 1 or isinstance(exponent, list) or exponent is None:
        return []
    base, power = Decimal(str(inputs[0])), Decimal(str(exponent))
    if base < 0 and power != power.to_integral_value():
        return []
    try:
        result = base**power
    except ArithmeticError:
        return []
    return [result] if result.is_finite() else []  # 0 to a negative power


SDC_FUNCTIONS = {
    "answers": {"fn": _answers, "arity": {0: []}},
    "ordinal": {"fn": _ordinal, "arity": {0: []}},
    "weight": {"fn": _ordinal, "arity": {0: []}},
    "power": {"fn": _power, "arity": {1: ["Number"]}},
}


_SUM_OF = re.compile(r"\.sum\(\s*(?=[^)\s])")


def sum_with_projection(expression: str) -> str:
    """``x.sum(expr)``, the form of the SDC 3.0 examples (``answers().sum(value.ordinal())``),
    as FHIRPath's ``x.select(expr).sum()``: the same sum, in the form fhirpathpy knows."""
    out, position = [], 0
    for match in _SUM_OF.finditer(expression):
        if match.start() < position:
            continue
        depth, end = 1, match.end()
        while end < len(expression) and depth:
            depth += {"(": 1, ")": -1}.get(expression[end], 0)
            end += 1
        if depth:
            return expression  # unbalanced: left for the evaluator to refuse
        argument = sum_with_projection(expression[match.end() : end - 1])
        out.append(f"{expression[position : match.start()]}.select({argument}).sum()")
        position = end
    return "".join(out) + expression[position:]


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
    numbers = [v for v in result if isinstance(v, int | float | Decimal) and not isinstance(v, bool)]
    if not numbers:
        return None
    number = numbers[0]
    if isinstance(number, Decimal):  # FHIRPath decimals (a multiplication by 0.0254) come back as Decimal
        if not number.is_finite():
            return None
        number = int(number) if number == number.to_integral_value() else float(number)
    return number

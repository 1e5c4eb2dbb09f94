"""FHIR R4 mappers for questionnaires: instrument ⇄ Questionnaire, answers →
QuestionnaireResponse, scores → Observation. Pure functions over plain data.

Translations use the core ``translation`` extension; answer weights the
``ordinalValue`` extension (``itemWeight`` is read too); scores are calculated
items with the SDC ``calculatedExpression`` extension (FHIRPath), which import
turns into expression scores evaluated with fhirpathpy.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from .fhirpath import ORDINAL, answer_system, response_items, sum_with_projection
from .items import iter_items, options_of
from .library import LIBRARY
from .scoring import band_for, score

TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
# Where real Questionnaires put an answer's weight besides ordinalValue/itemWeight:
# the pre-R4 name of ordinalValue, and the Argonaut Questionnaire score extension.
WEIGHT_URLS = (
    "http://hl7.org/fhir/StructureDefinition/valueset-ordinalValue",
    "http://hl7.org/fhir/StructureDefinition/iso21090-CO-value",
    "http://hl7.org/fhir/StructureDefinition/questionnaire-ordinalValue",
    "http://fhir.org/guides/argonaut/questionnaire/StructureDefinition/extension-score",
    "http://fhir.org/guides/argonaut-questionnaire/StructureDefinition/extension-score",
)
CALCULATED = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
PERSONNUMMER = "http://electronichealth.se/identifier/personnummer"
SAMORDNINGSNUMMER = "http://electronichealth.se/identifier/samordningsnummer"
LOINC = "http://loinc.org"
TYPES_OUT = {
    "choice": "choice",
    "multi": "choice",
    "integer": "integer",
    "decimal": "decimal",
    "text": "text",
    "date": "date",
    "slider": "integer",
    "display": "display",
    "group": "group",
}


VARIABLE = "http://hl7.org/fhir/StructureDefinition/variable"
# LOINC answer lists used by the library's instruments (PHQ-9 and GAD-7 share the
# frequency list LL358-3), with their weights, for questionnaires that refer to
# the list by its canonical instead of containing it.
LOINC_ANSWER_LISTS = {
    "LL358-3": [
        ("LA6568-5", "Not at all", 0),
        ("LA6569-3", "Several days", 1),
        ("LA6570-1", "More than half the days", 2),
        ("LA6571-9", "Nearly every day", 3),
    ],
}
# Total scores by LOINC code: an item with one of these codes (or another LOINC
# code named a "total score"), no answers and no formula is the instrument's sum
# (offered to the designer, stated plainly, never silently).
LOINC_TOTALS = {"44261-6": "PHQ-9", "70274-6": "GAD-7", "55758-7": "PHQ-2", "70273-8": "PHQ-15"}
# LOINC answers that carry the same score in every list they are in (the Glasgow
# coma scale's), for questionnaires that list them without weights.
LOINC_ANSWER_SCORES = {
    **{code: n for n, code in enumerate(["LA6553-7", "LA6554-5", "LA6555-2", "LA6556-0"], start=1)},  # eyes
    **{code: n for n, code in enumerate(["LA6557-8", "LA6558-6", "LA6559-4", "LA6560-2", "LA6561-0"], start=1)},
    **{code: n for n, code in enumerate(["LA6562-8", "LA6563-6", "LA6564-4", "LA6565-1", "LA6566-9", "LA6567-7"], 1)},
}
NUMERIC = ("integer", "decimal", "quantity")
# Known instruments by the Questionnaire's LOINC code (their safety alerts), and
# the LOINC codes of their items in the library's order.
LOINC_INSTRUMENTS = {"44249-1": "phq9", "69737-5": "gad7", "55757-9": "phq2"}
LOINC_ITEMS = {
    "phq9": ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"],
    "gad7": ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"],
    "phq2": ["44250-9", "44255-8"],
}


class InvalidQuestionnaire(ValueError):
    """The resource cannot be imported; the message names the problem."""


class _Context:
    """What an import collects on its way through the items."""

    def __init__(self, resource: Mapping, language: str):
        self.language = language
        self.seen: set = set()
        self.scores: list = []
        self.loinc: dict = {}
        self.notes: list[str] = []
        self.totals: list[tuple[str, str, str]] = []  # (link id, LOINC code, name) of totals without a formula
        self.value_sets: dict[str, Mapping] = {}
        self.variables: list[dict] = []
        # LOINC answers' scores: the Glasgow coma scale's always; the frequency list's
        # (LL358-3) when the Questionnaire is a PHQ-9, GAD-7 or PHQ-2 by its LOINC code.
        self.answer_scores = dict(LOINC_ANSWER_SCORES)
        if any(c.get("code") in LOINC_INSTRUMENTS for c in resource.get("code") or []):
            self.answer_scores |= {code: weight for code, _display, weight in LOINC_ANSWER_LISTS["LL358-3"]}
        for contained in resource.get("contained") or []:
            if isinstance(contained, Mapping) and contained.get("resourceType") == "ValueSet" and contained.get("id"):
                self.value_sets["#" + contained["id"]] = contained
                if contained.get("url"):
                    self.value_sets[contained["url"]] = contained


def base_url() -> str:
    return getattr(settings, "FYREN_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")


def resource_id(code: str) -> str:
    return re.sub(r"[^A-Za-z0-9\-.]", "-", code)[:64]


def canonical(definition: Mapping) -> str:
    return f"{base_url()}/fhir/Questionnaire/{resource_id(definition['code'])}"


# --- export ----------------------------------------------------------------------------


def _text(value: Mapping | None, languages) -> tuple[str | None, dict | None]:
    """(text in the first language, ``_text`` element with translations)."""
    value = value or {}
    primary = next((value[lang] for lang in languages if value.get(lang)), None)
    if primary is None:
        return None, None
    extensions = [
        {"url": TRANSLATION, "extension": [{"url": "lang", "valueCode": lang}, {"url": "content", "valueString": text}]}
        for lang, text in value.items()
        if text and lang != languages[0] and lang in languages
    ]
    return primary, ({"extension": extensions} if extensions else None)


def _put_text(target: dict, name: str, value, languages):
    primary, element = _text(value, languages)
    if primary is not None:
        target[name] = primary
        if element:
            target[f"_{name}"] = element


def _answer_term(definition: Mapping, item: Mapping) -> str:
    path = f"%resource.repeat(item).where(linkId='{item['link_id']}').answer"
    if item["type"] in ("choice", "multi"):
        values = f"{path}.valueCoding.extension.where(url='{ORDINAL}').valueDecimal"
        term = f"{values}.aggregate($this + $total, 0)" if item["type"] == "multi" else f"{values}.first()"
    elif item["type"] == "decimal":
        term = f"{path}.valueDecimal.first()"
    else:
        term = f"{path}.valueInteger.first()"
    if "value_when_disabled" in item:
        term = f"({term} | {item['value_when_disabled']}).first()"
    return term


def score_expression(definition: Mapping, spec: Mapping) -> str:
    if spec.get("expression"):
        return spec["expression"]
    items = {i["link_id"]: i for i in iter_items(definition["items"]) if "link_id" in i}
    reverse = set(spec.get("reverse") or [])
    terms = []
    for link in spec["items"]:
        term = _answer_term(definition, items[link])
        if link in reverse:
            values = [o.get("value") for o in options_of(definition, items[link]) if o.get("value") is not None]
            low, high = (min(values), max(values)) if values else (items[link].get("min", 0), items[link].get("max", 0))
            term = f"({low + high} - {term})"
        terms.append(term)
    expression = " + ".join(terms)
    if spec.get("method") == "mean":
        expression = f"({expression}) / {len(terms)}"
    if spec.get("multiplier"):
        expression = f"({expression}) * {spec['multiplier']}"
    return expression


def _item_out(definition: Mapping, item: Mapping, languages) -> dict:
    out: dict[str, Any] = {"linkId": item["link_id"], "type": TYPES_OUT[item["type"]]}
    _put_text(out, "text", item.get("text"), languages)
    if item.get("required"):
        out["required"] = True
    codes = [
        {k: c[k] for k in ("system", "code", "display") if c.get(k)} for c in item.get("code") or [] if c.get("code")
    ]
    if codes:
        out["codes"] = codes  # kept: a record system reads the item by its code
    if item["type"] == "multi":
        out["repeats"] = True
    extensions = []
    for key, url in (("min", MIN_VALUE), ("max", MAX_VALUE)):
        if item.get(key) is not None and item["type"] in ("integer", "decimal", "slider"):
            typed = "valueDecimal" if item["type"] == "decimal" else "valueInteger"
            extensions.append({"url": url, typed: item[key] if item["type"] == "decimal" else int(item[key])})
    if item["type"] == "slider":
        extensions.append(
            {
                "url": ITEM_CONTROL,
                "valueCodeableConcept": {
                    "coding": [{"system": "http://hl7.org/fhir/questionnaire-item-control", "code": "slider"}]
                },
            }
        )
    if extensions:
        out["extension"] = extensions
    if item.get("enable_when"):
        out["enableWhen"] = [_enable_when_out(definition, condition) for condition in item["enable_when"]]
        if len(item["enable_when"]) > 1:
            out["enableBehavior"] = item.get("enable_behavior", "all")
    if item["type"] in ("choice", "multi"):
        out["answerOption"] = []
        for option in options_of(definition, item):
            coding = {"system": answer_system(definition), "code": str(option["code"])}
            _put_text(coding, "display", option.get("text"), languages)
            entry: dict[str, Any] = {"valueCoding": coding}
            if option.get("value") is not None:
                entry["extension"] = [{"url": ORDINAL, "valueDecimal": option["value"]}]
            out["answerOption"].append(entry)
    if item.get("items"):
        out["item"] = [_item_out(definition, child, languages) for child in item["items"]]
    return out


def _enable_when_out(definition: Mapping, condition: Mapping) -> dict:
    target = next((i for i in iter_items(definition["items"]) if i.get("link_id") == condition["question"]), {})
    out = {"question": condition["question"], "operator": condition["operator"]}
    answer = condition.get("answer")
    if condition["operator"] == "exists":
        out["answerBoolean"] = bool(answer)
    elif target.get("type") in ("choice", "multi"):
        out["answerCoding"] = {"system": answer_system(definition), "code": str(answer)}
    elif target.get("type") in ("integer", "slider"):
        out["answerInteger"] = int(answer)
    elif target.get("type") == "decimal":
        out["answerDecimal"] = float(answer)
    else:
        out["answerString"] = str(answer)
    return out


def instrument_to_questionnaire(definition: Mapping) -> dict:
    languages = definition.get("languages") or ["sv"]
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": resource_id(definition["code"]),
        "url": canonical(definition),
        "version": str(definition.get("version", "1")),
        "name": re.sub(r"[^A-Za-z0-9]", "", definition["code"]).upper() or "Q",
        "status": "active",
        "language": languages[0],
    }
    _put_text(resource, "title", definition.get("name"), languages)
    if definition.get("source"):
        resource["description"] = definition["source"]
    if definition.get("licence"):
        resource["copyright"] = definition["licence"]
    items = [_item_out(definition, item, languages) for item in definition["items"]]
    loinc = (definition.get("scoring") or {}).get("loinc") or {}
    for spec in (definition.get("scoring") or {}).get("scores") or []:
        score_item = {
            "linkId": f"score-{spec['id']}",
            "type": "decimal",
            "text": spec["id"],
            "readOnly": True,
            "extension": [
                {
                    "url": CALCULATED,
                    "valueExpression": {"language": "text/fhirpath", "expression": score_expression(definition, spec)},
                }
            ],
        }
        if loinc.get(spec["id"]):
            score_item["code"] = [{"system": LOINC, "code": loinc[spec["id"]]}]
        items.append(score_item)
    resource["item"] = items
    return resource


# --- import ------------------------------------------------------------------------------


def _texts_in(element: Mapping, name: str, language: str) -> dict:
    texts = {}
    if element.get(name):
        texts[language] = element[name]
    for extension in (element.get(f"_{name}") or {}).get("extension") or []:
        if extension.get("url") == TRANSLATION:
            parts = {e.get("url"): e for e in extension.get("extension") or []}
            lang, content = parts.get("lang", {}).get("valueCode"), parts.get("content", {}).get("valueString")
            if lang and content:
                texts[lang] = content
    return texts


def _weight(option: Mapping) -> float | None:
    for holder in (option, option.get("valueCoding") or {}):
        for extension in holder.get("extension") or []:
            if extension.get("url") in (ORDINAL, ITEM_WEIGHT, *WEIGHT_URLS):
                value = extension.get("valueDecimal", extension.get("valueInteger"))
                if value is not None:
                    return value
    return None


def _value_set_options(reference: str, ctx: _Context, where: str) -> list[dict]:
    """Options from an ``answerValueSet``: a contained ValueSet (its concepts or
    its expansion), or a LOINC answer list Fyren knows."""
    value_set = ctx.value_sets.get(reference)
    concepts: list[tuple[Mapping, str | None]] = []
    if value_set is not None:
        for include in (value_set.get("compose") or {}).get("include") or []:
            concepts += [(c, include.get("system")) for c in include.get("concept") or []]
        if not concepts:
            concepts = [(c, c.get("system")) for c in (value_set.get("expansion") or {}).get("contains") or []]
    else:
        list_id = reference.rstrip("/").rsplit("/", 1)[-1]
        known = LOINC_ANSWER_LISTS.get(list_id)
        if known is None:
            raise InvalidQuestionnaire(
                f"{where}: the answer value set '{reference}' is neither contained in the Questionnaire "
                "nor a LOINC answer list Fyren knows; include it as a contained ValueSet."
            )
        return [{"code": code, "value": weight, "text": {"en": display}} for code, display, weight in known]
    options = []
    for concept, _system in concepts:
        if not concept.get("code"):
            raise InvalidQuestionnaire(f"{where}: a concept of '{reference}' has no code.")
        texts = _texts_in(concept, "display", ctx.language)
        for designation in concept.get("designation") or []:
            if designation.get("language") and designation.get("value"):
                texts.setdefault(designation["language"].split("-")[0], designation["value"])
        weight = _weight(concept)
        if weight is None and (_system or concept.get("system")) == LOINC:
            weight = ctx.answer_scores.get(str(concept["code"]))
        options.append({"code": str(concept["code"]), "value": weight, "text": texts})
    if not options:
        raise InvalidQuestionnaire(f"{where}: the answer value set '{reference}' has no concepts.")
    return options


def _item_in(item: Mapping, path: str, ctx: _Context) -> dict | None:
    language, seen, scores, loinc = ctx.language, ctx.seen, ctx.scores, ctx.loinc
    link = item.get("linkId")
    if not isinstance(link, str) or not link:
        raise InvalidQuestionnaire(f"{path}: every item needs a linkId.")
    if link in seen:
        raise InvalidQuestionnaire(f"{path}: the linkId '{link}' is used twice.")
    seen.add(link)
    kind = item.get("type")
    for extension in item.get("extension") or []:
        if extension.get("url") == VARIABLE:
            _variable_in(extension, f"{path} ({link})", ctx)
    calculated = next((e for e in item.get("extension") or [] if e.get("url") == CALCULATED), None)
    if calculated:
        expression = (calculated.get("valueExpression") or {}).get("expression")
        if not expression:
            raise InvalidQuestionnaire(f"{path} ({link}): the calculatedExpression has no expression.")
        if kind not in NUMERIC:
            # A calculated text or coded answer (a risk category, a percentage as text) is not a score.
            ctx.notes.append(
                _(
                    "'%(link)s' is calculated but is not a number (type %(type)s): it is left out; Fyren keeps "
                    "numeric scores only."
                )
                % {"link": link, "type": kind}
            )
            return None
        score_id = link.removeprefix("score-")
        rewritten = sum_with_projection(expression)
        if rewritten != expression:
            ctx.notes.append(
                _("The score '%(id)s' is written with sum(…) of an expression: read as select(…).sum().")
                % {"id": score_id}
            )
        scores.append({"id": score_id, "expression": rewritten})
        for coding in item.get("code") or []:
            if coding.get("system") == LOINC and coding.get("code"):
                loinc[score_id] = coding["code"]
        return None
    answers_given = item.get("answerOption") or item.get("answerValueSet") or item.get("options") or item.get("option")
    total = _loinc_total(item) if not answers_given and kind in (*NUMERIC, "display") else None
    if total:
        # A total score the patient is not asked for, with no formula: noted, offered as a sum.
        ctx.totals.append((link, *total))
        return None
    supported = {"group", "display", "choice", "open-choice", "integer", "decimal", "string", "text", "date", "boolean"}
    if kind not in supported:
        raise InvalidQuestionnaire(f"{path} ({link}): the item type '{kind}' is not supported.")
    out: dict[str, Any] = {"link_id": link, "text": _texts_in(item, "text", language)}
    if kind in ("choice", "open-choice"):
        item = _stu3_choices(item, ctx)
        out["type"] = "multi" if item.get("repeats") else "choice"
        options = []
        if item.get("answerValueSet") and not item.get("answerOption"):
            options = _value_set_options(str(item["answerValueSet"]), ctx, f"{path} ({link})")
        for index, option in enumerate(item.get("answerOption") or []):
            if "valueCoding" in option:
                coding = option["valueCoding"]
                code, texts = coding.get("code"), _texts_in(coding, "display", language)
            elif "valueInteger" in option:
                code, texts = str(option["valueInteger"]), {language: str(option["valueInteger"])}
            elif "valueString" in option:
                code, texts = str(index), {language: option["valueString"]}
            else:
                raise InvalidQuestionnaire(f"{path} ({link}): an answer option has no value.")
            if not code:
                raise InvalidQuestionnaire(f"{path} ({link}): an answer option has no code.")
            weight = _weight(option)
            if weight is None and "valueInteger" in option:
                weight = option["valueInteger"]
            if weight is None and (option.get("valueCoding") or {}).get("system") == LOINC:
                weight = ctx.answer_scores.get(str(code))
            options.append({"code": str(code), "value": weight, "text": texts})
        if not options:
            raise InvalidQuestionnaire(f"{path} ({link}): a choice item needs answerOption or answerValueSet.")
        out["options"] = options
    elif kind == "boolean":
        out["type"] = "choice"
        out["options"] = [
            {"code": "true", "value": 1, "text": {language: "Ja" if language == "sv" else "Yes"}},
            {"code": "false", "value": 0, "text": {language: "Nej" if language == "sv" else "No"}},
        ]
    else:
        out["type"] = {"string": "text", "text": "text"}.get(kind, kind)
    if item.get("required"):
        out["required"] = True
    codes = [
        {k: c[k] for k in ("system", "code", "display") if c.get(k)} for c in item.get("code") or [] if c.get("code")
    ]
    if codes:
        out["codes"] = codes  # kept: a record system reads the item by its code
    for extension in item.get("extension") or []:
        if extension.get("url") in (MIN_VALUE, MAX_VALUE):
            value = extension.get("valueInteger", extension.get("valueDecimal"))
            out["min" if extension["url"] == MIN_VALUE else "max"] = value
        if extension.get("url") == ITEM_CONTROL and "slider" in str(extension):
            out["type"] = "slider"
    if item.get("enableWhen"):
        out["enable_when"] = []
        for condition in item["enableWhen"]:
            answer_key = next((k for k in condition if k.startswith("answer")), None)
            if not condition.get("question") or not condition.get("operator") or answer_key is None:
                raise InvalidQuestionnaire(f"{path} ({link}): enableWhen needs question, operator and answer.")
            answer = condition[answer_key]
            if answer_key == "answerCoding":
                answer = answer.get("code")
            out["enable_when"].append(
                {"question": condition["question"], "operator": condition["operator"], "answer": answer}
            )
        out["enable_behavior"] = item.get("enableBehavior", "all")
    if item.get("item"):
        children = []
        for index, child in enumerate(item["item"], start=1):
            mapped = _item_in(child, f"{path}.item[{index}]", ctx)
            if mapped is not None:
                children.append(mapped)
        if out["type"] == "group":
            out["items"] = children
    return out


def _loinc_total(item: Mapping) -> tuple[str, str] | None:
    """(LOINC code, name) when the item is an instrument's total score by its LOINC
    code: a code Fyren knows, or one whose name says it is a total score."""
    for coding in item.get("code") or []:
        code = coding.get("code")
        if coding.get("system") != LOINC or not code:
            continue
        if code in LOINC_TOTALS:
            return code, LOINC_TOTALS[code]
        named = " ".join(str(text) for text in (coding.get("display"), item.get("text")) if text)
        if "total score" in named.lower():
            return code, str(coding.get("display") or item.get("text"))
    return None


def _stu3_choices(item: Mapping, ctx: _Context) -> Mapping:
    """STU3 Questionnaires (the Argonaut examples) name the answers ``options`` (a
    ValueSet reference) and ``option``; read them as R4's ``answerValueSet`` and
    ``answerOption``, and say so once."""
    if "options" not in item and "option" not in item:
        return item
    item = dict(item)
    if isinstance(item.get("options"), Mapping) and not item.get("answerValueSet"):
        item["answerValueSet"] = item["options"].get("reference", "")
    if item.get("option") and not item.get("answerOption"):
        item["answerOption"] = item["option"]
    note = _("It is written in FHIR STU3 (options, option): read as R4 answerValueSet and answerOption.")
    if note not in ctx.notes:
        ctx.notes.append(note)
    return item


def _variable_in(extension: Mapping, where: str, ctx: _Context) -> None:
    expression = extension.get("valueExpression") or {}
    if expression.get("language", "text/fhirpath") != "text/fhirpath" or not expression.get("name"):
        raise InvalidQuestionnaire(f"{where}: a variable needs a name and a FHIRPath expression.")
    ctx.variables.append({"name": expression["name"], "expression": expression.get("expression", "")})


def questionnaire_to_instrument(resource: Any, *, code: str | None = None, language: str = "sv") -> dict:
    """An instrument definition from a FHIR R4 Questionnaire. Raises
    :class:`InvalidQuestionnaire` naming the first problem. ``language`` is the
    language of the texts when the Questionnaire does not state it."""
    if not isinstance(resource, Mapping) or resource.get("resourceType") != "Questionnaire":
        raise InvalidQuestionnaire("The resource is not a Questionnaire (resourceType must be 'Questionnaire').")
    if resource.get("status") not in ("draft", "active", "retired", "unknown"):
        raise InvalidQuestionnaire("Questionnaire.status is missing or not one of draft, active, retired, unknown.")
    items = resource.get("item")
    if not isinstance(items, list) or not items:
        raise InvalidQuestionnaire("The Questionnaire has no items.")
    stated = resource.get("language")
    language = (stated or language).split("-")[0]
    supported = {lang for lang, _name in settings.LANGUAGES}
    if language not in supported:
        raise InvalidQuestionnaire(f"Questionnaire.language '{language}' is not one of {', '.join(sorted(supported))}.")
    ctx = _Context(resource, language)
    if not stated:
        names = dict(settings.LANGUAGES)
        ctx.notes.append(
            _(
                "The Questionnaire does not state its language (Questionnaire.language): its texts are taken as "
                "%(language)s, as chosen on the import form."
            )
            % {"language": _(names[language])}
        )
    for extension in resource.get("extension") or []:
        if extension.get("url") == VARIABLE:
            _variable_in(extension, "Questionnaire", ctx)
    mapped = []
    for index, item in enumerate(items, start=1):
        result = _item_in(item, f"item[{index}]", ctx)
        if result is not None:
            mapped.append(result)
    seen, scores, loinc = ctx.seen, ctx.scores, ctx.loinc
    for item in iter_items(mapped):
        for condition in item.get("enable_when") or []:
            if condition["question"] not in seen:
                raise InvalidQuestionnaire(
                    f"enableWhen of '{item['link_id']}' refers to the unknown item '{condition['question']}'."
                )
    languages = sorted(
        {lang for item in iter_items(mapped) for lang in (item.get("text") or {})} | {language},
        key=lambda lang: (lang != language, lang),
    )
    languages = [lang for lang in languages if lang in supported]
    raw_code = code or resource.get("name") or resource.get("id") or "imported"
    weighted = [
        i["link_id"] for i in iter_items(mapped) if any(o.get("value") is not None for o in i.get("options") or [])
    ]
    unweighted = [
        i["link_id"]
        for i in iter_items(mapped)
        if i.get("type") in ("choice", "multi") and all(o.get("value") is None for o in i.get("options") or [])
    ]
    left_out = (
        " "
        + _("%(n)d choice items carry no weights and are not in it: %(links)s.")
        % {"n": len(unweighted), "links": ", ".join(unweighted)}
        if unweighted
        else ""
    )
    for link, total_code, name in ctx.totals[:1]:
        if not weighted:
            raise InvalidQuestionnaire(
                f"'{link}' is the {name} total score (LOINC {total_code}) but has no formula, "
                "and no answer carries a weight to add up: the score cannot be computed."
            )
        scores.append({"id": "total", "items": weighted, "method": "sum", "proposed": True})
        loinc["total"] = total_code
        ctx.notes.append(
            _(
                "'%(link)s' is the %(name)s total score (LOINC %(code)s) without a formula. Fyren offers the sum "
                "of the answers' weights of %(n)d items as its score; check that this is the instrument's scoring "
                "before you use it."
            )
            % {"link": link, "name": name, "code": total_code, "n": len(weighted)}
            + left_out
        )
    if not scores and len(weighted) >= 2:
        # Weights on the answers but no score item (the scoring in words, or none): offered, never silent.
        scores.append({"id": "total", "items": weighted, "method": "sum", "proposed": True})
        ctx.notes.append(
            _(
                "The Questionnaire defines no score, but the answers of %(n)d items carry weights. Fyren offers "
                "their sum as a score; check that this is the instrument's scoring before you use it."
            )
            % {"n": len(weighted)}
            + left_out
        )
    instrument_code = next(
        (LOINC_INSTRUMENTS[c.get("code")] for c in resource.get("code") or [] if c.get("code") in LOINC_INSTRUMENTS),
        None,
    )
    definition = {
        "code": re.sub(r"[^a-z0-9_]", "_", str(raw_code).lower())[:40],
        "version": str(resource.get("version") or "1"),
        "name": _texts_in(resource, "title", language) or {language: str(resource.get("name") or raw_code)},
        "languages": languages,
        "source": resource.get("url") or "",
        "licence": resource.get("copyright") or "",
        "items": mapped,
        "scoring": {
            "scores": scores,
            "loinc": loinc,
            "variables": ctx.variables,
            # What expressions may read as %questionnaire: the items, their answers' codes and weights.
            "questionnaire": {"resourceType": "Questionnaire", "item": _skeleton(mapped)},
        },
        "alerts": [],
        "import_notes": ctx.notes,
        "known_instrument": instrument_code or "",
    }
    _check_scores(definition)
    if instrument_code:
        _attach_alerts(definition, instrument_code)
    return definition


def _skeleton(items: list) -> list:
    """The Questionnaire's items reduced to what scores read: link ids, nesting,
    answer codes and weights (no texts)."""
    out = []
    for item in items:
        entry: dict[str, Any] = {"linkId": item["link_id"]}
        if item.get("options"):
            entry["answerOption"] = [
                {
                    "valueCoding": {"code": o["code"]},
                    **(
                        {"extension": [{"url": url, "valueDecimal": o["value"]} for url in (ORDINAL, ITEM_WEIGHT)]}
                        if o.get("value") is not None
                        else {}
                    ),
                }
                for o in item["options"]
            ]
        if item.get("items"):
            entry["item"] = _skeleton(item["items"])
        out.append(entry)
    return out


def _probe_answers(definition: Mapping, shift: int | None) -> dict[str, Any]:
    """A complete set of answers: every item's first option and lowest number
    (``shift`` None), its last and highest (-1), or option ``(n + shift) % len`` of
    the n-th item, so that scales read in opposite directions do not cancel out."""
    answers: dict[str, Any] = {}
    for n, item in enumerate(iter_items(definition["items"])):
        options = item.get("options") or []
        if options:
            index = 0 if shift is None else -1 if shift == -1 else (n + shift) % len(options)
            code = options[index]["code"]
            answers[item["link_id"]] = [code] if item.get("type") == "multi" else code
        elif item.get("type") in ("integer", "decimal", "slider"):
            low, high = item.get("min"), item.get("max")
            if shift is None:
                answers[item["link_id"]] = low if low is not None else 1
            elif shift == -1:
                answers[item["link_id"]] = high if high is not None else 100
            else:
                answers[item["link_id"]] = (low if low is not None else 1) + n + shift
    return answers


def _check_scores(definition: dict) -> None:
    """Every score must give a number for a complete set of answers, and not the
    same number whatever the answers are: said at import, never later."""
    results = [score(definition, _probe_answers(definition, shift)).scores for shift in (None, -1, 1, 2)]
    for spec in definition["scoring"]["scores"]:
        what = spec.get("expression") or "the sum of its items"
        values = [r.get(spec["id"]) for r in results if r.get(spec["id"]) is not None]
        if not values:
            raise InvalidQuestionnaire(
                f"The score '{spec['id']}' cannot be computed ({what}): Fyren gets no number from it for a "
                "complete set of answers. Check the expression and the answers' weights."
            )
        if len(values) == len(results) and len(set(values)) == 1:
            raise InvalidQuestionnaire(
                f"The score '{spec['id']}' ({what}) gives {values[0]} whatever the answers: it does not read them. "
                "Check which items the expression reaches (a group's answers are in its items) and the "
                "answers' weights."
            )


def _attach_alerts(definition: dict, known: str) -> None:
    """A recognised instrument gets the library's safety alerts (PHQ-9 item 9 …),
    mapped item by item; when the items do not match, the designer is told
    plainly that none are attached."""
    library = LIBRARY[known]
    name = library["name"].get("en") or known
    ours = [i["link_id"] for i in iter_items(library["items"]) if i.get("type") in ("choice", "multi")]
    imported = [i for i in iter_items(definition["items"]) if i.get("type") in ("choice", "multi")]
    by_code = {c.get("code"): i["link_id"] for i in imported for c in i.get("codes") or []}
    codes = LOINC_ITEMS.get(known, [])
    if codes and len(codes) == len(ours) and all(c in by_code for c in codes):
        theirs = [by_code[c] for c in codes]  # matched by the items' LOINC codes
    else:  # else the scored items in order
        theirs = [i["link_id"] for i in imported if any(o.get("value") is not None for o in i.get("options") or [])]
    scores = [s["id"] for s in definition["scoring"]["scores"]]
    if len(ours) != len(theirs) or not scores:
        definition["import_notes"].append(
            _(
                "Recognised as %(name)s, but its items do not match the library's: no safety alerts are attached. "
                "Add them (an urgent alert on the self-harm item) before a program using it can be published."
            )
            % {"name": name}
        )
        return
    items = dict(zip(ours, theirs, strict=True))
    loinc_of = (library.get("scoring") or {}).get("loinc") or {}
    by_loinc = {code: score_id for score_id, code in definition["scoring"].get("loinc", {}).items()}
    alerts = []
    for alert in library.get("alerts") or []:
        alert = dict(alert)
        if alert.get("type") == "item":
            alert["link_id"] = items[alert["link_id"]]
        elif alert.get("type") == "score":
            alert["score"] = by_loinc.get(loinc_of.get(alert["score"], ""), scores[0] if len(scores) == 1 else "")
            if not alert["score"]:
                continue
        alerts.append(alert)
    definition["alerts"] = alerts
    definition["import_notes"].append(
        _("Recognised as %(name)s: the library's %(n)d safety alerts are attached (check them in the preview).")
        % {"name": name, "n": len(alerts)}
    )


# --- answers and scores ------------------------------------------------------------------


def subject(citizen) -> dict:
    system = SAMORDNINGSNUMMER if citizen.identity_kind == "samordningsnummer" else PERSONNUMMER
    return {"identifier": {"system": system, "value": citizen.identity_number}, "display": citizen.full_name}


def response_to_fhir(response) -> dict:
    definition = response.definition
    resource = {
        "resourceType": "QuestionnaireResponse",
        "id": f"qr-{response.pk}",
        "questionnaire": f"{canonical(definition)}|{definition.get('version', '1')}",
        "status": "completed" if response.status == "completed" else "in-progress",
        "subject": subject(response.citizen),
        "item": response_items(definition, response.answers, lang=response.language),
    }
    if response.submitted_at:
        resource["authored"] = response.submitted_at.isoformat()
    return resource


def observations_for(response) -> list[dict]:
    """One Observation per score, derived from the QuestionnaireResponse."""
    definition = response.definition
    scoring = definition.get("scoring") or {}
    loinc = scoring.get("loinc") or {}
    lang = response.language
    name = (definition.get("name") or {}).get(lang) or definition.get("code")
    out = []
    for score_id, value in response.scores.items():
        if value is None:
            continue
        code = {"text": f"{name}: {score_id}"}
        if loinc.get(score_id):
            code["coding"] = [{"system": LOINC, "code": loinc[score_id]}]
        observation = {
            "resourceType": "Observation",
            "id": f"obs-{response.pk}-{resource_id(score_id)}",
            "status": "final",
            "category": [
                {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey"}]}
            ],
            "code": code,
            "subject": subject(response.citizen),
            "valueQuantity": {
                "value": value,
                "unit": "{score}",
                "system": "http://unitsofmeasure.org",
                "code": "{score}",
            },
            "derivedFrom": [{"reference": f"QuestionnaireResponse/qr-{response.pk}"}],
        }
        if response.submitted_at:
            observation["effectiveDateTime"] = response.submitted_at.isoformat()
        band = band_for(scoring, score_id, value, sex=response.citizen.legal_sex)
        if band is not None:
            observation["interpretation"] = [{"text": band.label.get(lang) or next(iter(band.label.values()))}]
        out.append(observation)
    return out

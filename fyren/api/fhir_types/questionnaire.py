"""The FHIR Questionnaire resources an access may read."""

from __future__ import annotations

from fyren.instruments.fhir import instrument_to_questionnaire
from fyren.instruments.selectors import all_definitions

from .base import Provider
from .params import Found, tokens


class QuestionnaireProvider(Provider):
    type = "Questionnaire"
    narrowable = False
    params = ("_id", "url", "code", "name", "title")
    patient_data = False

    def rows(self, access, params):
        out = []
        for definition in all_definitions():
            resource = instrument_to_questionnaire(definition)
            if "_id" in params and resource["id"] not in ",".join(params["_id"]).split(","):
                continue
            if "url" in params and resource["url"] not in params["url"]:
                continue
            codes = {c.get("code") for c in resource.get("code", [])}
            if any(code not in codes for _s, code in tokens(params.get("code", []))):
                continue
            title = (resource.get("title") or "").lower() + " " + resource.get("name", "").lower()
            if any(value.lower() not in title for value in params.get("name", []) + params.get("title", [])):
                continue
            out.append(resource)
        return out

    def expand(self, resource, access):
        return [Found(resource["id"], resource)]

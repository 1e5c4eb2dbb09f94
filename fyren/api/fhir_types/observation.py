"""The FHIR Observation resources an access may read."""

from __future__ import annotations

from fyren.instruments.fhir import LOINC
from fyren.instruments.selectors import codes_with_loinc
from fyren.interop.fhir.bundle import response_entries

from .base import Provider, found
from .params import Found, Params, date_q, ref, row_id, tokens
from .questionnaire_response import plan_ref, response_rows


class ObservationProvider(Provider):
    """The scores of completed questionnaires (category survey), each derived
    from its QuestionnaireResponse. A row is a response; a page stops before it
    would hold more than ``_count`` Observations."""

    type = "Observation"
    sorts = {"date": "submitted_at"}
    params = ("_id", "patient", "subject", "date", "code", "category", "status", "_lastUpdated")
    last_updated = "submitted_at"
    one_per_row = False
    includes = {
        "Observation:patient": "subject",
        "Observation:subject": "subject",
        "Observation:derived-from": "derivedFrom",
    }

    def rows(self, access, params):
        qs = response_rows(access, params).exclude(scores={})
        if "_id" in params:
            ids = [v.split("-")[1] for v in ",".join(params["_id"]).split(",") if v.startswith("obs-")]
            qs = qs.filter(pk__in=[int(i) for i in ids if row_id(i)])
        if "date" in params:
            qs = qs.filter(date_q("submitted_at", params["date"]))
        for value in ",".join(params.get("category", [])).split(","):
            if value and value.split("|")[-1] != "survey":
                qs = qs.none()
        for value in ",".join(params.get("status", [])).split(","):
            if value and value != "final":
                qs = qs.none()
        codes = [code for system, code in tokens(params.get("code", [])) if system in (None, LOINC)]
        if "code" in params:
            qs = qs.filter(instrument_code__in=set().union(*(codes_with_loinc(c) for c in codes)))
        return qs

    def expand(self, response, access):
        entries = response_entries(
            response, ref=ref, patient_ref=ref("patient", response.citizen_id), careplan_ref=plan_ref(response)
        )
        return found(entries[1:], self.type, response.citizen_id)

    def filter_expanded(self, found: list[Found], params: Params) -> list[Found]:
        codes = {code for system, code in tokens(params.get("code", [])) if system in (None, LOINC)}
        if "code" in params:
            found = [f for f in found if {c["code"] for c in f.resource["code"].get("coding", [])} & codes]
        return super().filter_expanded(found, params)

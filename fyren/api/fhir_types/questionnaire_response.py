"""The FHIR QuestionnaireResponse resources an access may read."""

from __future__ import annotations

from django.db.models import QuerySet

from fyren.instruments.fhir import resource_id
from fyren.instruments.selectors import instrument_codes
from fyren.interop.fhir.bundle import response_entries
from fyren.questionnaires.selectors import completed_responses_for_reader

from .base import Provider, found
from .params import date_q, ids, ref
from .scope import patient_param, reader


def response_rows(access, params) -> QuerySet:
    return patient_param(completed_responses_for_reader(*reader(access)), params).order_by("pk")


class QuestionnaireResponseProvider(Provider):
    type = "QuestionnaireResponse"
    sorts = {"authored": "submitted_at"}
    params = ("_id", "patient", "subject", "authored", "status", "questionnaire", "_lastUpdated")
    last_updated = "submitted_at"
    includes = {"QuestionnaireResponse:patient": "subject", "QuestionnaireResponse:subject": "subject"}

    def rows(self, access, params):
        qs = response_rows(access, params)
        if "_id" in params:
            qs = qs.filter(pk__in=ids(params["_id"]))
        if "authored" in params:
            qs = qs.filter(date_q("submitted_at", params["authored"]))
        if any(s != "completed" for s in ",".join(params.get("status", [])).split(",") if s):
            qs = qs.none()
        for value in params.get("questionnaire", []):
            code = value.split("|")[0].rstrip("/").rsplit("/", 1)[-1]
            qs = qs.filter(instrument_code__in=[c for c in instrument_codes() if resource_id(c) == code])
        return qs

    def expand(self, response, access):
        entries = response_entries(
            response, ref=ref, patient_ref=ref("patient", response.citizen_id), careplan_ref=plan_ref(response)
        )
        return found(entries[:1], self.type, response.citizen_id)


def plan_ref(row) -> str | None:
    return ref("enrolment", row.enrolment_id) if row.enrolment_id else None

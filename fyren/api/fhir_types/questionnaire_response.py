"""The FHIR QuestionnaireResponse resources an access may read."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fyren.instruments.fhir import resource_id
from fyren.instruments.library import LIBRARY
from fyren.instruments.models import Instrument
from fyren.interop.fhir.bundle import response_entries
from fyren.questionnaires.models import Response

from .base import Provider, found
from .params import date_q, ids, ref
from .scope import patient_param, visible_citizens


def response_rows(access, params) -> QuerySet:
    qs = Response.objects.filter(status=Response.Status.COMPLETED, citizen__in=visible_citizens(access))
    if access.context != "patient":
        qs = qs.filter(Q(enrolment__unit__in=access.units) | Q(screening_for__unit__in=access.units))
    qs = patient_param(qs, params)
    return qs.select_related("citizen").order_by("pk")


class QuestionnaireResponseProvider(Provider):
    type = "QuestionnaireResponse"
    params = ("_id", "patient", "subject", "authored", "status", "questionnaire")
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
            qs = qs.filter(instrument_code__in=[c for c in _instrument_codes() if resource_id(c) == code])
        return qs

    def expand(self, response, access):
        entries = response_entries(
            response, ref=ref, patient_ref=ref("patient", response.citizen_id), careplan_ref=plan_ref(response)
        )
        return found(entries[:1], self.type, response.citizen_id)


def plan_ref(row) -> str | None:
    return ref("enrolment", row.enrolment_id) if row.enrolment_id else None


def _instrument_codes() -> set[str]:
    return {str(code) for code in LIBRARY} | set(Instrument.objects.values_list("code", flat=True))

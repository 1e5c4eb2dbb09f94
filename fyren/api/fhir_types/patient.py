"""The FHIR Patient resources an access may read."""

from __future__ import annotations

from django.db.models import Q

from fyren.interop.fhir.bundle import patient_resource

from .base import Provider
from .params import Found, date_q, ids, tokens
from .scope import visible_citizens


class PatientProvider(Provider):
    type = "Patient"
    sorts = {"birthdate": "birth_date", "family": "family_name", "given": "given_name"}
    params = ("_id", "identifier", "family", "given", "name", "birthdate", "gender", "_lastUpdated")
    last_updated = "changed_at"

    def rows(self, access, params):
        qs = visible_citizens(access).order_by("pk")
        if "_id" in params:
            qs = qs.filter(pk__in=ids(params["_id"]))
        for _system, code in tokens(params.get("identifier", [])):
            qs = qs.filter(identity_number=code.replace("-", ""))
        for value in params.get("family", []):
            qs = qs.filter(family_name__istartswith=value)
        for value in params.get("given", []):
            qs = qs.filter(given_name__istartswith=value)
        for value in params.get("name", []):
            qs = qs.filter(Q(family_name__istartswith=value) | Q(given_name__istartswith=value))
        if "birthdate" in params:
            qs = qs.filter(date_q("birth_date", params["birthdate"], date_only=True))
        for value in params.get("gender", []):
            qs = qs.filter(legal_sex={"female": "F", "male": "M"}.get(value, "?"))
        return qs

    def expand(self, citizen, access):
        return [Found(str(citizen.pk), {"id": str(citizen.pk), **patient_resource(citizen)}, citizen.pk)]

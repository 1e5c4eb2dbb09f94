"""The FHIR Practitioner resources an access may read."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from fyren.accounts.selectors import staff_at
from fyren.care.selectors import units_caring_for
from fyren.interop.fhir.careplans import HSA

from .base import Provider
from .params import Found, ids, tokens


class PractitionerProvider(Provider):
    type = "Practitioner"
    sorts = {"name": "last_name"}
    params = ("_id", "identifier", "name")
    patient_data = False

    def rows(self, access, params):
        units = units_caring_for(access.citizen) if access.context == "patient" else access.units
        qs = staff_at(units).order_by("pk")
        if "_id" in params:
            qs = qs.filter(pk__in=ids(params["_id"]))
        for _system, code in tokens(params.get("identifier", [])):
            qs = qs.filter(hsa_id=code)
        for value in params.get("name", []):
            qs = qs.filter(Q(first_name__istartswith=value) | Q(last_name__istartswith=value))
        return qs

    def expand(self, user, access):
        resource: dict[str, Any] = {
            "resourceType": "Practitioner",
            "id": str(user.pk),
            "active": True,
            "name": [{"family": user.last_name or user.username}],
        }
        if user.first_name:
            resource["name"][0]["given"] = [user.first_name]
        if user.hsa_id:
            resource["identifier"] = [{"system": HSA, "value": user.hsa_id}]
        return [Found(str(user.pk), resource)]

"""The FHIR Organization resources an access may read."""

from __future__ import annotations

from fyren.interop.fhir.careplans import organisation
from fyren.organisations.selectors import active_units

from .base import Provider
from .params import Found, ids, tokens


class OrganizationProvider(Provider):
    type = "Organization"
    sorts = {"name": "name"}
    params = ("_id", "identifier", "name")
    patient_data = False

    def rows(self, access, params):
        qs = active_units().order_by("pk")
        if "_id" in params:
            qs = qs.filter(pk__in=ids(params["_id"]))
        for _system, code in tokens(params.get("identifier", [])):
            qs = qs.filter(hsa_id=code)
        for value in params.get("name", []):
            qs = qs.filter(name__icontains=value)
        return qs

    def expand(self, unit, access):
        resource = {
            "resourceType": "Organization",
            "id": str(unit.pk),
            "active": True,
            "name": unit.name,
            **{"identifier": [organisation(unit)["identifier"]]},
            "partOf": {"display": unit.region.name},
        }
        return [Found(str(unit.pk), resource)]

"""The FHIR Practitioner resources an access may read."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from fyren.accounts.models import RoleAssignment, User
from fyren.care.models import CareRelation
from fyren.interop.fhir.careplans import HSA

from .base import Provider
from .params import Found, ids, tokens


class PractitionerProvider(Provider):
    type = "Practitioner"
    params = ("_id", "identifier", "name")
    patient_data = False

    def rows(self, access, params):
        if access.context == "patient":
            staff = RoleAssignment.objects.active().filter(
                unit__in=CareRelation.objects.filter(citizen=access.citizen).values("unit_id")
            )
        else:
            staff = RoleAssignment.objects.active().filter(unit__in=access.units)
        staff = staff.values("user_id")
        qs = User.objects.filter(pk__in=staff, kind=User.Kind.STAFF, is_active=True).order_by("pk")
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

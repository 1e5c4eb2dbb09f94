"""Who may see what: the citizens an access may read, and rows scoped to them and to the access's units."""

from __future__ import annotations

from django.db.models import QuerySet

from fyren.care.models import CareRelation
from fyren.people.models import Citizen

from ..access import Access
from .params import Params, ids


def visible_citizens(access: Access) -> QuerySet:
    if access.context == "patient":
        return Citizen.objects.filter(pk=getattr(access.citizen, "pk", 0))
    in_care = CareRelation.objects.active().filter(unit__in=access.units).values("citizen_id")
    return Citizen.objects.filter(pk__in=in_care)


def scoped(qs: QuerySet, access: Access, *, citizen: str = "citizen", unit: str | None = "unit") -> QuerySet:
    """Rows of visible citizens, and (for staff and systems) held by their units."""
    qs = qs.filter(**{f"{citizen}__in": visible_citizens(access)})
    if access.context != "patient" and unit is not None:
        qs = qs.filter(**{f"{unit}__in": access.units})
    return qs


def status_param(qs: QuerySet, params: Params, mapping: dict[str, str], field: str = "status") -> QuerySet:
    """``status`` in FHIR's codes, read back to Fyren's through the mapping the resources are built with."""
    wanted = set(",".join(params.get("status", [])).split(",")) - {""}
    if wanted:
        qs = qs.filter(**{f"{field}__in": [ours for ours, theirs in mapping.items() if theirs in wanted]})
    return qs


def patient_param(qs: QuerySet, params: Params, field: str = "citizen") -> QuerySet:
    for name in ("patient", "subject"):
        if name in params:
            qs = qs.filter(**{f"{field}_id__in": ids(params[name], "Patient/")})
    return qs

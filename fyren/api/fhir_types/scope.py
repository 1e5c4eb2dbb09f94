"""Who may see what: the citizens an access may read, and rows scoped to them and to the access's units."""

from __future__ import annotations

from django.db.models import QuerySet

from fyren.care.selectors import citizens_cared_for_by
from fyren.people.selectors import citizen_alone

from ..access import Access
from .params import Params, ids


def visible_citizens(access: Access) -> QuerySet:
    if access.context == "patient":
        return citizen_alone(access.citizen)
    return citizens_cared_for_by(access.units)


def reader(access: Access) -> tuple[QuerySet, list | None]:
    """What the feature apps' reader selectors take: the citizens the access may
    see, and its units (None when a citizen reads their own)."""
    return visible_citizens(access), None if access.context == "patient" else access.units


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

"""The FHIR Flag resources an access may read: the flags raised at the units of
a clinician's or a record system's access (a citizen reads none)."""

from __future__ import annotations

from django.utils.translation import get_language

from fyren.flags.selectors import flags_for_reader
from fyren.interop.fhir.flags import flag_resource

from .base import Provider
from .params import Found, date_q, ids, ref
from .scope import patient_param, reader


class FlagProvider(Provider):
    type = "Flag"
    sorts = {"date": "created_at"}
    params = ("_id", "patient", "subject", "date", "status")
    includes = {"Flag:patient": "subject", "Flag:subject": "subject"}

    def rows(self, access, params):
        qs = patient_param(flags_for_reader(*reader(access)), params).order_by("pk")
        if "_id" in params:
            qs = qs.filter(pk__in=ids(params["_id"]))
        if "date" in params:
            qs = qs.filter(date_q("created_at", params["date"]))
        wanted = set(",".join(params.get("status", [])).split(",")) - {""}
        if wanted:
            open_ = "active" in wanted
            acknowledged = "inactive" in wanted
            if open_ and not acknowledged:
                qs = qs.filter(acknowledged_at__isnull=True)
            elif acknowledged and not open_:
                qs = qs.filter(acknowledged_at__isnull=False)
            elif not (open_ or acknowledged):
                qs = qs.none()
        return qs

    def expand(self, flag, access):
        resource = flag_resource(
            flag,
            patient_ref=ref("patient", flag.citizen_id),
            kind_display=str(flag.get_kind_display()),
            lang=get_language() or "sv",
        )
        return [Found(str(flag.pk), {"id": str(flag.pk), **resource}, flag.citizen_id)]

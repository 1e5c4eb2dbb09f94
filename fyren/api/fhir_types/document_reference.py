"""The FHIR DocumentReference resources an access may read."""

from __future__ import annotations

from django.utils.translation import get_language

from fyren.interop.fhir.bundle import document_reference
from fyren.journal.selectors import journal_exports_for_reader

from .base import Provider
from .params import Found, date_q, ids, ref
from .scope import patient_param, reader


class DocumentReferenceProvider(Provider):
    type = "DocumentReference"
    sorts = {"date": "exported_at"}
    params = ("_id", "patient", "subject", "date", "_lastUpdated")
    last_updated = "exported_at"
    includes = {"DocumentReference:patient": "subject", "DocumentReference:subject": "subject"}

    def rows(self, access, params):
        qs = patient_param(journal_exports_for_reader(*reader(access)), params, "enrolment__citizen").order_by("pk")
        if "_id" in params:
            qs = qs.filter(pk__in=ids(params["_id"]))
        if "date" in params:
            qs = qs.filter(date_q("exported_at", params["date"]))
        return qs

    def expand(self, export, access):
        citizen_id = export.enrolment.citizen_id
        resource = document_reference(
            export,
            note=export.note,
            lang=get_language() or "sv",
            patient_ref=ref("patient", citizen_id),
            careplan_ref=ref("enrolment", export.enrolment_id),
            unit=export.unit,
        )
        return [Found(str(export.pk), {"id": str(export.pk), **resource}, citizen_id)]

"""The FHIR Communication resources an access may read."""

from __future__ import annotations

from fyren.interop.fhir.bundle import communication_resource
from fyren.messaging.selectors import sent_messages_for_reader

from .base import Provider
from .params import Found, date_q, ids, ref
from .scope import patient_param, reader


class CommunicationProvider(Provider):
    type = "Communication"
    sorts = {"sent": "sent_at"}
    params = ("_id", "patient", "subject", "sent", "_lastUpdated")
    last_updated = "sent_at"
    includes = {"Communication:patient": "subject", "Communication:subject": "subject"}

    def rows(self, access, params):
        qs = patient_param(sent_messages_for_reader(*reader(access)), params, "thread__citizen").order_by("pk")
        if "_id" in params:
            qs = qs.filter(pk__in=ids(params["_id"]))
        if "sent" in params:
            qs = qs.filter(date_q("sent_at", params["sent"]))
        return qs

    def expand(self, message, access):
        thread = message.thread
        careplan = ref("enrolment", thread.enrolment_id) if thread.enrolment_id else None
        resource = communication_resource(
            message, patient_ref=ref("patient", thread.citizen_id), careplan_ref=careplan, unit=thread.unit
        )
        return [Found(str(message.pk), {"id": str(message.pk), **resource}, thread.citizen_id)]

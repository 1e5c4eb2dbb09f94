"""The FHIR Appointment resources an access may read."""

from __future__ import annotations

from django.db.models import QuerySet

from fyren.booking.selectors import bookings_for_reader
from fyren.interop.fhir.booking import APPOINTMENT_STATUS, appointment_resource

from .base import Provider
from .params import Found, date_q, ids, ref
from .scope import patient_param, reader, status_param


def _booking_rows(access, params) -> QuerySet:
    return patient_param(bookings_for_reader(*reader(access)), params)


class AppointmentProvider(Provider):
    type = "Appointment"
    sorts = {"date": "slot__starts_at"}
    params = ("_id", "patient", "actor", "date", "status", "_lastUpdated")
    last_updated = "changed_at"
    includes = {"Appointment:patient": "participant.actor", "Appointment:slot": "slot"}

    def rows(self, access, params):
        qs = _booking_rows(access, params).order_by("slot__starts_at", "pk")
        if "actor" in params:
            qs = qs.filter(citizen_id__in=ids(params["actor"], "Patient/"))
        if "_id" in params:
            qs = qs.filter(pk__in=ids(params["_id"]))
        if "date" in params:
            qs = qs.filter(date_q("slot__starts_at", params["date"]))
        qs = status_param(qs, params, APPOINTMENT_STATUS)
        return qs

    def expand(self, booking, access):
        resource = appointment_resource(booking, ref=ref, patient_ref=ref("patient", booking.citizen_id))
        resource = {"resourceType": "Appointment", "id": str(booking.pk), **resource}
        return [Found(str(booking.pk), resource, booking.citizen_id)]

"""The FHIR Schedule resources an access may read."""

from __future__ import annotations

from fyren.booking.selectors import schedules_for_reader
from fyren.interop.fhir.booking import schedule_resource

from .base import Provider
from .params import Found, ids


class ScheduleProvider(Provider):
    type = "Schedule"
    params = ("_id", "active", "_lastUpdated")
    last_updated = "changed_at"
    patient_data = False

    def rows(self, access, params):
        units = None if access.context == "patient" else access.units
        qs = schedules_for_reader(citizen=access.citizen, units=units).order_by("pk")
        if "_id" in params:
            qs = qs.filter(pk__in=ids(params["_id"]))
        for value in params.get("active", []):
            qs = qs.filter(active=value == "true")
        return qs

    def expand(self, schedule, access):
        return [Found(str(schedule.pk), {"id": str(schedule.pk), **schedule_resource(schedule)})]

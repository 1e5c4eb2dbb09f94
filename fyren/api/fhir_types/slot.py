"""The FHIR Slot resources an access may read."""

from __future__ import annotations

from fyren.booking.models import Booking
from fyren.booking.selectors import slots_for_reader
from fyren.interop.fhir.booking import slot_resource

from .base import Provider
from .params import Found, Params, date_q, ids, ref


class SlotProvider(Provider):
    """Times: free ones are what an app may offer; a booked one says only busy."""

    type = "Slot"
    sorts = {"start": "starts_at"}
    params = ("_id", "schedule", "start", "status", "_lastUpdated")
    last_updated = "changed_at"
    patient_data = False
    after_query = ("status",)  # read from the holding booking once the slot is built
    includes = {"Slot:schedule": "schedule"}

    def rows(self, access, params):
        units = None if access.context == "patient" else access.units
        qs = slots_for_reader(citizen=access.citizen, units=units).order_by("starts_at", "pk")
        if "_id" in params:
            qs = qs.filter(pk__in=ids(params["_id"]))
        if "schedule" in params:
            qs = qs.filter(schedule_id__in=ids(params["schedule"], "Schedule/"))
        if "start" in params:
            qs = qs.filter(date_q("starts_at", params["start"]))
        return qs

    def expand(self, slot, access):
        holding = next((b for b in slot.bookings.all() if b.status in Booking.HOLDING), None)
        resource = slot_resource(slot, holding, ref=ref)
        return [Found(str(slot.pk), {"resourceType": "Slot", "id": str(slot.pk), **resource})]

    def filter_expanded(self, found: list[Found], params: Params) -> list[Found]:
        wanted = set(",".join(params.get("status", [])).split(",")) - {""}
        found = super().filter_expanded(found, params)
        return [f for f in found if f.resource["status"] in wanted] if wanted else found

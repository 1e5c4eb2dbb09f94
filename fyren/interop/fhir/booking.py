"""Visits as FHIR R4: Schedule (what is booked), Slot (the time) and Appointment
(status booked / arrived / fulfilled / cancelled / noshow; a rebooking names the
booking it replaces with the R5 cross-version extension). Pure mapping."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Ref = Callable[[str, object], str]

APPOINTMENT_STATUS = {
    "offered": "proposed",
    "booked": "booked",
    "arrived": "arrived",
    "held": "fulfilled",
    "no_show": "noshow",
    "cancelled": "cancelled",
    "declined": "cancelled",
    "replaced": "cancelled",
}
SLOT_STATUS = {"offered": "busy-tentative", "booked": "busy", "arrived": "busy", "held": "busy", "no_show": "busy"}
REPLACES = "http://hl7.org/fhir/5.0/StructureDefinition/extension-Appointment.replaces"


def schedule_resource(schedule) -> dict:
    return {
        "resourceType": "Schedule",
        "active": schedule.active,
        "actor": [{"display": f"{schedule.title} ({schedule.unit.name})"}],
        "comment": schedule.get_kind_display(),
    }


def slot_resource(slot, booking, *, ref: Ref) -> dict:
    """The time; ``booking`` is the one holding it (None: free unless blocked)."""
    return {
        "resourceType": "Slot",
        "schedule": {"reference": ref("schedule", slot.schedule_id)},
        "status": "busy-unavailable" if slot.blocked else SLOT_STATUS.get(booking.status if booking else "", "free"),
        "start": slot.starts_at.isoformat(),
        "end": slot.ends_at.isoformat(),
    }


def appointment_resource(booking, *, ref: Ref, patient_ref: str) -> dict:
    slot = booking.slot
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "identifier": [{"system": "urn:fyren:booking", "value": str(booking.pk)}],
        "status": APPOINTMENT_STATUS[booking.status],
        "appointmentType": {"text": slot.get_visit_kind_display()},
        "start": slot.starts_at.isoformat(),
        "end": slot.ends_at.isoformat(),
        "minutesDuration": int((slot.ends_at - slot.starts_at).total_seconds() // 60),
        "slot": [{"reference": ref("slot", slot.pk)}],
        "created": booking.created_at.date().isoformat(),
        "participant": [
            {
                "actor": {"reference": patient_ref},
                "status": "accepted" if booking.status != "offered" else "needs-action",
            },
            {"actor": {"display": f"{slot.schedule.title}, {booking.unit.name}"}, "status": "accepted"},
        ],
    }
    if booking.end_reason and resource["status"] == "cancelled":
        resource["cancelationReason"] = {"text": booking.end_reason}
    if booking.replaces_id:
        resource["extension"] = [
            {"url": REPLACES, "valueReference": {"reference": ref("appointment", booking.replaces_id)}}
        ]
    return resource


def booking_entries(bookings, *, ref: Ref, patient_ref: str) -> list[dict]:
    """Schedule, Slot and Appointment entries for a patient's bookings at a unit
    (a replaced booking named by ``replaces`` is in the list too when it belongs to it)."""
    entries = []
    schedules = {}
    for booking in bookings:
        schedules[booking.slot.schedule_id] = booking.slot.schedule
    for schedule_id, schedule in schedules.items():
        entries.append({"fullUrl": ref("schedule", schedule_id), "resource": schedule_resource(schedule)})
    present = {b.pk for b in bookings}
    for booking in bookings:
        entries.append(
            {"fullUrl": ref("slot", booking.slot_id), "resource": slot_resource(booking.slot, booking, ref=ref)}
        )
        appointment = appointment_resource(booking, ref=ref, patient_ref=patient_ref)
        if booking.replaces_id and booking.replaces_id not in present:
            appointment.pop("extension", None)  # keep references inside the bundle
        entries.append({"fullUrl": ref("appointment", booking.pk), "resource": appointment})
    return entries

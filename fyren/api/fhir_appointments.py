"""A record system books through FHIR (#32): ``POST [base]/Appointment`` with a
free ``Slot`` and the ``Patient``, or ``POST [base]/Appointment/$book`` (the
Appointment alone, in a Bundle, or as the ``appt-resource`` of a Parameters),
with ``system/Appointment.c``. The slot is one of the record system's unit's
own, or another unit's that a booking agreement opens to it; the patient is in
care at the unit. A taken time is refused with an OperationOutcome (409), an
unknown or forbidden slot or patient looks like one that does not exist (404),
a malformed request is 400 or 422. ``Appointment.identifier`` makes a retry
book once. ``GET [base]/Appointment`` is the FHIR server's search."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse

from fyren.booking.models import Booking, Slot
from fyren.booking.services import booking_make_for_unit
from fyren.interop.fhir.booking import appointment_resource

from . import fhir
from .access import Access
from .fhir import _json, fhir_view, json_body, outcome, system_access
from .fhir_types.params import ref
from .fhir_types.scope import visible_citizens
from .subscriptions import base_url

TOKEN_NAMESPACE = uuid.UUID("6f5a8f3e-5d7e-4d8a-9a59-3c9f1f0e7b21")  # Appointment.identifier → a booking's token


class Refused(ValueError):
    """The Appointment cannot be booked as sent; ``status`` and the message say why."""

    def __init__(self, status: int, code: str, text: str):
        super().__init__(text)
        self.status, self.code = status, code


def _reference_id(value, resource_type: str) -> str:
    reference = value.get("reference", "") if isinstance(value, dict) else ""
    prefix = f"{resource_type}/"
    if not isinstance(reference, str) or not reference.startswith(prefix) or "/" in reference[len(prefix) :]:
        return ""
    return reference[len(prefix) :]


def _appointment_of(body) -> dict:
    """The Appointment in a request body: as it is, the first in a Bundle, or a Parameters' ``appt-resource``."""
    if isinstance(body, dict) and body.get("resourceType") == "Parameters":
        body = next(
            (
                p.get("resource")
                for p in body.get("parameter") or []
                if isinstance(p, dict) and p.get("name") == "appt-resource"
            ),
            None,
        )
    elif isinstance(body, dict) and body.get("resourceType") == "Bundle":
        body = next(
            (
                e.get("resource")
                for e in body.get("entry") or []
                if isinstance(e, dict)
                and isinstance(e.get("resource"), dict)
                and e["resource"].get("resourceType") == "Appointment"
            ),
            None,
        )
    if not isinstance(body, dict) or body.get("resourceType") != "Appointment":
        raise Refused(400, "invalid", "Send an Appointment (or a Bundle or Parameters holding one).")
    return body


def _booking_from(access: Access, appointment: dict) -> tuple[Booking, bool]:
    if appointment.get("status") not in (None, "booked", "proposed", "pending"):
        raise Refused(422, "business-rule", "An Appointment is booked with status booked (or proposed).")
    slots = [_reference_id(s, "Slot") for s in appointment.get("slot") or []]
    patients = [
        _reference_id(p.get("actor"), "Patient")
        for p in appointment.get("participant") or []
        if isinstance(p, dict) and _reference_id(p.get("actor"), "Patient")
    ]
    if len(slots) != 1 or not slots[0].isdigit():
        raise Refused(422, "required", "Name exactly one Slot (Appointment.slot).")
    if len(patients) != 1 or not patients[0].isdigit():
        raise Refused(422, "required", "Name exactly one Patient among the participants.")
    citizen = visible_citizens(access).filter(pk=int(patients[0])).first()
    slot = Slot.objects.filter(pk=int(slots[0])).select_related("schedule__unit").first()
    if citizen is None:
        raise Refused(404, "not-found", f"Patient/{patients[0]} is not known.")
    if slot is None:
        raise Refused(404, "not-found", f"Slot/{slots[0]} is not known.")
    token = None
    identifiers = [i for i in appointment.get("identifier") or [] if isinstance(i, dict) and i.get("value")]
    if identifiers:
        key = f"{access.token.application.client_id}|{identifiers[0].get('system', '')}|{identifiers[0]['value']}"
        token = uuid.uuid5(TOKEN_NAMESPACE, key)
        earlier = Booking.objects.filter(client_token=token, citizen=citizen).first()
        if earlier is not None:
            return earlier, False
    reason = appointment.get("description") or appointment.get("comment") or ""
    try:
        booking = booking_make_for_unit(
            actor=None,
            booking_unit=access.units[0],
            citizen=citizen,
            slot=slot,
            reason=str(reason)[:200],
            client_token=token,
        )
    except PermissionDenied as refused:
        raise Refused(404, "not-found", f"Slot/{slot.pk} is not open to this unit.") from refused
    except ValidationError as refused:
        raise Refused(409, "conflict", " ".join(refused.messages)) from refused
    return booking, True


def _resource(booking: Booking) -> dict:
    booking = Booking.objects.select_related("slot__schedule", "unit").get(pk=booking.pk)
    return {
        "id": str(booking.pk),
        **appointment_resource(booking, ref=ref, patient_ref=ref("patient", booking.citizen_id)),
    }


def _book(request, *, bundle: bool):
    access = system_access(request, "Appointment", "c")
    if isinstance(access, JsonResponse):
        return access
    try:
        booking, made = _booking_from(access, _appointment_of(json_body(request)))
    except Refused as refusal:
        return outcome(refusal.status, refusal.code, str(refusal))
    resource = _resource(booking)
    location = f"{base_url()}/Appointment/{booking.pk}"
    if bundle:
        answer = _json(
            {
                "resourceType": "Bundle",
                "type": "searchset",
                "total": 1,
                "entry": [{"fullUrl": location, "resource": resource, "search": {"mode": "match"}}],
            },
            status=200,
        )
    else:
        answer = _json(resource, status=201 if made else 200)
        answer["Location"] = location
    return answer


@fhir_view("GET", "POST")
def collection(request):
    """``POST`` books; ``GET`` searches as for every type."""
    if request.method == "POST":
        return _book(request, bundle=False)
    return fhir.search(request, "Appointment")


@fhir_view("POST")
def book(request):
    """``$book``: the Appointment booked, in a Bundle."""
    return _book(request, bundle=True)

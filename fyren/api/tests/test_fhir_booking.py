# ruff: noqa: F811 - pytest fixtures imported from other test modules are redefined as parameters
"""A record system books through FHIR (#32): ``POST /fhir/Appointment`` on a
free Slot for its unit's patient, or ``$book``; a taken time is an
OperationOutcome (409); another unit's slot is open only under a booking
agreement; a retry with the same identifier books once. Every answer is
checked with ``fhir.resources``, and SMART's ``fhirpy`` client books over HTTP."""

from __future__ import annotations

import json

import pytest
import requests
from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhirpy import SyncFHIRClient

from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry
from fyren.booking import schedule_services, services
from fyren.booking.models import Audience, Booking, VisitKind
from fyren.booking.tests.conftest import booking_world  # noqa: F401 - fixture
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture

from .test_fhir import fhir_world, record_system, system_token  # noqa: F401 - fixtures and helpers

pytestmark = pytest.mark.django_db
SCOPE = "system/*.rs system/Appointment.c"


def appointment(slot, patient, **extra) -> dict:
    return {
        "resourceType": "Appointment",
        "status": "booked",
        "slot": [{"reference": f"Slot/{slot.pk}"}],
        "participant": [{"actor": {"reference": f"Patient/{patient.pk}"}, "status": "accepted"}],
        **extra,
    }


def post(client, path, body, bearer):
    return client.post(
        path, json.dumps(body), content_type="application/fhir+json", HTTP_AUTHORIZATION=f"Bearer {bearer}"
    )


@pytest.fixture
def bearer(client, fhir_world, record_system):
    issued = system_token(client, scope=SCOPE)
    assert issued.status_code == 200, issued.content
    assert "system/Appointment.c" in issued.json()["scope"]
    return issued.json()["access_token"]


def test_a_record_system_books_a_free_slot_for_its_patient(client, fhir_world, bearer):
    w = fhir_world
    answer = post(client, "/fhir/Appointment", appointment(w.slots[1], w.patient, description="Kontroll"), bearer)
    assert answer.status_code == 201, answer.content
    created = Appointment.model_validate(answer.json())
    assert created.status == "booked" and answer["Location"].endswith(f"/Appointment/{created.id}")
    booking = Booking.objects.get(pk=created.id)
    assert booking.slot == w.slots[1] and booking.reason == "Kontroll" and booking.created_by is None
    entry = AccessLogEntry.objects.filter(object_type="booking", object_id=str(booking.pk)).get()
    assert entry.actor_id is None and entry.actor_label == "system via Journalsystemet" and entry.unit_id == w.unit.pk


def test_a_taken_slot_is_an_operation_outcome(client, fhir_world, bearer):
    w = fhir_world  # slots[0] holds the world's booking
    answer = post(client, "/fhir/Appointment", appointment(w.slots[0], w.patient), bearer)
    assert answer.status_code == 409
    refusal = OperationOutcome.model_validate(answer.json())
    assert refusal.issue[0].code == "conflict"


def test_book_takes_an_appointment_in_parameters_and_answers_a_bundle(client, fhir_world, bearer):
    w = fhir_world
    body = {
        "resourceType": "Parameters",
        "parameter": [{"name": "appt-resource", "resource": appointment(w.slots[2], w.patient)}],
    }
    answer = post(client, "/fhir/Appointment/$book", body, bearer)
    assert answer.status_code == 200, answer.content
    bundle = Bundle.model_validate(answer.json())
    assert bundle.entry[0].resource.get_resource_type() == "Appointment"


def test_a_retry_with_the_same_identifier_books_once(client, fhir_world, bearer):
    w = fhir_world
    body = appointment(w.slots[3], w.patient, identifier=[{"system": "urn:journal", "value": "bokning-77"}])
    first = post(client, "/fhir/Appointment", body, bearer)
    again = post(client, "/fhir/Appointment", body, bearer)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"] and Booking.objects.filter(slot=w.slots[3]).count() == 1


def test_refusals(client, fhir_world, bearer, make):
    w = fhir_world
    other_unit_slot = schedule_services.slot_add(
        actor=make.staff("bookadmin2", (Role.ENROLMENT_ADMIN, w.other_unit)),
        schedule=schedule_services.schedule_save(
            actor=make.staff("clin2", (Role.CLINICIAN, w.other_unit)), unit=w.other_unit, kind="room", title="Rum"
        ),
        starts_at=w.slots[1].starts_at,
        minutes=30,
        visit_kind=VisitKind.AT_UNIT,
        audience=Audience.STAFF,
    )
    cases = [
        (appointment(w.slots[1], w.stranger), 404),  # not the unit's patient
        (appointment(other_unit_slot, w.patient), 404),  # another unit's time, no agreement
        ({**appointment(w.slots[1], w.patient), "slot": []}, 422),
        ({"resourceType": "Patient"}, 400),
        ({**appointment(w.slots[1], w.patient), "status": "cancelled"}, 422),
    ]
    for body, status in cases:
        answer = post(client, "/fhir/Appointment", body, bearer)
        assert answer.status_code == status, (body, answer.content)
        OperationOutcome.model_validate(answer.json())
    readonly = system_token(client).json()["access_token"]
    assert post(client, "/fhir/Appointment", appointment(w.slots[1], w.patient), readonly).status_code == 403
    assert not Booking.objects.filter(slot=w.slots[1]).exists()


def test_another_units_time_under_an_agreement(client, fhir_world, bearer, make):
    w = fhir_world
    admin = make.staff("otheradmin", (Role.ENROLMENT_ADMIN, w.other_unit))
    schedule = schedule_services.schedule_save(
        actor=make.staff("clin3", (Role.CLINICIAN, w.other_unit)), unit=w.other_unit, kind="room", title="Rum 2"
    )
    slot = schedule_services.slot_add(
        actor=admin,
        schedule=schedule,
        starts_at=w.slots[1].starts_at,
        minutes=30,
        visit_kind=VisitKind.AT_UNIT,
        audience=Audience.STAFF,
    )
    services.booking_agreement_grant(actor=admin, schedule=schedule, booking_unit=w.unit)
    answer = post(client, "/fhir/Appointment", appointment(slot, w.patient), bearer)
    assert answer.status_code == 201, answer.content
    booking = Booking.objects.get(pk=answer.json()["id"])
    assert booking.unit == w.other_unit and booking.booked_by_unit == w.unit


def test_fhirpy_books_over_http(live_server, fhir_world, record_system, settings):
    w = fhir_world
    settings.FYREN_PUBLIC_URL = live_server.url
    token = requests.post(
        f"{live_server.url}/o/token/",
        data={"grant_type": "client_credentials", "scope": SCOPE},
        auth=("journal-a", "s3cret-for-tests"),
        timeout=10,
    ).json()["access_token"]
    fhir = SyncFHIRClient(f"{live_server.url}/fhir", authorization=f"Bearer {token}")
    made = fhir.resource("Appointment", **appointment(w.slots[1], w.patient))
    made.save()
    assert made["id"] and made["status"] == "booked"
    assert fhir.resources("Appointment").search(_id=made["id"]).count() == 1

"""Visits in the journal export bundle as Schedule, Slot and Appointment, valid R4."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from conftest import force_login_staff
from fyren.booking import schedule_services
from fyren.booking import services as booking
from fyren.instruments.tests.test_fhir_questionnaire import SCHEMA, assert_valid
from fyren.interop.fhir.booking import REPLACES
from fyren.journal.models import JournalExport
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.skipif(not SCHEMA.exists(), reason="npm ci installs the FHIR schema")]


def test_visits_export_as_valid_schedule_slot_and_appointment(client, enrolled):  # noqa: F811
    w = enrolled
    schedule = schedule_services.schedule_save(
        actor=w.clinician, unit=w.unit, kind="clinician", title="", clinician=w.clinician
    )
    start = timezone.now() + dt.timedelta(days=3)
    slots = [
        schedule_services.slot_add(
            actor=w.clinician,
            schedule=schedule,
            starts_at=start + dt.timedelta(hours=n),
            minutes=30,
            visit_kind="video",
            audience="offered",
        )
        for n in range(3)
    ]
    first = booking.booking_make(actor=w.clinician, citizen=w.patient, slot=slots[0])
    moved = booking.booking_rebook(actor=w.clinician, booking=first, slot=slots[1], reason="Krock")
    booking.times_offer(actor=w.clinician, citizen=w.patient, slots=[slots[2]])
    force_login_staff(client, w.clinician)
    today = timezone.localdate()
    client.post(
        f"/clinic/{w.unit.pk}/enrolments/{w.enrolment.pk}/journal/", {"period_start": today, "period_end": today}
    )
    export = JournalExport.objects.get()
    bundle = json.loads(client.get(f"/clinic/{w.unit.pk}/journal/{export.pk}/bundle.json").content)
    assert_valid(bundle)
    for entry in bundle["entry"]:
        assert_valid(entry["resource"])
    appointments = {
        e["resource"]["identifier"][0]["value"]: e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Appointment"
    }
    assert appointments[str(first.pk)]["status"] == "cancelled"
    assert appointments[str(moved.pk)]["status"] == "booked"
    replaced = appointments[str(moved.pk)]["extension"][0]
    references = {e["fullUrl"] for e in bundle["entry"]}
    assert replaced["url"] == REPLACES and replaced["valueReference"]["reference"] in references
    assert "proposed" in {a["status"] for a in appointments.values()}
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("Schedule") == 1 and kinds.count("Slot") == 3

"""Booking into another unit's time book (#32): a unit lets another unit's staff
book into one of its schedules; they book their patient there, the booking says
who booked for whom, the patient becomes the receiving unit's patient; without
an agreement, for someone else's patient or into a taken time it is refused."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import force_login_staff
from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry
from fyren.booking import services
from fyren.booking.models import Booking, BookingAgreement
from fyren.care.models import CareRelation

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreed(booking_world, make):
    """Unit A opens its clinician's schedule to the advice line (unit L), whose nurse has a caller in care."""
    w = booking_world
    w.line = make.unit(w.region, "L1", "Rådgivningen")
    w.nurse = make.staff("nurse", (Role.CLINICIAN, w.line))
    w.caller = make.citizen("Cilla", "Caller")
    make.care_relation(w.caller, w.line)
    w.agreement = services.booking_agreement_grant(actor=w.admin, schedule=w.schedule, booking_unit=w.line)
    return w


def book(w, **changes):
    fields = {"actor": w.nurse, "booking_unit": w.line, "citizen": w.caller, "slot": w.slots[0], "reason": "Hosta"}
    return services.booking_make_for_unit(**{**fields, **changes})


def test_the_other_unit_books_its_patient_and_the_booking_says_so(agreed):
    w = agreed
    booking = book(w)
    assert booking.unit == w.unit and booking.booked_by_unit == w.line and booking.created_by == w.nurse
    assert booking.status == Booking.Status.BOOKED
    assert CareRelation.objects.active().filter(citizen=w.caller, unit=w.unit).exists()
    entry = AccessLogEntry.objects.filter(object_type="booking", citizen_id=w.caller.pk).latest("seq")
    assert entry.unit_id == w.line.pk and entry.actor_id == w.nurse.pk and entry.action == "create"


def test_the_same_form_twice_books_once(agreed):
    w = agreed
    token = uuid.uuid4()
    assert book(w, client_token=token).pk == book(w, client_token=token).pk


def test_refusals(agreed, make):
    w = agreed
    with pytest.raises(PermissionDenied):  # not the nurse's patient
        book(w, citizen=w.patient)
    with pytest.raises(PermissionDenied):  # not staff of the booking unit
        book(w, actor=w.outsider)
    other = make.unit(w.region, "L2", "Annan enhet")
    make.care_relation(w.caller, other)
    with pytest.raises(PermissionDenied):  # no agreement for that unit
        book(w, booking_unit=other, actor=make.staff("othernurse", (Role.CLINICIAN, other)))
    services.booking_make(actor=w.clinician, citizen=w.patient, slot=w.slots[1])
    with pytest.raises(ValidationError):  # taken
        book(w, slot=w.slots[1])
    services.booking_agreement_end(actor=w.admin, agreement=w.agreement)
    with pytest.raises(PermissionDenied):  # the agreement ended
        book(w)
    assert not Booking.objects.filter(citizen=w.caller).exists()


def test_only_the_units_admin_grants_and_never_to_itself(agreed):
    w = agreed
    with pytest.raises(PermissionDenied):
        services.booking_agreement_grant(actor=w.clinician, schedule=w.schedule, booking_unit=w.line)
    with pytest.raises(ValidationError):
        services.booking_agreement_grant(actor=w.admin, schedule=w.schedule, booking_unit=w.unit)
    again = services.booking_agreement_grant(actor=w.admin, schedule=w.schedule, booking_unit=w.line)
    assert again.pk == w.agreement.pk and BookingAgreement.objects.count() == 1


def test_the_pages(client, agreed):
    w = agreed
    force_login_staff(client, w.admin)
    page = client.get(f"/clinic/{w.unit.pk}/schedules/").content.decode()
    assert "Rådgivningen" in page
    force_login_staff(client, w.nurse)
    url = f"/clinic/{w.line.pk}/patients/{w.caller.pk}/book-elsewhere/"
    listing = client.get(url)
    assert listing.status_code == 200 and f'value="{w.slots[0].pk}"' in listing.content.decode()
    refused = client.post(url, {"slot": "", "reason": "Hosta", "client_token": str(uuid.uuid4())})
    assert refused.status_code == 400 and 'value="Hosta"' in refused.content.decode()
    done = client.post(url, {"slot": str(w.slots[0].pk), "reason": "Hosta", "client_token": str(uuid.uuid4())})
    assert done.status_code == 302
    visit = Booking.objects.get(citizen=w.caller)
    force_login_staff(client, w.clinician)  # the receiving unit sees who booked
    assert "Rådgivningen" in client.get(f"/clinic/{w.unit.pk}/bookings/{visit.pk}/").content.decode()
    # Another unit's clinician and the receiving unit for someone not its patient: 404.
    force_login_staff(client, w.outsider)
    assert client.get(url).status_code == 404

"""The care guarantee's medical assessment within 3 days counts only when made by
licensed staff (legitimation) of a profession the unit's rule accepts (#32)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fyren.accounts.models import Licence
from fyren.accounts.roles import Role
from fyren.accounts.services import licence_record, licence_revoke
from fyren.booking import schedule_services, services, waiting_room
from fyren.booking.guarantee_services import guarantee_mark, guarantee_register
from fyren.booking.models import Audience, Booking, GuaranteeCase, Slot, VisitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def primary(booking_world, make):
    """Unit A is measured as primary care; a nurse without a recorded licence works there too."""
    w = booking_world
    services.booking_rules_set(
        actor=make.staff("rulesadmin", (Role.ENROLMENT_ADMIN, w.unit)),
        unit=w.unit,
        change_until_hours=24,
        remind_hours=24,
        guarantee_level="primary",
    )
    w.unlicensed = make.staff("behandlare", (Role.CLINICIAN, w.unit))
    w.keeper = w.access_admin
    return w


def held_visit(w, clinician, *, shared=False, marker=None):
    """A visit with ``clinician`` (or on a shared schedule) an hour ago, marked held."""
    schedule = schedule_services.schedule_save(
        actor=w.admin,
        unit=w.unit,
        kind="role" if shared else "clinician",
        title="Sjuksköterska" if shared else "",
        clinician=None if shared else clinician,
    )
    start = timezone.now() - dt.timedelta(hours=1)
    slot = schedule_services.slot_add(
        actor=w.admin,
        schedule=schedule,
        starts_at=timezone.now() + dt.timedelta(days=5),
        minutes=30,
        visit_kind=VisitKind.AT_UNIT,
        audience=Audience.STAFF,
    )
    Slot.objects.filter(pk=slot.pk).update(starts_at=start, ends_at=start + dt.timedelta(minutes=30))
    slot.refresh_from_db()
    booking = Booking.objects.create(
        slot=slot, citizen=w.patient, unit=w.unit, status=Booking.Status.BOOKED, waiting_since=start
    )
    return waiting_room.visit_outcome(actor=marker or clinician, booking=booking, held=True)


def open_case(w):
    return guarantee_register(
        actor=w.clinician, citizen=w.patient, unit=w.unit, level="primary", at=timezone.now() - dt.timedelta(days=1)
    )


def test_a_visit_by_licensed_staff_is_the_assessment(primary):
    w = primary
    case = open_case(w)
    booking = held_visit(w, w.clinician)
    case.refresh_from_db()
    assert booking.held_by == w.clinician
    assert case.contacted_at is not None and case.assessed_at is not None and case.assessed_by == w.clinician


def test_a_visit_by_staff_without_a_licence_makes_contact_but_is_no_assessment(primary):
    w = primary
    case = open_case(w)
    held_visit(w, w.unlicensed)
    case.refresh_from_db()
    assert case.contacted_at is not None
    assert case.assessed_at is None and case.assessed_by is None


def test_the_units_rule_names_the_professions_that_count(primary, make):
    w = primary
    services.booking_rules_set(
        actor=make.staff("rules2", (Role.ENROLMENT_ADMIN, w.unit)),
        unit=w.unit,
        change_until_hours=24,
        remind_hours=24,
        guarantee_level="primary",
        assessment_professions=["LK", "SJ"],
    )
    case = open_case(w)
    held_visit(w, w.clinician)  # a psychologist: not among them
    case.refresh_from_db()
    assert case.assessed_at is None
    licence_record(
        actor=w.keeper, unit=w.unit, user=w.unlicensed, profession="SJ", number="1234567", issued_on=dt.date(2020, 1, 1)
    )
    held_visit(w, w.unlicensed)
    case.refresh_from_db()
    assert case.assessed_by == w.unlicensed
    with pytest.raises(ValidationError):
        services.booking_rules_set(
            actor=w.access_admin, unit=w.unit, change_until_hours=24, remind_hours=24, assessment_professions=["XX"]
        )


def test_a_revoked_licence_no_longer_counts(primary):
    w = primary
    licence = Licence.objects.get(user=w.clinician)
    licence_revoke(actor=w.keeper, unit=w.unit, licence=licence, revoked_on=timezone.localdate() - dt.timedelta(days=1))
    case = open_case(w)
    held_visit(w, w.clinician)
    case.refresh_from_db()
    assert case.assessed_at is None


def test_a_shared_schedules_visit_is_held_by_whoever_marks_it(primary):
    w = primary
    case = open_case(w)
    booking = held_visit(w, None, shared=True, marker=w.unlicensed)
    assert booking.held_by == w.unlicensed
    case.refresh_from_db()
    assert case.assessed_at is None


def test_an_assessment_recorded_by_hand_names_a_licensed_professional(primary):
    w = primary
    case = open_case(w)
    with pytest.raises(ValidationError) as refused:
        guarantee_mark(actor=w.unlicensed, case=case, step="assessed_at")
    assert "by" in refused.value.message_dict
    case.refresh_from_db()
    assert case.assessed_at is None
    guarantee_mark(actor=w.unlicensed, case=case, step="assessed_at", by=w.clinician)
    case.refresh_from_db()
    assert case.assessed_by == w.clinician and case.assessed_at is not None
    other = GuaranteeCase.objects.create(
        citizen=w.patient, unit=w.unit, level="primary", contact_at=timezone.now() - dt.timedelta(hours=2)
    )
    with pytest.raises(ValidationError):  # someone who does not work at the unit
        guarantee_mark(actor=w.clinician, case=other, step="assessed_at", by=w.outsider)


def test_licences_are_kept_by_the_units_access_admin(primary):
    w = primary
    licence = licence_record(
        actor=w.keeper, unit=w.unit, user=w.unlicensed, profession="SJ", number="7654321", issued_on=dt.date(2019, 5, 2)
    )
    assert licence.valid_on(timezone.localdate())
    again = licence_record(
        actor=w.keeper, unit=w.unit, user=w.unlicensed, profession="SJ", number="7654322", issued_on=dt.date(2019, 5, 2)
    )
    assert again.pk == licence.pk and again.number == "7654322"
    with pytest.raises(PermissionDenied):  # another unit's admin
        licence_record(actor=w.outsider, unit=w.unit, user=w.unlicensed, profession="SJ", number="7654321", issued_on=D)
    with pytest.raises(PermissionDenied):  # someone without a role at the unit
        licence_record(actor=w.keeper, unit=w.unit, user=w.outsider, profession="SJ", number="7654321", issued_on=D)
    for number, issued, profession in (("12", D, "SJ"), ("1234567", timezone.localdate() + dt.timedelta(days=2), "SJ")):
        with pytest.raises(ValidationError):
            licence_record(
                actor=w.keeper, unit=w.unit, user=w.unlicensed, profession=profession, number=number, issued_on=issued
            )
    with pytest.raises(ValidationError):
        licence_record(actor=w.keeper, unit=w.unit, user=w.unlicensed, profession="XX", number="1234567", issued_on=D)
    with pytest.raises(ValidationError):
        licence_revoke(actor=w.keeper, unit=w.unit, licence=licence, revoked_on=dt.date(2000, 1, 1))
    assert Licence.objects.get(pk=licence.pk).number == "7654322"


D = dt.date(2018, 1, 1)

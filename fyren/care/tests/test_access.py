"""Need-based access: clinicians see citizens only through an active care
relation at a unit where they are clinicians, or through emergency access."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry
from fyren.care import selectors
from fyren.care.models import EmergencyAccess
from fyren.care.services import care_relation_start, emergency_access_open

pytestmark = pytest.mark.django_db


def test_a_clinician_sees_a_patient_of_the_unit_and_the_read_is_logged(world):
    citizen = selectors.citizen_get_for_clinician(actor=world.clinician, unit=world.unit, citizen_id=world.patient.pk)
    assert citizen == world.patient
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.citizen, entry.unit, entry.action) == (
        world.clinician,
        world.patient,
        world.unit,
        "read",
    )
    assert not entry.emergency and not entry.outside_care_relation


def test_a_citizen_without_a_care_relation_is_a_404_like_a_missing_one(world):
    for citizen_id in (world.stranger.pk, 999999):
        with pytest.raises(Http404):
            selectors.citizen_get_for_clinician(actor=world.clinician, unit=world.unit, citizen_id=citizen_id)
    assert not AccessLogEntry.objects.exists()


def test_a_clinician_of_another_unit_gets_404(world):
    with pytest.raises(Http404):
        selectors.citizen_get_for_clinician(actor=world.outsider, unit=world.unit, citizen_id=world.patient.pk)
    with pytest.raises(Http404):
        selectors.citizen_get_for_clinician(actor=world.outsider, unit=world.other_unit, citizen_id=world.patient.pk)


def test_another_role_at_the_unit_does_not_give_access(world):
    with pytest.raises(Http404):
        selectors.citizen_get_for_clinician(actor=world.access_admin, unit=world.unit, citizen_id=world.patient.pk)


def test_an_ended_care_relation_ends_access(world):
    relation = world.patient.care_relations.get()
    relation.ended_at = timezone.now()  # as when the unit's care of the patient ends
    relation.save(update_fields=["ended_at"])
    with pytest.raises(Http404):
        selectors.citizen_get_for_clinician(actor=world.clinician, unit=world.unit, citizen_id=world.patient.pk)


def test_the_patient_list_shows_only_the_units_patients_and_logs_each(world, make):
    second = make.citizen("Second")
    make.care_relation(second, world.unit)
    make.care_relation(world.stranger, world.other_unit)
    listed = selectors.citizens_in_care_at(actor=world.clinician, unit=world.unit)
    assert set(listed) == {world.patient, second}
    assert set(AccessLogEntry.objects.values_list("citizen_id", flat=True)) == {world.patient.pk, second.pk}


def test_the_patient_list_is_empty_and_unlogged_for_a_non_clinician(world):
    assert selectors.citizens_in_care_at(actor=world.outsider, unit=world.unit) == []
    assert not AccessLogEntry.objects.exists()


def test_emergency_access_needs_a_typed_reason(world):
    for reason in ("", "   ", "short"):
        with pytest.raises(ValidationError):
            emergency_access_open(actor=world.clinician, unit=world.unit, citizen=world.stranger, reason=reason)
    assert not EmergencyAccess.objects.exists()
    assert not AccessLogEntry.objects.exists()


def test_emergency_access_opens_access_and_every_use_is_flagged(world):
    emergency_access_open(
        actor=world.clinician,
        unit=world.unit,
        citizen=world.stranger,
        reason="Unconscious at the reception, needs history",
    )
    citizen = selectors.citizen_get_for_clinician(actor=world.clinician, unit=world.unit, citizen_id=world.stranger.pk)
    assert citizen == world.stranger
    entries = list(AccessLogEntry.objects.order_by("seq"))
    assert len(entries) == 2
    assert all(e.emergency and e.outside_care_relation for e in entries)
    assert "Unconscious" in entries[0].reason


def test_emergency_access_is_personal_and_expires(world, make):
    other_clinician = make.staff("other", (Role.CLINICIAN, world.unit))
    grant = emergency_access_open(
        actor=world.clinician, unit=world.unit, citizen=world.stranger, reason="Acute situation at the unit"
    )
    with pytest.raises(Http404):
        selectors.citizen_get_for_clinician(actor=other_clinician, unit=world.unit, citizen_id=world.stranger.pk)
    EmergencyAccess.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(Http404):
        selectors.citizen_get_for_clinician(actor=world.clinician, unit=world.unit, citizen_id=world.stranger.pk)


def test_only_a_clinician_of_the_unit_may_open_emergency_access(world):
    with pytest.raises(PermissionDenied):
        emergency_access_open(
            actor=world.outsider, unit=world.unit, citizen=world.stranger, reason="Trying from another unit"
        )


def test_a_care_relation_is_started_once_and_the_start_is_logged(world):
    first = care_relation_start(actor=world.clinician, citizen=world.stranger, unit=world.unit, reason="Worry")
    again = care_relation_start(actor=world.clinician, citizen=world.stranger, unit=world.unit, reason="Worry")
    assert first == again
    assert AccessLogEntry.objects.filter(action="create", object_type="care_relation").count() == 1


def test_an_outsider_cannot_start_a_care_relation(world):
    with pytest.raises(PermissionDenied):
        care_relation_start(actor=world.outsider, citizen=world.stranger, unit=world.unit)


def test_an_enrolment_admin_starts_a_care_relation_under_that_role(world, make):
    admin = make.staff("enroller", (Role.ENROLMENT_ADMIN, world.unit))
    care_relation_start(actor=admin, citizen=world.stranger, unit=world.unit, reason="Referral")
    entry = AccessLogEntry.objects.get(object_type="care_relation")
    assert (entry.actor, entry.role) == (admin, Role.ENROLMENT_ADMIN)

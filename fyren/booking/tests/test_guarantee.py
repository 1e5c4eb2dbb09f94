import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from fyren.booking.guarantee import Dates, measures
from fyren.booking.guarantee_services import guarantee_flags_raise, guarantee_mark, guarantee_register
from fyren.flags.models import Flag

D = dt.date(2026, 12, 1)


def by_name(found):
    return {m.name: m for m in found}


def test_primary_care_contact_the_same_day_and_an_assessment_within_three_days():
    open_case = by_name(measures(Dates("primary", D), today=D + dt.timedelta(days=2)))
    assert set(open_case) == {"contact", "assessment"}
    assert open_case["contact"].state == "overdue" and open_case["assessment"].state == "due"
    done = by_name(measures(Dates("primary", D, contacted_on=D, assessed_on=D + dt.timedelta(days=3)), today=D))
    assert done["contact"].state == "within" and done["assessment"].state == "within"
    late = by_name(measures(Dates("primary", D, contacted_on=D, assessed_on=D + dt.timedelta(days=4)), today=D))
    assert late["assessment"].state == "late"


def test_specialist_care_first_visit_and_treatment_within_ninety_days():
    case = Dates("specialist", D, first_visit_on=D + dt.timedelta(days=80), decided_on=D + dt.timedelta(days=80))
    found = by_name(measures(case, today=D + dt.timedelta(days=172)))
    assert set(found) == {"first_visit", "treatment"}
    assert found["first_visit"].state == "within" and found["treatment"].state == "overdue"


def test_waits_the_patient_chose_are_left_out():
    case = Dates("primary", D, contacted_on=D, assessed_on=D + dt.timedelta(days=10), patient_wait_days=8)
    found = by_name(measures(case, today=D))
    assert found["assessment"].days == 10 and found["assessment"].counted == 2
    assert found["assessment"].state == "within"


@given(st.integers(0, 400), st.integers(0, 400), st.sampled_from(["primary", "specialist"]))
def test_counted_days_never_exceed_calendar_days_nor_go_below_zero(days, wait, level):
    case = Dates(level, D, decided_on=D, patient_wait_days=wait)
    for measure in measures(case, today=D + dt.timedelta(days=days)):
        assert 0 <= measure.counted <= measure.days


@pytest.mark.django_db
def test_a_contact_near_the_three_day_limit_is_flagged_until_assessed(booking_world):
    w = booking_world
    two_days_ago = timezone.now() - dt.timedelta(days=2)
    case = guarantee_register(actor=w.clinician, citizen=w.patient, unit=w.unit, level="primary", at=two_days_ago)
    guarantee_mark(actor=w.clinician, case=case, step="contacted_at", at=two_days_ago + dt.timedelta(hours=1))
    assert guarantee_flags_raise() == 1
    assert guarantee_flags_raise() == 0
    flag = Flag.objects.get(kind="guarantee")
    assert flag.unit == w.unit and flag.is_open
    guarantee_mark(actor=w.clinician, case=case, step="assessed_at")
    flag.refresh_from_db()
    assert not flag.is_open
    with pytest.raises(PermissionDenied):
        guarantee_mark(actor=w.outsider, case=case, step="assessed_at")
    with pytest.raises(ValidationError):
        guarantee_mark(actor=w.clinician, case=case, step="treated_at")  # no decision yet

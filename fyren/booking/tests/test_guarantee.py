import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from fyren.accounts.roles import Role
from fyren.booking import services, waiting_room
from fyren.booking.guarantee import Dates, band_of, measures, month_figures
from fyren.booking.guarantee_services import (
    guarantee_end,
    guarantee_flags_raise,
    guarantee_mark,
    guarantee_patient_wait,
    guarantee_register,
)
from fyren.booking.models import Booking, GuaranteeCase, Slot
from fyren.booking.services import booking_rules_set
from fyren.episodes.models import Episode
from fyren.episodes.services import care_request_decide, care_request_send, episode_point_record
from fyren.flags.models import Flag
from fyren.messaging import services as messaging

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


@pytest.fixture
def measured(booking_world, make):
    """A specialist unit measured against the guarantee, receiving care requests from unit A."""
    w = booking_world
    w.psychiatry = make.unit(w.region, "A2", "Psykiatri")
    w.receiver = make.staff("receiver", (Role.CLINICIAN, w.psychiatry))
    booking_rules_set(
        actor=make.staff("padmin", (Role.ENROLMENT_ADMIN, w.psychiatry)),
        unit=w.psychiatry,
        change_until_hours=24,
        remind_hours=24,
        guarantee_level="specialist",
    )
    return w


def _request(w):
    return care_request_send(
        actor=w.clinician,
        citizen=w.patient,
        from_unit=w.unit,
        to_unit=w.psychiatry,
        reason="Depression",
        client_token=uuid.uuid4(),
    )


def test_a_care_request_received_starts_the_clock_and_the_episode_ends_it(measured):
    w = measured
    request = _request(w)
    case = GuaranteeCase.objects.get(citizen=w.patient, unit=w.psychiatry)
    assert case.source == "fyren" and case.level == "specialist" and case.episode_id == request.episode_id
    assert case.contact_at == request.sent_at
    _request(w)  # a second request while the first is followed starts no second case
    assert GuaranteeCase.objects.filter(citizen=w.patient, unit=w.psychiatry).count() == 1
    care_request_decide(actor=w.receiver, request=request, accept=True)
    episode = Episode.objects.get(pk=request.episode_id)
    decided = episode_point_record(actor=w.receiver, episode=episode, point="D", at=timezone.now())
    started = episode_point_record(actor=w.receiver, episode=episode, point="E", at=timezone.now())
    case.refresh_from_db()
    assert case.decided_at == decided.at and case.treated_at == started.at


def test_a_declined_request_ends_the_case_and_a_unit_not_measured_starts_none(measured, make):
    w = measured
    request = _request(w)
    care_request_decide(actor=w.receiver, request=request, accept=False, reason="Primary care first")
    case = GuaranteeCase.objects.get(citizen=w.patient, unit=w.psychiatry)
    assert case.ended_at is not None and case.end_reason
    assert guarantee_flags_raise(today=timezone.localdate() + dt.timedelta(days=200)) == 0
    other = make.unit(w.region, "A3", "Not measured")
    care_request_send(
        actor=w.clinician, citizen=w.patient, from_unit=w.unit, to_unit=other, reason="x", client_token=uuid.uuid4()
    )
    assert not GuaranteeCase.objects.filter(unit=other).exists()


def test_an_answer_is_the_contact_and_a_held_visit_the_assessment(booking_world):
    w = booking_world
    case = guarantee_register(
        actor=w.clinician, citizen=w.patient, unit=w.unit, level="primary", at=timezone.now() - dt.timedelta(days=3)
    )
    thread = messaging.thread_open(actor=w.clinician, unit=w.unit, citizen=w.patient, subject="Din kontakt")
    messaging.message_send(actor=w.clinician, thread=thread, body="Vi ringer dig i morgon.", from_citizen=False)
    case.refresh_from_db()
    assert case.contacted_at is not None and case.assessed_at is None
    visit = services.booking_make(actor=w.clinician, citizen=w.patient, slot=w.slots[0])
    started = timezone.now() - dt.timedelta(hours=1)
    Slot.objects.filter(pk=w.slots[0].pk).update(starts_at=started)  # the visit has taken place
    waiting_room.visit_outcome(actor=w.clinician, booking=visit, held=True)
    case.refresh_from_db()
    assert case.assessed_at == started


def test_a_later_time_the_patient_chose_is_counted_apart(booking_world):
    w = booking_world
    case = guarantee_register(actor=w.clinician, citizen=w.patient, unit=w.unit, level="primary")
    visit = services.booking_make(actor=w.clinician, citizen=w.patient, slot=w.slots[0])  # in two days
    services.booking_rebook(actor=w.patient.user, booking=visit, slot=w.slots[2])  # the day after
    case.refresh_from_db()
    assert case.patient_wait_days == 1
    staff_moved = services.booking_rebook(
        actor=w.clinician, booking=Booking.objects.get(replaces=visit), slot=w.slots[3]
    )
    case.refresh_from_db()
    assert case.patient_wait_days == 1 and staff_moved.status == "booked"  # staff's move is not the patient's choice


def test_ending_and_patient_waits_need_their_rules(booking_world):
    w = booking_world
    case = guarantee_register(actor=w.clinician, citizen=w.patient, unit=w.unit, level="primary")
    with pytest.raises(ValidationError):
        guarantee_end(actor=w.clinician, case=case, reason="  ")
    with pytest.raises(ValidationError):
        guarantee_patient_wait(actor=w.clinician, case=case, days=400)
    with pytest.raises(PermissionDenied):
        guarantee_patient_wait(actor=w.outsider, case=case, days=2)
    guarantee_end(actor=w.clinician, case=case, reason="Vill inte ha vård")
    with pytest.raises(ValidationError):
        guarantee_mark(actor=w.clinician, case=case, step="assessed_at")
    with pytest.raises(ValidationError):
        guarantee_register(
            actor=w.clinician,
            citizen=w.patient,
            unit=w.unit,
            level="primary",
            at=timezone.now() + dt.timedelta(days=1),
        )


M = dt.date(2026, 10, 1)


def test_monthly_figures_count_completed_by_band_and_waiting_at_the_months_end():
    cases = [
        Dates("primary", M, contacted_on=M, assessed_on=M + dt.timedelta(days=2)),  # within
        Dates("primary", M, contacted_on=M, assessed_on=M + dt.timedelta(days=5)),  # late, 4_30
        Dates("primary", M, contacted_on=M, assessed_on=M + dt.timedelta(days=6), patient_wait_days=4),  # within
        Dates("primary", M + dt.timedelta(days=29), contacted_on=M + dt.timedelta(days=31)),  # waits at month end
        Dates("primary", M + dt.timedelta(days=10), ended_on=M + dt.timedelta(days=12)),  # ended: not waiting
    ]
    october = month_figures(cases, M, today=dt.date(2026, 12, 1))
    assessment = october[("primary", "assessment")]
    assert (assessment.completed, assessment.within, assessment.patient_wait_cases) == (3, 2, 1)
    assert assessment.completed_bands == {"1_3": 2, "4_30": 1}
    assert (assessment.waiting, assessment.waiting_over_limit, assessment.waiting_bands) == (1, 0, {"1_3": 1})
    contact = october[("primary", "contact")]
    # The fourth was contacted on 1 November: at October's end it waited, one day over.
    assert (contact.completed, contact.within, contact.waiting, contact.waiting_over_limit) == (3, 3, 1, 1)
    november = month_figures(cases, dt.date(2026, 11, 1), today=dt.date(2026, 12, 1))
    assert november[("primary", "contact")].completed_bands == {"1_3": 1}
    assert november[("primary", "assessment")].waiting_over_limit == 1  # still not assessed at November's end


def test_the_running_month_counts_waits_until_today():
    case = Dates("specialist", M)
    figures = month_figures([case], M, today=M + dt.timedelta(days=10))[("specialist", "first_visit")]
    assert figures.waiting_bands == {"4_30": 1}
    assert band_of(0) == "0" and band_of(90) == "61_90" and band_of(181) == "over_180"

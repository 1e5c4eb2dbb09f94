import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fyren.flags.models import Flag
from fyren.questionnaires import services
from fyren.questionnaires.models import Response, ScheduledSend
from fyren.questionnaires.schedule import sends_at_end, sends_at_start

from .conftest import phq9_raw

pytestmark = pytest.mark.django_db


def _start(world, send=None):
    return services.response_start(
        actor=world.patient.user,
        citizen=world.patient,
        instrument_code="phq9",
        language="sv",
        enrolment=world.enrolment,
        send=send or world.send,
    )


def test_starting_schedules_the_programs_questionnaires(enrolled):
    reasons = list(enrolled.enrolment.sends.values_list("reason", "due_on"))
    assert ("start", dt.date.today()) in reasons
    assert sum(1 for r, _d in reasons if r == "weekly") >= 1


def test_a_draft_keeps_answers_and_a_second_start_resumes_it(enrolled):
    response = _start(enrolled)
    services.response_save_draft(actor=enrolled.patient.user, response=response, raw={"1": "2", "2": "x"})
    response.refresh_from_db()
    assert response.answers == {"1": "2"}
    assert _start(enrolled) == response


def test_submitting_scores_and_closes_the_send(enrolled):
    response = _start(enrolled)
    done = services.response_submit(
        actor=enrolled.patient.user, client_token=response.client_token, raw=phq9_raw([1] * 9)
    )
    assert done.status == Response.Status.COMPLETED and done.scores == {"total": 9} and done.bands == {"total": "mild"}
    assert ScheduledSend.objects.get(pk=enrolled.send.pk).completed_at is not None


def test_a_double_submit_stores_one_answer(enrolled):
    response = _start(enrolled)
    first = services.response_submit(
        actor=enrolled.patient.user, client_token=response.client_token, raw=phq9_raw([1] * 9)
    )
    again = services.response_submit(
        actor=enrolled.patient.user, client_token=response.client_token, raw=phq9_raw([3] * 9)
    )
    assert first.pk == again.pk and again.scores == {"total": 9}
    assert Response.objects.count() == 1


def test_missing_required_answers_are_refused_and_what_was_given_is_kept(enrolled):
    response = _start(enrolled)
    with pytest.raises(services.IncompleteAnswers) as info:
        services.response_submit(actor=enrolled.patient.user, client_token=response.client_token, raw=phq9_raw([1] * 8))
    assert info.value.missing == ["9"]
    response.refresh_from_db()
    assert response.status == Response.Status.DRAFT and len(response.answers) == 8


def test_item_nine_raises_an_urgent_flag_for_the_unit(enrolled):
    response = _start(enrolled)
    done = services.response_submit(
        actor=enrolled.patient.user, client_token=response.client_token, raw=phq9_raw([0] * 8 + [1])
    )
    assert done.urgent
    flag = Flag.objects.get()
    assert flag.urgent and flag.unit == enrolled.unit and flag.enrolment == enrolled.enrolment
    assert flag.citizen == enrolled.patient and flag.acknowledged_at is None


def test_worsening_from_the_baseline_raises_a_flag(enrolled):
    first = _start(enrolled)
    services.response_submit(
        actor=enrolled.patient.user, client_token=first.client_token, raw=phq9_raw([1] * 8 + [0])
    )  # 8
    weekly = enrolled.enrolment.sends.filter(reason="weekly").first()
    second = _start(enrolled, send=weekly)
    services.response_submit(
        actor=enrolled.patient.user, client_token=second.client_token, raw=phq9_raw([2] * 7 + [0, 0])
    )  # 14: +6 from 8
    assert list(Flag.objects.values_list("urgent", flat=True)) == [False]
    assert "5 points" in Flag.objects.get().message["en"]


def test_a_clinician_adds_and_moves_a_send(enrolled):
    send = services.send_add(
        actor=enrolled.clinician,
        enrolment=enrolled.enrolment,
        instrument_code="gad7",
        due_on=dt.date.today() + dt.timedelta(days=3),
    )
    services.send_move(actor=enrolled.clinician, send=send, due_on=dt.date.today())
    send.refresh_from_db()
    assert send.due_on == dt.date.today() and send.moved_by == enrolled.clinician
    with pytest.raises(PermissionDenied):
        services.send_add(
            actor=enrolled.outsider, enrolment=enrolled.enrolment, instrument_code="gad7", due_on=dt.date.today()
        )


def test_an_answered_send_cannot_be_moved(enrolled):
    response = _start(enrolled)
    services.response_submit(actor=enrolled.patient.user, client_token=response.client_token, raw=phq9_raw([0] * 9))
    with pytest.raises(ValidationError):
        services.send_move(actor=enrolled.clinician, send=enrolled.send, due_on=dt.date.today())


def test_schedules():
    start = dt.date(2026, 1, 5)
    planned = sends_at_start(
        {"at_start": True, "weekly": True, "before_each_module": True}, start=start, module_count=3, interval_days=7
    )
    assert (start, "start") in planned and (start + dt.timedelta(days=7), "module") in planned
    assert (start + dt.timedelta(weeks=3), "weekly") in planned
    assert sends_at_end({"at_end": True, "follow_up_weeks": 12}, end=start) == [
        (start, "end"),
        (start + dt.timedelta(weeks=12), "follow_up"),
    ]


def test_ending_a_completed_enrolment_schedules_end_and_follow_up_sends(enrolled):
    from fyren.care.services import enrolment_end

    enrolment_end(actor=enrolled.clinician, enrolment=enrolled.enrolment, completed=True)
    today = dt.date.today()
    planned = set(enrolled.enrolment.sends.filter(reason__in=["end", "follow_up"]).values_list("reason", "due_on"))
    assert planned == {("end", today), ("follow_up", today + dt.timedelta(weeks=12))}
    with pytest.raises(ValidationError):
        enrolment_end(actor=enrolled.clinician, enrolment=enrolled.enrolment, completed=True)
    with pytest.raises(PermissionDenied):
        enrolment_end(actor=enrolled.outsider, enrolment=enrolled.enrolment, completed=True)


def test_opening_a_module_schedules_the_before_module_sends(enrolled):
    from fyren.questionnaires.services import sends_for_module_opened

    created = sends_for_module_opened(enrolment=enrolled.enrolment, on=dt.date.today())
    assert [(s.reason, s.instrument_code) for s in created] == [("module", "phq9")]


def test_discontinuing_needs_a_reason(enrolled):
    from fyren.care.services import enrolment_end

    with pytest.raises(ValidationError):
        enrolment_end(actor=enrolled.clinician, enrolment=enrolled.enrolment, completed=False)
    assert (
        enrolment_end(
            actor=enrolled.clinician, enrolment=enrolled.enrolment, completed=False, reason="Moved abroad"
        ).status
        == "discontinued"
    )

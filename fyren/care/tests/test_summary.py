"""The enrolment's kept summary (``care.summary``) equals a recomputation from the
rows themselves after every kind of event that changes what it summarises."""

import datetime as dt
import uuid

import pytest
from django.core.management import call_command
from django.utils import timezone

from fyren.care import journey_services
from fyren.care.models import DiaryEntry, ElementAnswer, Enrolment, ModuleProgress
from fyren.care.services import enrolment_end, exercise_feedback_give
from fyren.care.summary import inactive_enrolments, summaries_refresh_all
from fyren.clinic.periodic import flags_raise_due
from fyren.flags import services as flag_services
from fyren.flags.models import Flag
from fyren.messaging import services as messaging
from fyren.messaging.models import Message
from fyren.programs.models import Module, ProgramVersion
from fyren.questionnaires import services as questionnaires
from fyren.questionnaires.models import Response

from .test_journey import journey  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
KEPT = ("last_activity_at", "open_flags", "urgent_flags", "unread_messages", "module_number", "module_count")


def recomputed(enrolment) -> dict:
    """What the summary should say, worked out in Python from the rows, independently of ``care.summary``."""
    e = Enrolment.objects.get(pk=enrolment.pk)
    times = [e.started_at]
    times += ElementAnswer.objects.filter(enrolment=e).values_list("updated_at", flat=True)
    times += DiaryEntry.objects.filter(enrolment=e).values_list("created_at", flat=True)
    times += Response.objects.filter(enrolment=e, status="completed").values_list("submitted_at", flat=True)
    times += [t for t in ModuleProgress.objects.filter(enrolment=e).values_list("completed_at", flat=True) if t]
    sent = Message.objects.filter(thread__enrolment=e, from_citizen=True, status="sent")
    times += sent.values_list("sent_at", flat=True)
    flags = [f for f in Flag.objects.filter(enrolment=e) if f.acknowledged_at is None]
    keys = [m.key for m in sorted(Module.objects.filter(version=e.program_version), key=lambda m: (m.position, m.pk))]
    done = {p.module_key for p in ModuleProgress.objects.filter(enrolment=e) if p.completed_at}
    number = next((n for n, key in enumerate(keys, start=1) if key not in done), len(keys))
    return {
        "last_activity_at": max(times),
        "open_flags": len(flags),
        "urgent_flags": sum(f.urgent for f in flags),
        "unread_messages": sum(m.read_at is None for m in sent),
        "module_number": number,
        "module_count": len(keys),
    }


def kept(enrolment) -> dict:
    return Enrolment.objects.values(*KEPT).get(pk=enrolment.pk)


def test_the_kept_summary_equals_a_recomputation_after_every_kind_of_event(journey, make):  # noqa: F811
    e, citizen, clinician = journey.enrolment, journey.patient.user, journey.clinician
    seen = []

    def check(event):
        assert kept(e) == recomputed(e), event
        seen.append(kept(e))

    check("start")
    assert kept(e)["module_number"] == 1 and kept(e)["module_count"] == 2
    journey_services.element_answer_save(
        actor=citizen, enrolment=e, element=journey.sheet, raw={"fields": {"goal": "Sova"}}
    )
    check("worksheet draft")
    journey_services.element_answer_save(
        actor=citizen, enrolment=e, element=journey.sheet, raw={"fields": {"goal": "Sova"}}, send=True
    )
    check("worksheet sent")
    exercise_feedback_give(actor=clinician, answer=ElementAnswer.objects.get(enrolment=e), text="Bra!")
    check("feedback (not the citizen's activity)")
    journey_services.element_answer_save(actor=citizen, enrolment=e, element=journey.measurement, raw={"value": "7"})
    check("measurement")
    entry = journey_services.diary_entry_add(
        actor=citizen,
        enrolment=e,
        element=journey.diary,
        day=timezone.localdate(),
        raw={"hours": "6", "bed": "23:00"},
        client_token=uuid.uuid4(),
    )
    check("diary entry")
    journey_services.diary_entry_update(actor=citizen, entry=entry, element=journey.diary, raw={"hours": "7"})
    check("diary entry changed")

    response = questionnaires.response_start(
        actor=citizen, citizen=journey.patient, instrument_code="phq9", language="sv", enrolment=e
    )
    questionnaires.response_submit(
        actor=citizen,
        client_token=response.client_token,
        raw={str(n): "1" for n in range(1, 11)},  # item 9 above 0: an urgent flag
    )
    check("questionnaire with an urgent alert")
    assert kept(e)["urgent_flags"] == 1

    thread = messaging.thread_for_enrolment(e)
    messaging.message_send(actor=citizen, thread=thread, body="Hej, jag sover dåligt", from_citizen=True)
    check("message from the citizen")
    messaging.message_send(actor=citizen, thread=thread, body="I have suicidal thoughts", from_citizen=True)
    check("urgent message")
    assert kept(e)["unread_messages"] == 2 and kept(e)["urgent_flags"] == 2
    messaging.thread_mark_read(actor=clinician, thread=thread, from_citizen=False)
    check("the team read them")
    messaging.message_send(actor=citizen, thread=thread, body="En sak till", from_citizen=True)
    messaging.message_send(actor=clinician, thread=thread, body="Vi hörs", from_citizen=False)
    check("the team answered")
    messaging.message_send(actor=citizen, thread=thread, body="Tack", from_citizen=True)
    messaging.thread_mark_handled(actor=clinician, thread=thread)
    check("marked as needing no answer")

    flag = flag_services.flag_raise(
        kind=Flag.Kind.INACTIVITY,
        citizen=journey.patient,
        unit=journey.unit,
        enrolment=e,
        source_id="x",
        source_type="t",
    )
    check("flag raised")
    flag_services.flag_raise(
        kind=Flag.Kind.INACTIVITY,
        citizen=journey.patient,
        unit=journey.unit,
        enrolment=e,
        source_id="x",
        source_type="t",
    )
    check("the same flag raised again")
    flag_services.flag_acknowledge(actor=clinician, flag=flag, note="Ringde")
    check("flag acknowledged")
    flag_services.flag_raise(
        kind=Flag.Kind.OVERDUE, citizen=journey.patient, unit=journey.unit, enrolment=e, source_id="y", source_type="s"
    )
    flag_services.flags_settle(kind=Flag.Kind.OVERDUE, source_type="s", source_id="y", note="Besvarad")
    check("flag settled")
    for urgent in Flag.objects.filter(enrolment=e, acknowledged_at__isnull=True):
        flag_services.flag_acknowledge(actor=clinician, flag=urgent, note="Ringde upp")
    check("urgent flags acknowledged")
    assert kept(e)["open_flags"] == kept(e)["urgent_flags"] == 0

    Enrolment.objects.filter(pk=e.pk).update(
        last_activity_at=timezone.now() - dt.timedelta(days=30)
    )  # as if long ago, then recomputed
    summaries_refresh_all(Enrolment.objects.filter(pk=e.pk))
    check("refreshed")
    flags_raise_due(now=timezone.now() + dt.timedelta(days=60))
    check("inactivity flags from time passing")

    journey_services.module_complete(actor=citizen, enrolment=e, module_key=journey.modules[0].key)
    check("module 1 done")
    assert kept(e)["module_number"] == 2
    journey_services.module_complete(actor=citizen, enrolment=e, module_key=journey.modules[1].key)
    check("module 2 done")
    assert kept(e)["module_number"] == 2

    enrolment_end(actor=clinician, enrolment=e, completed=True)
    check("ended")
    Enrolment.objects.filter(pk=e.pk).update(ended_at=timezone.now() - dt.timedelta(days=10 * 365))
    call_command("apply_retention")
    check("the citizen's work removed under the retention rule")
    assert len({str(s) for s in seen}) > 10  # the events did change the summary


def test_inactive_enrolments_are_selected_on_the_kept_column_per_programs_days(journey):  # noqa: F811
    e = journey.enrolment
    now = timezone.now()
    ProgramVersion.objects.filter(pk=e.program_version_id).update(inactivity_days=7)
    Enrolment.objects.filter(pk=e.pk).update(last_activity_at=now - dt.timedelta(days=6, hours=23))
    assert list(inactive_enrolments(now)) == []
    Enrolment.objects.filter(pk=e.pk).update(last_activity_at=now - dt.timedelta(days=7))
    assert list(inactive_enrolments(now)) == [e]
    ProgramVersion.objects.filter(pk=e.program_version_id).update(inactivity_days=30)
    assert list(inactive_enrolments(now)) == []
    ProgramVersion.objects.filter(pk=e.program_version_id).update(inactivity_days=0)  # the program sets none
    Enrolment.objects.filter(pk=e.pk).update(last_activity_at=now - dt.timedelta(days=400))
    assert list(inactive_enrolments(now)) == []

"""Demo care: care relations, how Hamnen names clinicians for self-enrolments,
and Sara's enrolment in the worry program with a short conversation."""

import datetime as dt

from django.utils import timezone

from fyren.accounts.models import User
from fyren.care.models import CareRelation, Enrolment, SelfEnrolmentPolicy
from fyren.care.services import enrolment_start
from fyren.messaging.services import message_send, thread_for_enrolment
from fyren.programs.models import ProgramVersion


def load_care(people: dict) -> int:
    citizens, units = people["citizens"], people["units"]
    for key, unit_index in [("sara", 0), ("omar", 0), ("elsa", 1), ("gunnar", 1), ("karin", 3)]:
        if not CareRelation.objects.filter(citizen=citizens[key], unit=units[unit_index]).exists():
            CareRelation.objects.create(citizen=citizens[key], unit=units[unit_index], reason="Demo")
    # Hamnen gives self-enrolled citizens a clinician in turn; Fyrbacken leaves it
    # to its enrolment admin (the default: two working days, a flag until done).
    SelfEnrolmentPolicy.objects.get_or_create(unit=units[0], defaults={"rule": SelfEnrolmentPolicy.Rule.ROUND_ROBIN})
    enrolled = _enrol_demo_patient(citizens["sara"], units[0])
    return enrolled + _enrol_inactive_patient(citizens["omar"], units[0])


def _start_worry_program(citizen, unit, username: str, assessment: dict, today=None):
    """The worry program started for ``citizen`` by ``username``, unless the
    citizen already has an enrolment (loading again adds nothing)."""
    if Enrolment.objects.filter(citizen=citizen).exists():
        return None
    version = ProgramVersion.objects.filter(
        program__owner=unit.region, status=ProgramVersion.Status.PUBLISHED, title__sv="Oro – KBT via internet"
    ).first()
    if version is None:
        return None
    return enrolment_start(
        actor=User.objects.get(username=username),
        citizen=citizen,
        program_version=version,
        unit=unit,
        assessment=assessment,
        today=today,
    )


def _enrol_inactive_patient(citizen, unit) -> int:
    """Omar started the worry program ten days ago and has done nothing since:
    past the program's seven days, so the scheduler's hourly flag run gives
    Hamnen an inactivity flag soon after `make run` starts."""
    enrolment = _start_worry_program(
        citizen,
        unit,
        "johan.ek",
        {
            "indication": "Generalized anxiety, moderate",
            "risk_considered": True,
            "reason": "Prefers to work in English at his own pace",
        },
        today=timezone.localdate() - dt.timedelta(days=10),
    )
    if enrolment is None:
        return 0
    Enrolment.objects.filter(pk=enrolment.pk).update(started_at=timezone.now() - dt.timedelta(days=10))
    return 1


def _enrol_demo_patient(citizen, unit) -> int:
    """Sara starts the worry program at Hamnen with Anna Lind, so a GAD-7 is due."""
    enrolment = _start_worry_program(
        citizen,
        unit,
        "anna.lind",
        {
            "indication": "Generaliserat ångestsyndrom, måttlig oro",
            "risk_considered": True,
            "reason": "Motiverad, vill arbeta självständigt; passar internetbaserad KBT",
            "risk_note": "Ingen suicidrisk vid bedömning",
        },
    )
    if enrolment is None:
        return 0
    # A conversation: Anna's welcome, and a question from Sara waiting in the unit's inbox.
    thread = thread_for_enrolment(enrolment)
    message_send(
        actor=enrolment.started_by,
        thread=thread,
        from_citizen=False,
        body="Hej Sara! Välkommen till programmet. Börja med modul 1 när det passar dig. Hälsningar Anna",
    )
    message_send(
        actor=citizen.user,
        thread=thread,
        from_citizen=True,
        body="Hej! Jag hinner inte riktigt med övningarna den här veckan. Går det bra att ta det lite lugnare?",
    )
    return 1

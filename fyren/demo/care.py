"""Demo care: care relations, how Hamnen names clinicians for self-enrolments,
Sara's enrolment in the worry program with a short conversation, and Amira's
and Gunnar's in the sleep program, which they follow in Arabic and in
easy-to-read Swedish (#19)."""

import datetime as dt
import uuid

from django.conf import settings
from django.utils import timezone, translation

from fyren.accounts.models import User
from fyren.care.journey import plan_for
from fyren.care.journey_services import diary_entry_add, enrolment_language_choose
from fyren.care.models import CareRelation, Enrolment, SelfEnrolmentPolicy
from fyren.care.services import enrolment_start
from fyren.messaging.services import message_send, thread_for_enrolment
from fyren.programs.models import ProgramVersion


def load_care(people: dict) -> int:
    citizens, units = people["citizens"], people["units"]
    for key, unit_index in [("sara", 0), ("omar", 0), ("elsa", 1), ("gunnar", 1), ("karin", 3), ("amira", 0)]:
        if not CareRelation.objects.filter(citizen=citizens[key], unit=units[unit_index]).exists():
            CareRelation.objects.create(citizen=citizens[key], unit=units[unit_index], reason="Demo")
    # Hamnen gives self-enrolled citizens a clinician in turn; Fyrbacken leaves it
    # to its enrolment admin (the default: two working days, a flag until done).
    SelfEnrolmentPolicy.objects.get_or_create(unit=units[0], defaults={"rule": SelfEnrolmentPolicy.Rule.ROUND_ROBIN})
    enrolled = _enrol_demo_patient(citizens["sara"], units[0])
    enrolled += _enrol_arabic_patient(citizens["amira"], units[0])
    enrolled += _enrol_easy_reader(citizens["gunnar"], units[1])
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


def _sleep_program_started(citizen, unit, reason: str, language: str, clinician: str = "anna.lind"):
    """The sleep program started for ``citizen`` at ``unit`` and read in
    ``language``, unless the citizen already has an enrolment."""
    if Enrolment.objects.filter(citizen=citizen).exists():
        return None
    version = ProgramVersion.objects.filter(
        program__owner=unit.region,
        status=ProgramVersion.Status.PUBLISHED,
        title__sv="Sömnskolan – bättre sömn på egen hand",
    ).first()
    if version is None:
        return None
    enrolment = enrolment_start(
        actor=User.objects.get(username=clinician),
        citizen=citizen,
        program_version=version,
        unit=unit,
        assessment={"indication": "Sömnbesvär, lätt insomni", "risk_considered": True, "reason": reason},
    )
    enrolment_language_choose(actor=citizen.user, enrolment=enrolment, language=language)
    return enrolment


def _diary_night(citizen, enrolment, raw: dict) -> None:
    diary = next(e for e in plan_for(enrolment).tree.elements() if e.kind == "diary")
    diary_entry_add(
        actor=citizen.user,
        enrolment=enrolment,
        element=diary,
        day=timezone.localdate(),
        raw=raw,
        client_token=uuid.uuid4(),
    )


def _enrol_arabic_patient(citizen, unit) -> int:
    """Amira follows the sleep program in Arabic at Hamnen: a night in her sleep
    diary and a question to the team, each kept with its language."""
    enrolment = _sleep_program_started(citizen, unit, "Vill arbeta på arabiska i egen takt", "ar")
    if enrolment is None:
        return 0
    with translation.override("ar"):
        _diary_night(
            citizen,
            enrolment,
            {"bedtime": "23:30", "waketime": "05:00", "hours": "4", "awakenings": "3", "quality": "2"},
        )
        message_send(
            actor=citizen.user,
            thread=thread_for_enrolment(enrolment),
            from_citizen=True,
            body="مرحبا، أستيقظ كل ليلة في الساعة الثالثة ولا أستطيع العودة إلى النوم. هل هذا طبيعي؟",
        )
    return 1


def _enrol_easy_reader(citizen, unit) -> int:
    """Gunnar seldom uses a computer: he reads the sleep program in easy-to-read
    Swedish at Fyrbacken, with larger text, and has filled in one night of his
    diary (Britt, his proxy, can follow it too)."""
    enrolment = _sleep_program_started(
        citizen, unit, "Vill ha texten enkel och stor", settings.FYREN_EASY_SWEDISH, clinician="eva.falk"
    )
    if enrolment is None:
        return 0
    User.objects.filter(pk=citizen.user_id).update(text_size=User.TextSize.LARGE)
    _diary_night(
        citizen, enrolment, {"bedtime": "22:00", "waketime": "04:30", "hours": "5", "awakenings": "2", "quality": "3"}
    )
    return 1

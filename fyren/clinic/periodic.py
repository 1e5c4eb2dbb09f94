"""Flags that come from time passing rather than from something a citizen did.
Run by ``manage.py raise_flags`` (hourly). Each source raises one flag only."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fyren.booking.guarantee_services import guarantee_flags_raise
from fyren.care.models import Enrolment
from fyren.care.summary import inactive_enrolments
from fyren.careplans.flagging import fixed_contact_flags_raise
from fyren.episodes.flagging import lead_time_flags_raise
from fyren.flags.models import Flag
from fyren.flags.services import flag_raise
from fyren.messaging.models import Thread
from fyren.questionnaires.models import ScheduledSend

# A questionnaire counts as overdue this many days after its due date.
OVERDUE_AFTER_DAYS = 3


def flags_raise_due(*, now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts = {"inactivity": 0, "overdue": 0, "unanswered": 0, "lead_time": 0, "fixed_contact": 0, "guarantee": 0}

    for enrolment in inactive_enrolments(now).select_related("citizen", "unit").iterator():
        last = enrolment.last_activity_at or enrolment.started_at
        flag = flag_raise(
            kind=Flag.Kind.INACTIVITY,
            citizen=enrolment.citizen,
            unit=enrolment.unit,
            enrolment=enrolment,
            message={
                "sv": f"Ingen aktivitet sedan {timezone.localtime(last):%Y-%m-%d}.",
                "en": f"No activity since {timezone.localtime(last):%Y-%m-%d}.",
            },
            source_type="inactivity",
            source_id=f"{enrolment.pk}:{last.isoformat()}"[:40],
        )
        counts["inactivity"] += flag.was_created

    overdue_before = timezone.localdate(now) - dt.timedelta(days=OVERDUE_AFTER_DAYS)
    sends = ScheduledSend.objects.filter(
        completed_at__isnull=True, due_on__lt=overdue_before, enrolment__status__in=Enrolment.OPEN_STATUSES
    ).select_related("enrolment__citizen", "enrolment__unit")
    for send in sends.iterator():
        flag = flag_raise(
            kind=Flag.Kind.OVERDUE,
            citizen=send.enrolment.citizen,
            unit=send.enrolment.unit,
            enrolment=send.enrolment,
            message={
                "sv": f"{send.instrument_code.upper()} skulle besvaras {send.due_on:%Y-%m-%d}.",
                "en": f"{send.instrument_code.upper()} was due {send.due_on:%Y-%m-%d}.",
            },
            source_type="send",
            source_id=f"{send.pk}:{send.due_on.isoformat()}",
        )
        counts["overdue"] += flag.was_created

    threads = Thread.objects.waiting().select_related("citizen", "unit", "enrolment")
    for thread in threads.iterator():
        if now - thread.waiting_since < dt.timedelta(hours=thread.unit.answer_within_hours):
            continue
        flag = flag_raise(
            kind=Flag.Kind.UNANSWERED,
            citizen=thread.citizen,
            unit=thread.unit,
            enrolment=thread.enrolment,
            message={
                "sv": f"Meddelande obesvarat sedan {timezone.localtime(thread.waiting_since):%Y-%m-%d %H:%M}.",
                "en": f"Message unanswered since {timezone.localtime(thread.waiting_since):%Y-%m-%d %H:%M}.",
            },
            source_type="thread",
            source_id=f"{thread.pk}:{thread.waiting_since.timestamp():.0f}",
        )
        counts["unanswered"] += flag.was_created

    counts["lead_time"] = lead_time_flags_raise(today=timezone.localdate(now))
    counts["fixed_contact"] = fixed_contact_flags_raise()
    counts["guarantee"] = guarantee_flags_raise(today=timezone.localdate(now))
    return counts

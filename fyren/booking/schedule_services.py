"""Writes on the unit's times: schedules, weekly templates published into
slots at wall-clock times across daylight saving, one-off slots and blocked
periods. The unit's clinicians and enrolment admins may."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.accounts.permissions import has_role
from fyren.accounts.roles import Role
from fyren.audit.services import audit_event_write
from fyren.lib.text import typed_text

from .access import staff_role
from .models import Audience, Booking, Schedule, Slot, VisitKind, WeeklyTemplate

# How far ahead a template may publish in one go.
MAX_PUBLISH_DAYS = 366


def schedule_save(*, actor, unit, kind: str, title: str, clinician=None) -> Schedule:
    """A schedule of the unit: a clinician's, any clinician with a title, or a room's."""
    title = typed_text(title, limit=200, field="title").strip()
    if kind not in Schedule.Kind.values:
        raise ValidationError({"kind": _("Choose what the times are booked with.")})
    if kind == Schedule.Kind.CLINICIAN:
        if clinician is None or not has_role(clinician, Role.CLINICIAN, unit):
            raise ValidationError({"clinician": _("Choose a clinician of the unit.")})
        title = title or clinician.get_full_name()
    else:
        clinician = None
    if not title:
        raise ValidationError({"title": _("Give the schedule a name.")})
    with transaction.atomic():
        staff_role(actor, unit)
        schedule = Schedule.objects.create(unit=unit, kind=kind, title=title, clinician=clinician, created_by=actor)
        audit_event_write(actor=actor, action="schedule.create", obj=schedule, unit=unit, data={"kind": kind})
    return schedule


def _local(day: dt.date, at: dt.time) -> dt.datetime:
    """A wall-clock time in Stockholm on a day, right across daylight saving."""
    return timezone.make_aware(dt.datetime.combine(day, at))


def template_save(
    *,
    actor,
    schedule: Schedule,
    weekday: int,
    starts: dt.time,
    ends: dt.time,
    minutes: int,
    visit_kind: str,
    audience: str,
    valid_from: dt.date,
    valid_to: dt.date,
    reasons: Sequence[str] = (),
    program=None,
) -> WeeklyTemplate:
    """Weekly times for a schedule; ``slots_publish`` makes the bookable slots."""
    errors = {}
    if not 0 <= int(weekday) <= 6:
        errors["weekday"] = _("Choose a weekday.")
    if ends <= starts:
        errors["ends"] = _("The times must end after they start.")
    if not 5 <= int(minutes) <= 480:
        errors["minutes"] = _("A time lasts from 5 minutes to 8 hours.")
    if visit_kind not in VisitKind.values:
        errors["visit_kind"] = _("Choose the kind of visit.")
    if audience not in Audience.values:
        errors["audience"] = _("Choose who may book.")
    if audience == Audience.PROGRAM and program is None:
        errors["program"] = _("Choose the program whose citizens may book.")
    if valid_to < valid_from or (valid_to - valid_from).days > MAX_PUBLISH_DAYS:
        errors["valid_to"] = _("The last day comes after the first, within a year.")
    if errors:
        raise ValidationError(errors)
    cleaned = [typed_text(r, limit=100).strip() for r in reasons if str(r).strip()]
    with transaction.atomic():
        staff_role(actor, schedule.unit)
        template = WeeklyTemplate.objects.create(
            schedule=schedule,
            weekday=weekday,
            starts=starts,
            ends=ends,
            minutes=minutes,
            visit_kind=visit_kind,
            audience=audience,
            program=program if audience == Audience.PROGRAM else None,
            valid_from=valid_from,
            valid_to=valid_to,
            reasons=cleaned,
            created_by=actor,
        )
        audit_event_write(actor=actor, action="schedule.template", obj=template, unit=schedule.unit)
    return template


def template_times(template: WeeklyTemplate) -> list[tuple[dt.datetime, dt.datetime]]:
    """The (start, end) of every time the template describes, as aware datetimes (pure)."""
    times = []
    day = template.valid_from + dt.timedelta(days=(template.weekday - template.valid_from.weekday()) % 7)
    length = dt.timedelta(minutes=template.minutes)
    while day <= template.valid_to:
        # Wall-clock times: 08:00 stays 08:00 on both sides of a daylight-saving change.
        cursor, last = dt.datetime.combine(day, template.starts), dt.datetime.combine(day, template.ends)
        while cursor + length <= last:
            times.append((timezone.make_aware(cursor), timezone.make_aware(cursor + length)))
            cursor += length
        day += dt.timedelta(days=7)
    return times


def slots_publish(*, actor, template: WeeklyTemplate, now: dt.datetime | None = None) -> int:
    """Make the template's slots from now on (those already there are kept as
    they are); returns how many were made."""
    now = now or timezone.now()
    with transaction.atomic():
        staff_role(actor, template.schedule.unit)
        existing = set(
            Slot.objects.filter(schedule=template.schedule, starts_at__gte=now).values_list("starts_at", flat=True)
        )
        made = Slot.objects.bulk_create(
            Slot(
                schedule=template.schedule,
                template=template,
                starts_at=start,
                ends_at=end,
                visit_kind=template.visit_kind,
                reasons=template.reasons,
                audience=template.audience,
                program=template.program,
            )
            for start, end in template_times(template)
            if start > now and start not in existing
        )
        audit_event_write(
            actor=actor, action="schedule.publish", obj=template, unit=template.schedule.unit, data={"slots": len(made)}
        )
    return len(made)


def slot_add(
    *, actor, schedule: Schedule, starts_at: dt.datetime, minutes: int, visit_kind: str, audience: str, reasons=()
) -> Slot:
    """One time outside any template."""
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("A time must lie in the future.")})
    if not 5 <= int(minutes) <= 480:
        raise ValidationError({"minutes": _("A time lasts from 5 minutes to 8 hours.")})
    if visit_kind not in VisitKind.values or audience not in Audience.values or audience == Audience.PROGRAM:
        raise ValidationError(_("Choose the kind of visit and who may book."))
    try:
        with transaction.atomic():
            staff_role(actor, schedule.unit)
            slot = Slot.objects.create(
                schedule=schedule,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(minutes=int(minutes)),
                visit_kind=visit_kind,
                audience=audience,
                reasons=[typed_text(r, limit=100).strip() for r in reasons if str(r).strip()],
            )
            audit_event_write(actor=actor, action="schedule.slot", obj=slot, unit=schedule.unit)
    except IntegrityError:
        raise ValidationError({"starts_at": _("The schedule already has a time then.")}) from None
    return slot


def period_block(*, actor, schedule: Schedule, starts_at: dt.datetime, ends_at: dt.datetime, reason: str) -> list:
    """Block the schedule's times in a period (absence, a meeting): they cannot
    be booked. Returns the current bookings on them, to be moved."""
    reason = typed_text(reason, limit=200, field="reason").strip()
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The period must end after it starts.")})
    if not reason:
        raise ValidationError({"reason": _("Say why the times are blocked.")})
    with transaction.atomic():
        staff_role(actor, schedule.unit)
        slots = Slot.objects.filter(schedule=schedule, starts_at__lt=ends_at, ends_at__gt=starts_at)
        slots.update(blocked=True, blocked_reason=reason)
        touched = list(
            Booking.objects.filter(slot__in=slots, status__in=Booking.CURRENT).select_related("citizen", "slot")
        )
        audit_event_write(
            actor=actor,
            action="schedule.block",
            obj=schedule,
            unit=schedule.unit,
            data={
                "from": starts_at.isoformat(),
                "until": ends_at.isoformat(),
                "reason": reason,
                "bookings": len(touched),
            },
        )
    return touched

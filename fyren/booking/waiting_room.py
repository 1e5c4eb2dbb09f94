"""Video visits and the virtual waiting room: the visit's state (coming,
check-in open, waiting, let in), the video link given only once she is let in,
and what the clinician does (let in, the next in a shared queue, running late,
the outcome)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.accounts.permissions import has_role
from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry
from fyren.audit.services import audit_event_write
from fyren.messaging.services import message_send, thread_for_subject

from .access import citizen_side, log_access
from .guarantee_services import guarantee_from_visit
from .models import Booking, Schedule
from .selectors import queue_window


def _link_window(booking: Booking) -> tuple[dt.datetime, dt.datetime]:
    before = dt.timedelta(minutes=settings.FYREN_VIDEO_LINK_MINUTES_BEFORE)
    return booking.slot.starts_at - before, booking.slot.ends_at


def video_link(booking: Booking, *, now: dt.datetime | None = None) -> str | None:
    """The meeting address of a video visit, only inside its window (from the set
    minutes before the start to the end) and only while the visit stands."""
    now = now or timezone.now()
    opens, closes = _link_window(booking)
    if not booking.video_room or booking.status not in (Booking.Status.BOOKED, Booking.Status.ARRIVED):
        return None
    if not opens <= now <= closes:
        return None
    return str(settings.FYREN_VIDEO_URL_TEMPLATE).format(room=booking.video_room)


class VisitState:
    """Where a visit stands for the citizen; the visit page and the clinician's
    waiting room say the same thing from it (decisions.md #88):
    the citizen checks in and waits to be let in, and only then is the video
    meeting's link given to her."""

    COMING = "coming"  # booked; check-in opens shortly before the start
    CHECK_IN = "check_in"  # check-in is open
    WAITING = "waiting"  # checked in, waiting to be let in
    LET_IN = "let_in"  # the clinician has let her in: the video link is hers
    MISSED = "missed"  # booked, never checked in, and the visit's time is over
    ENDED = "ended"  # held, not come, cancelled, declined, moved, or only offered


def visit_state(booking: Booking, *, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    opens, closes = _link_window(booking)
    if booking.status == Booking.Status.ARRIVED:
        return VisitState.LET_IN if booking.admitted_at else VisitState.WAITING
    if booking.status != Booking.Status.BOOKED:
        return VisitState.ENDED
    if now < opens:
        return VisitState.COMING
    return VisitState.CHECK_IN if now <= closes else VisitState.MISSED


def let_in_video_link(booking: Booking, *, now: dt.datetime | None = None) -> str | None:
    """The meeting address once the patient has been let in: the same for her
    visit page and the clinician's waiting room; before that, None."""
    if visit_state(booking, now=now) != VisitState.LET_IN:
        return None
    return video_link(booking, now=now)


def may_check_in(booking: Booking, *, now: dt.datetime | None = None) -> bool:
    return visit_state(booking, now=now) == VisitState.CHECK_IN


def check_in(*, actor, booking: Booking, now: dt.datetime | None = None) -> Booking:
    """The citizen tells the unit they are here (or in front of the screen), from
    the set minutes before the start; they then wait in the unit's waiting room."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("citizen", "unit", "slot").get(pk=booking.pk)
        citizen_side(actor, booking.citizen)
        if booking.status == Booking.Status.ARRIVED:
            return booking
        if not may_check_in(booking, now=now):
            raise ValidationError(
                _("You can check in from %(n)d minutes before the visit.")
                % {"n": settings.FYREN_VIDEO_LINK_MINUTES_BEFORE}
            )
        booking.status, booking.checked_in_at = Booking.Status.ARRIVED, now
        booking.save(update_fields=["status", "checked_in_at"])
        audit_event_write(actor=actor, action="booking.check_in", obj=booking, unit=booking.unit)
    return booking


def _clinician_on(actor, booking: Booking) -> None:
    if not has_role(actor, Role.CLINICIAN, booking.unit):
        raise PermissionDenied


def admit(*, actor, booking: Booking) -> Booking:
    """A clinician takes a checked-in patient from the waiting room (then opens the video link)."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("citizen", "unit", "slot").get(pk=booking.pk)
        _clinician_on(actor, booking)
        if booking.status != Booking.Status.ARRIVED:
            raise ValidationError(_("The patient has not checked in."))
        if booking.admitted_at is None:
            booking.admitted_at, booking.admitted_by = timezone.now(), actor
            booking.save(update_fields=["admitted_at", "admitted_by"])
            log_access(actor, booking, AccessLogEntry.Action.CHANGE, Role.CLINICIAN)
    return booking


def admit_next(*, actor, schedule: Schedule) -> Booking | None:
    """A clinician takes the next patient of a queue: the first to have checked in
    among today's visits not yet admitted. Two clinicians pressing at the same
    instant get two different patients (the taking is a conditional update).
    A clinician's own queue is theirs alone. None when no one waits."""
    if not has_role(actor, Role.CLINICIAN, schedule.unit):
        raise PermissionDenied
    if schedule.kind == Schedule.Kind.CLINICIAN and schedule.clinician_id != actor.pk:
        raise PermissionDenied
    begin, end = queue_window(timezone.now())
    waiting = Booking.objects.filter(
        slot__schedule=schedule,
        slot__starts_at__gte=begin,
        slot__starts_at__lt=end,
        status=Booking.Status.ARRIVED,
        admitted_at__isnull=True,
    ).order_by("checked_in_at", "slot__starts_at", "pk")
    for candidate in waiting.values_list("pk", flat=True)[:20]:
        with transaction.atomic():
            taken = Booking.objects.filter(pk=candidate, admitted_at__isnull=True, status=Booking.Status.ARRIVED)
            if taken.update(admitted_at=timezone.now(), admitted_by=actor):
                booking = Booking.objects.select_related("citizen", "unit", "slot__schedule").get(pk=candidate)
                log_access(actor, booking, AccessLogEntry.Action.CHANGE, Role.CLINICIAN)
                return booking
    return None


def running_late(*, actor, booking: Booking, minutes: int) -> Booking:
    """Tell the waiting patient, in Fyren, that the clinician runs about N minutes late."""
    if not 1 <= int(minutes) <= 120:
        raise ValidationError({"minutes": _("Give 1 to 120 minutes.")})
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("citizen", "unit", "slot").get(pk=booking.pk)
        _clinician_on(actor, booking)
        if booking.status not in (Booking.Status.BOOKED, Booking.Status.ARRIVED):
            raise ValidationError(_("The visit is not waiting."))
        thread = thread_for_subject(citizen=booking.citizen, unit=booking.unit, subject=_("Your visit"))
        when = timezone.localtime(booking.slot.starts_at).strftime("%H:%M")
        message_send(
            actor=actor,
            thread=thread,
            body=_("Your visit at %(when)s starts about %(n)d minutes late. Please stay in the waiting room.")
            % {"when": when, "n": int(minutes)},
            from_citizen=False,
        )
        booking.late_notice_at = timezone.now()
        booking.save(update_fields=["late_notice_at"])
        log_access(actor, booking, AccessLogEntry.Action.CHANGE, Role.CLINICIAN)
    return booking


def visit_outcome(*, actor, booking: Booking, held: bool) -> Booking:
    """Mark a visit held, or the patient as not having come (only once it has started)."""
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update().select_related("citizen", "unit", "slot__schedule").get(pk=booking.pk)
        )
        _clinician_on(actor, booking)
        if booking.status not in (Booking.Status.BOOKED, Booking.Status.ARRIVED):
            raise ValidationError(_("The visit is already marked."))
        if not held and booking.slot.starts_at > timezone.now():
            raise ValidationError(_("A patient can be marked as not come only once the visit has started."))
        booking.status = Booking.Status.HELD if held else Booking.Status.NO_SHOW
        if held:  # the schedule's own clinician held it; a shared schedule's visit, whoever marks it
            schedule = booking.slot.schedule
            booking.held_by = schedule.clinician if schedule.kind == schedule.Kind.CLINICIAN else actor
        booking.save(update_fields=["status", "held_by"])
        if held:
            guarantee_from_visit(booking=booking, actor=actor)
        log_access(actor, booking, AccessLogEntry.Action.CHANGE, Role.CLINICIAN)
        audit_event_write(actor=actor, action="booking.outcome", obj=booking, unit=booking.unit, data={"held": held})
    return booking

"""Writes on booking. Publishing times is the unit's (its clinicians and
enrolment admins); offering and booking on behalf is staff's; the citizen (or
their guardian or proxy) accepts, declines, books where web booking is open,
rebooks and cancels up to the unit's deadline. A time is never held by two
bookings: the database refuses it (``one_holding_booking_per_slot``), also when
two people take it at the same instant."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.accounts.permissions import care_role, has_role, manages_unit_settings
from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry
from fyren.audit.services import access_log_write, audit_event_write
from fyren.care.models import CareRelation, Enrolment
from fyren.lib.text import typed_text
from fyren.messaging.services import may_write_as_citizen, message_send, thread_for_subject
from fyren.notifications.services import notify

from .guarantee_services import guarantee_from_rebooking, guarantee_from_visit
from .models import (
    Audience,
    Booking,
    CalendarFeed,
    GuaranteeCase,
    Schedule,
    Slot,
    UnitBookingRules,
    VisitKind,
    WeeklyTemplate,
)
from .selectors import queue_window, rebookable

# How far ahead a template may publish in one go.
MAX_PUBLISH_DAYS = 366


def _staff_role(actor, unit) -> str:
    """Clinicians and enrolment admins of the unit publish times and book for patients."""
    role = care_role(actor, unit)
    if not role:
        raise PermissionDenied
    return role


def rules_for(unit) -> UnitBookingRules:
    return UnitBookingRules.objects.filter(unit=unit).first() or UnitBookingRules(unit=unit)


def booking_rules_set(
    *,
    actor,
    unit,
    change_until_hours: int,
    remind_hours: int,
    guarantee_level: str = "",
    citizen_may_change_visit_kind: bool = False,
) -> UnitBookingRules:
    """How the unit books: the citizens' deadline to rebook or cancel, how early
    reminders go, and which care-guarantee limits the unit is measured against."""
    if guarantee_level not in ("", *GuaranteeCase.Level.values):
        raise ValidationError({"guarantee_level": _("Choose primary or specialist care, or none.")})
    if not 0 <= change_until_hours <= 336 or not 1 <= remind_hours <= 336:
        raise ValidationError(_("Give hours between 0 and 336 (two weeks)."))
    with transaction.atomic():
        if not manages_unit_settings(actor, unit):
            raise PermissionDenied
        rules, _made = UnitBookingRules.objects.update_or_create(
            unit=unit,
            defaults={
                "change_until_hours": change_until_hours,
                "remind_hours": remind_hours,
                "guarantee_level": guarantee_level,
                "citizen_may_change_visit_kind": citizen_may_change_visit_kind,
            },
        )
        audit_event_write(
            actor=actor,
            action="booking.rules",
            obj=rules,
            unit=unit,
            data={
                "change_until_hours": change_until_hours,
                "remind_hours": remind_hours,
                "guarantee": guarantee_level,
                "change_visit_kind": citizen_may_change_visit_kind,
            },
        )
    return rules


# --- publishing times -----------------------------------------------------------------------


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
        _staff_role(actor, unit)
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
        _staff_role(actor, schedule.unit)
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
        _staff_role(actor, template.schedule.unit)
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
            _staff_role(actor, schedule.unit)
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
        _staff_role(actor, schedule.unit)
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


# --- who may take a time ---------------------------------------------------------------------


def _citizen_may_take(citizen, slot: Slot) -> bool:
    """Web booking: the slot's audience lets this citizen book it themself."""
    unit = slot.schedule.unit
    if slot.audience == Audience.LISTED:
        return CareRelation.objects.active().filter(citizen=citizen, unit=unit).exists()
    if slot.audience == Audience.PROGRAM and slot.program_id is not None:
        return Enrolment.objects.filter(
            citizen=citizen, unit=unit, program_version__program_id=slot.program_id, status__in=Enrolment.OPEN_STATUSES
        ).exists()
    return False


def _bookable(slot: Slot) -> None:
    if slot.blocked:
        raise ValidationError(_("That time is no longer available."))
    if slot.starts_at <= timezone.now():
        raise ValidationError(_("That time has passed."))


def _taken_message() -> ValidationError:
    return ValidationError(_("Someone else just took that time. Choose another."))


def _log(actor, booking: Booking, action, role: str) -> None:
    access_log_write(
        actor=actor,
        citizen=booking.citizen,
        action=action,
        object_type="booking",
        object_id=booking.pk,
        role=role,
        unit=booking.unit,
    )


def _citizen_side(actor, citizen) -> None:
    if not may_write_as_citizen(actor, citizen):
        raise PermissionDenied


# --- a time in hand ---------------------------------------------------------------------------


def times_offer(*, actor, citizen, slots: Sequence[Slot], reason: str = "") -> list[Booking]:
    """Staff offer one or several times to a patient of the unit: they are held
    for the citizen until they take one (the others are freed) or decline. The
    citizen gets a content-free notice."""
    reason = typed_text(reason, limit=200, field="reason").strip()
    if not slots:
        raise ValidationError({"slots": _("Choose at least one time to offer.")})
    units = {s.schedule.unit_id for s in slots}
    if len(units) != 1:
        raise ValidationError({"slots": _("Offer times of one unit at a time.")})
    unit = slots[0].schedule.unit
    group = uuid.uuid4()
    now = timezone.now()
    try:
        with transaction.atomic():
            role = _staff_role(actor, unit)
            if not CareRelation.objects.active().filter(citizen=citizen, unit=unit).exists():
                raise PermissionDenied
            made = []
            for slot in slots:
                _bookable(slot)
                made.append(
                    Booking.objects.create(
                        slot=slot,
                        citizen=citizen,
                        unit=unit,
                        status=Booking.Status.OFFERED,
                        reason=reason,
                        offer_group=group,
                        waiting_since=now,
                        created_by=actor,
                    )
                )
            for booking in made:
                _log(actor, booking, AccessLogEntry.Action.CREATE, role)
            audit_event_write(
                actor=actor,
                action="booking.offer",
                unit=unit,
                object_type="booking.offer_group",
                object_id=str(group),
                data={"slots": [s.pk for s in slots]},
            )
            notify(citizen=citizen, event="appointment", event_key=f"offer:{group}")
    except IntegrityError:
        raise _taken_message() from None
    return made


def offer_accept(*, actor, booking: Booking) -> Booking:
    """The citizen takes one offered time; the other times offered with it are freed."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("citizen", "unit", "slot").get(pk=booking.pk)
        _citizen_side(actor, booking.citizen)
        if booking.status == Booking.Status.BOOKED:
            return booking
        if booking.status != Booking.Status.OFFERED:
            raise ValidationError(_("This offer is no longer open."))
        _bookable(booking.slot)
        now = timezone.now()
        booking.status, booking.answered_at, booking.answered_by = Booking.Status.BOOKED, now, actor
        booking.save(update_fields=["status", "answered_at", "answered_by"])
        _with_video_room(booking)
        others = Booking.objects.filter(offer_group=booking.offer_group, status=Booking.Status.OFFERED).exclude(
            pk=booking.pk
        )
        others.update(
            status=Booking.Status.DECLINED,
            ended_at=now,
            ended_by=actor,
            end_reason=_("Another offered time was chosen."),
        )
        audit_event_write(actor=actor, action="booking.accept", obj=booking, unit=booking.unit)
    return booking


def offer_decline(*, actor, booking: Booking, reason: str = "") -> int:
    """The citizen declines the times offered together (their own choice: the
    wait that follows is counted as chosen by the patient)."""
    reason = typed_text(reason, limit=300, field="reason").strip()
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("citizen", "unit").get(pk=booking.pk)
        _citizen_side(actor, booking.citizen)
        now = timezone.now()
        declined = Booking.objects.filter(offer_group=booking.offer_group, status=Booking.Status.OFFERED).update(
            status=Booking.Status.DECLINED, ended_at=now, ended_by=actor, end_reason=reason, patient_choice=True
        )
        audit_event_write(actor=actor, action="booking.decline", obj=booking, unit=booking.unit, data={"n": declined})
    return declined


def booking_make(*, actor, citizen, slot: Slot, reason: str = "", client_token=None, replaces: Booking | None = None):
    """Book a time: the citizen where web booking is open for them, or staff of
    the unit on behalf of a patient. Twice with the same ``client_token`` books once."""
    reason = typed_text(reason, limit=200, field="reason").strip()
    token = uuid.UUID(str(client_token)) if client_token else None
    if token is not None:
        earlier = Booking.objects.filter(client_token=token, citizen=citizen).first()
        if earlier is not None:
            return earlier
    unit = slot.schedule.unit
    try:
        with transaction.atomic():
            slot = Slot.objects.select_related("schedule__unit").get(pk=slot.pk)
            if actor.is_citizen:
                _citizen_side(actor, citizen)
                # A move (``replaces``) was checked against the moving rule by booking_rebook.
                if replaces is None and not _citizen_may_take(citizen, slot):
                    raise PermissionDenied
                role = ""
            else:
                role = _staff_role(actor, unit)
                if not CareRelation.objects.active().filter(citizen=citizen, unit=unit).exists():
                    raise PermissionDenied
            _bookable(slot)
            booking = Booking.objects.create(
                slot=slot,
                citizen=citizen,
                unit=unit,
                status=Booking.Status.BOOKED,
                reason=reason,
                waiting_since=replaces.waiting_since if replaces is not None else timezone.now(),
                created_by=actor,
                answered_at=timezone.now(),
                answered_by=actor,
                replaces=replaces,
                client_token=token,
            )
            _with_video_room(booking)
            if role:
                _log(actor, booking, AccessLogEntry.Action.CREATE, role)
            audit_event_write(actor=actor, action="booking.make", obj=booking, unit=unit)
    except IntegrityError:
        if token is not None:
            earlier = Booking.objects.filter(client_token=token, citizen=citizen).first()
            if earlier is not None:
                return earlier
        raise _taken_message() from None
    return booking


def citizen_may_change(booking: Booking, *, rules: UnitBookingRules | None = None) -> bool:
    """Whether the citizen may still move or cancel the visit herself (the unit's deadline)."""
    hours = (rules or rules_for(booking.unit)).change_until_hours
    return booking.slot.starts_at - timezone.now() >= dt.timedelta(hours=hours)


def _deadline_check(actor, booking: Booking) -> bool:
    """True when the citizen's side acts; refuses a citizen after the unit's deadline."""
    if not actor.is_citizen:
        _staff_role(actor, booking.unit)
        return False
    _citizen_side(actor, booking.citizen)
    rules = rules_for(booking.unit)
    if not citizen_may_change(booking, rules=rules):
        hours = rules.change_until_hours
        raise ValidationError(_("The time is less than %(n)d hours away: call the unit to change it.") % {"n": hours})
    return True


def booking_cancel(*, actor, booking: Booking, reason: str) -> Booking:
    """Cancel a booked time with a reason: the citizen until the unit's deadline,
    staff always. The time returns to the pool at once."""
    reason = typed_text(reason, limit=300, field="reason").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the time is cancelled.")})
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("citizen", "unit", "slot").get(pk=booking.pk)
        if booking.status == Booking.Status.CANCELLED:
            return booking
        if booking.status not in (Booking.Status.BOOKED, Booking.Status.OFFERED):
            raise ValidationError(_("This booking can no longer be cancelled."))
        by_citizen = _deadline_check(actor, booking)
        booking.status, booking.ended_at, booking.ended_by = Booking.Status.CANCELLED, timezone.now(), actor
        booking.end_reason, booking.patient_choice = reason, by_citizen
        booking.save(update_fields=["status", "ended_at", "ended_by", "end_reason", "patient_choice"])
        if not by_citizen:
            _log(actor, booking, AccessLogEntry.Action.CHANGE, _staff_role(actor, booking.unit))
            notify(citizen=booking.citizen, event="appointment", event_key=f"cancel:{booking.pk}")
        audit_event_write(actor=actor, action="booking.cancel", obj=booking, unit=booking.unit, data={"reason": reason})
    return booking


def booking_rebook(*, actor, booking: Booking, slot: Slot, reason: str = "") -> Booking:
    """Move a booked time to another: the new booking replaces the old (the chain
    is kept), keeps the start of the wait, and the old time is freed. When the
    citizen moves it, that is their own choice."""
    reason = typed_text(reason, limit=300, field="reason").strip()
    with transaction.atomic():
        old = Booking.objects.select_for_update().select_related("citizen", "unit", "slot").get(pk=booking.pk)
        if old.status != Booking.Status.BOOKED:
            raise ValidationError(_("Only a booked time can be moved."))
        if slot.schedule.unit_id != old.unit_id:
            raise ValidationError({"slot": _("Choose a time at the same unit.")})
        by_citizen = _deadline_check(actor, old)
        if by_citizen and not rebookable(old).filter(pk=slot.pk).exists():
            raise ValidationError({"slot": _("That time cannot be taken any more. Choose one of the times shown.")})
        old.status, old.ended_at, old.ended_by = Booking.Status.REPLACED, timezone.now(), actor
        old.end_reason, old.patient_choice = reason, by_citizen
        old.save(update_fields=["status", "ended_at", "ended_by", "end_reason", "patient_choice"])
        new = booking_make(actor=actor, citizen=old.citizen, slot=slot, reason=old.reason, replaces=old)
        if by_citizen:
            guarantee_from_rebooking(old=old, new=new)
    return new


def current_of(booking: Booking) -> Booking:
    """Follow a chain of rebookings to the booking that now stands (old links lead here)."""
    seen = {booking.pk}
    while booking.status == Booking.Status.REPLACED:
        following = Booking.objects.filter(replaces=booking).first()
        if following is None or following.pk in seen:
            break
        seen.add(following.pk)
        booking = following
    return booking


# --- calendar feeds ---------------------------------------------------------------------------


def calendar_feed_create(*, actor) -> CalendarFeed:
    """A new secret feed address for the user; the old one stops working."""
    with transaction.atomic():
        CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(revoked_at=timezone.now())
        feed = CalendarFeed.objects.create(user=actor, token=secrets.token_urlsafe(32))
        audit_event_write(actor=actor, action="calendar_feed.create", obj=feed)
    return feed


def calendar_feed_revoke(*, actor) -> int:
    with transaction.atomic():
        n = CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(revoked_at=timezone.now())
        audit_event_write(actor=actor, action="calendar_feed.revoke", object_type="booking.CalendarFeed", data={"n": n})
    return n


# --- video visits and the virtual waiting room ------------------------------------------------


def _with_video_room(booking: Booking) -> None:
    if booking.slot.visit_kind == VisitKind.VIDEO and not booking.video_room:
        booking.video_room = secrets.token_urlsafe(16)
        booking.save(update_fields=["video_room"])


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
        _citizen_side(actor, booking.citizen)
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
            _log(actor, booking, AccessLogEntry.Action.CHANGE, Role.CLINICIAN)
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
                _log(actor, booking, AccessLogEntry.Action.CHANGE, Role.CLINICIAN)
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
        _log(actor, booking, AccessLogEntry.Action.CHANGE, Role.CLINICIAN)
    return booking


def visit_outcome(*, actor, booking: Booking, held: bool) -> Booking:
    """Mark a visit held, or the patient as not having come (only once it has started)."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("citizen", "unit", "slot").get(pk=booking.pk)
        _clinician_on(actor, booking)
        if booking.status not in (Booking.Status.BOOKED, Booking.Status.ARRIVED):
            raise ValidationError(_("The visit is already marked."))
        if not held and booking.slot.starts_at > timezone.now():
            raise ValidationError(_("A patient can be marked as not come only once the visit has started."))
        booking.status = Booking.Status.HELD if held else Booking.Status.NO_SHOW
        booking.save(update_fields=["status"])
        if held:
            guarantee_from_visit(booking=booking, actor=actor)
        _log(actor, booking, AccessLogEntry.Action.CHANGE, Role.CLINICIAN)
        audit_event_write(actor=actor, action="booking.outcome", obj=booking, unit=booking.unit, data={"held": held})
    return booking

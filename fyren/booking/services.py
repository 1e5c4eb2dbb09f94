"""Writes on bookings (publishing times: ``schedule_services``; the waiting
room: ``waiting_room``; feeds: ``feed_services``). Offering and booking on
behalf is staff's; the citizen (or their guardian or proxy) accepts, declines, books where web booking is open,
rebooks and cancels up to the unit's deadline. A time is never held by two
bookings: the database refuses it (``one_holding_booking_per_slot``), also when
two people take it at the same instant."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.accounts.permissions import manages_unit_settings
from fyren.accounts.professions import Profession
from fyren.audit.models import AccessLogEntry
from fyren.audit.services import access_log_write, audit_event_write
from fyren.care.models import CareRelation, Enrolment
from fyren.lib.text import typed_text
from fyren.notifications.services import notify

from .access import citizen_side, log_access, staff_role
from .guarantee_services import guarantee_from_rebooking
from .models import Audience, Booking, BookingAgreement, GuaranteeCase, Slot, UnitBookingRules, VisitKind
from .selectors import citizen_may_change, rebookable, rules_for


def booking_rules_set(
    *,
    actor,
    unit,
    change_until_hours: int,
    remind_hours: int,
    guarantee_level: str = "",
    citizen_may_change_visit_kind: bool = False,
    assessment_professions: list[str] | tuple[str, ...] = (),
) -> UnitBookingRules:
    """How the unit books: the citizens' deadline to rebook or cancel, how early
    reminders go, which care-guarantee limits the unit is measured against, and the
    licensed professions whose visit is the medical assessment (none named: any)."""
    professions = sorted(set(assessment_professions))
    if any(p not in Profession.values for p in professions):
        raise ValidationError({"assessment_professions": _("Choose licensed professions.")})
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
                "assessment_professions": professions,
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
                "assessment_professions": professions,
            },
        )
    return rules


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


def _earlier_booking(token, citizen) -> Booking | None:
    """The booking one submission (``token``) already made, if any: a form sent twice books once."""
    return Booking.objects.filter(client_token=token, citizen=citizen).first() if token is not None else None


def _taken_message() -> ValidationError:
    return ValidationError(_("Someone else just took that time. Choose another."))


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
            role = staff_role(actor, unit)
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
                log_access(actor, booking, AccessLogEntry.Action.CREATE, role)
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
        citizen_side(actor, booking.citizen)
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
        citizen_side(actor, booking.citizen)
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
    earlier = _earlier_booking(token, citizen)
    if earlier is not None:
        return earlier
    unit = slot.schedule.unit
    try:
        with transaction.atomic():
            slot = Slot.objects.select_related("schedule__unit").get(pk=slot.pk)
            if actor.is_citizen:
                citizen_side(actor, citizen)
                # A move (``replaces``) was checked against the moving rule by booking_rebook.
                if replaces is None and not _citizen_may_take(citizen, slot):
                    raise PermissionDenied
                role = ""
            else:
                role = staff_role(actor, unit)
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
                log_access(actor, booking, AccessLogEntry.Action.CREATE, role)
            audit_event_write(actor=actor, action="booking.make", obj=booking, unit=unit)
    except IntegrityError:
        earlier = _earlier_booking(token, citizen)
        if earlier is not None:
            return earlier
        raise _taken_message() from None
    return booking


def booking_agreement_grant(*, actor, schedule, booking_unit) -> BookingAgreement:
    """Let ``booking_unit``'s staff book into ``schedule`` (the granting unit's
    enrolment admins decide, or the region's care-provider admin)."""
    if booking_unit.pk == schedule.unit_id:
        raise ValidationError({"booking_unit": _("The unit books into its own schedules already.")})
    with transaction.atomic():
        if not manages_unit_settings(actor, schedule.unit):
            raise PermissionDenied
        found = BookingAgreement.objects.filter(
            schedule=schedule, booking_unit=booking_unit, ended_at__isnull=True
        ).first()
        if found is not None:
            return found
        agreement = BookingAgreement.objects.create(schedule=schedule, booking_unit=booking_unit, granted_by=actor)
        audit_event_write(
            actor=actor,
            action="booking.agreement.grant",
            obj=agreement,
            unit=schedule.unit,
            data={"schedule": schedule.pk, "booking_unit": booking_unit.hsa_id},
        )
    return agreement


def booking_agreement_end(*, actor, agreement: BookingAgreement) -> BookingAgreement:
    with transaction.atomic():
        agreement = BookingAgreement.objects.select_for_update().select_related("schedule__unit").get(pk=agreement.pk)
        if not manages_unit_settings(actor, agreement.schedule.unit):
            raise PermissionDenied
        if agreement.ended_at is None:
            agreement.ended_at, agreement.ended_by = timezone.now(), actor
            agreement.save(update_fields=["ended_at", "ended_by"])
            audit_event_write(actor=actor, action="booking.agreement.end", obj=agreement, unit=agreement.schedule.unit)
    return agreement


def booking_make_for_unit(*, actor, booking_unit, citizen, slot: Slot, reason: str = "", client_token=None) -> Booking:
    """``booking_unit`` books its patient into one of its own free times or another
    unit's that an agreement opens to it: its staff (``actor``), or its record system
    through FHIR (``actor`` None, ``system/Appointment.c``; the access log and the
    audit trail then name the client). The booking says which unit booked it and
    who; the patient becomes the receiving unit's patient (a care relation, as a
    referral makes), so its staff see the visit. Twice with the same token books once."""
    reason = typed_text(reason, limit=200, field="reason").strip()
    token = uuid.UUID(str(client_token)) if client_token else None
    earlier = _earlier_booking(token, citizen)
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            role = staff_role(actor, booking_unit) if actor is not None else ""
            if not CareRelation.objects.active().filter(citizen=citizen, unit=booking_unit).exists():
                raise PermissionDenied
            slot = Slot.objects.select_related("schedule__unit").get(pk=slot.pk)
            unit = slot.schedule.unit
            elsewhere = unit.pk != booking_unit.pk
            if (
                elsewhere
                and not BookingAgreement.objects.filter(
                    schedule=slot.schedule, booking_unit=booking_unit, ended_at__isnull=True
                ).exists()
            ):
                raise PermissionDenied
            _bookable(slot)
            now = timezone.now()
            booking = Booking.objects.create(
                slot=slot,
                citizen=citizen,
                unit=unit,
                status=Booking.Status.BOOKED,
                reason=reason,
                waiting_since=now,
                created_by=actor,
                answered_at=now,
                answered_by=actor,
                client_token=token,
                booked_by_unit=booking_unit if elsewhere else None,
            )
            _with_video_room(booking)
            if not CareRelation.objects.active().filter(citizen=citizen, unit=unit).exists():
                reason_text = _("Booked by %(unit)s") % {"unit": booking_unit.name}
                CareRelation.objects.create(citizen=citizen, unit=unit, started_by=actor, reason=reason_text[:200])
            access_log_write(
                actor=actor,
                citizen=citizen,
                action=AccessLogEntry.Action.CREATE,
                object_type="booking",
                object_id=booking.pk,
                role=role,
                unit=booking_unit,
            )
            audit_event_write(
                actor=actor,
                action="booking.make_for_unit",
                obj=booking,
                unit=unit,
                data={"booked_by_unit": booking_unit.hsa_id},
            )
    except IntegrityError:
        earlier = _earlier_booking(token, citizen)
        if earlier is not None:
            return earlier
        raise _taken_message() from None
    return booking


def _deadline_check(actor, booking: Booking) -> bool:
    """True when the citizen's side acts; refuses a citizen after the unit's deadline."""
    if not actor.is_citizen:
        staff_role(actor, booking.unit)
        return False
    citizen_side(actor, booking.citizen)
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
            log_access(actor, booking, AccessLogEntry.Action.CHANGE, staff_role(actor, booking.unit))
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


def _with_video_room(booking: Booking) -> None:
    if booking.slot.visit_kind == VisitKind.VIDEO and not booking.video_room:
        booking.video_room = secrets.token_urlsafe(16)
        booking.save(update_fields=["video_room"])

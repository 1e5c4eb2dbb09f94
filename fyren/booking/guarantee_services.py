"""Writes on care-guarantee cases, and the daily flags for limits about to be
broken (flags of the existing kind: absence routing and acknowledgement as
for every flag)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.accounts.models import User
from fyren.accounts.permissions import care_role
from fyren.accounts.selectors import licence_in_force
from fyren.audit.models import AccessLogEntry
from fyren.audit.services import access_log_write
from fyren.care.models import CareRelation
from fyren.episodes.models import Episode, EpisodePoint
from fyren.flags.models import Flag
from fyren.flags.services import flag_raise, flags_settle
from fyren.lib.text import typed_text

from .guarantee import dates_of, measures
from .models import GuaranteeCase, UnitBookingRules

STEPS = ("contacted_at", "assessed_at", "first_visit_at", "decided_at", "treated_at")


def _role(actor, unit) -> str:
    role = care_role(actor, unit)
    if not role:
        raise PermissionDenied
    return role


def _log(actor, case: GuaranteeCase, role: str, action=AccessLogEntry.Action.CHANGE) -> None:
    access_log_write(
        actor=actor,
        citizen=case.citizen,
        action=action,
        object_type="guarantee_case",
        object_id=case.pk,
        role=role,
        unit=case.unit,
    )


def guarantee_register(*, actor, citizen, unit, level: str, at: dt.datetime | None = None, source="registered"):
    """Start the guarantee clock for a citizen's contact with the unit."""
    if level not in GuaranteeCase.Level.values:
        raise ValidationError({"level": _("Choose primary or specialist care.")})
    at = at or timezone.now()
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"contact_at": _("The contact cannot lie in the future.")})
    with transaction.atomic():
        role = _role(actor, unit)
        if not CareRelation.objects.active().filter(citizen=citizen, unit=unit).exists():
            CareRelation.objects.create(citizen=citizen, unit=unit, started_by=actor, reason="guarantee")
        case = GuaranteeCase.objects.create(
            citizen=citizen, unit=unit, level=level, contact_at=at, source=source, registered_by=actor
        )
        _log(actor, case, role, AccessLogEntry.Action.CREATE)
    return case


def _step_set(case: GuaranteeCase, step: str, at: dt.datetime, actor, note: str) -> None:
    setattr(case, step, at)
    case.save(update_fields=[step])
    flags_settle(
        kind=Flag.Kind.GUARANTEE, source_type="guarantee", source_id=f"{case.pk}:{step}", note=note, actor=actor
    )


def assessment_professions(unit_id) -> list[str]:
    """The licensed professions whose assessment counts at the unit (empty: any)."""
    found = UnitBookingRules.objects.filter(unit_id=unit_id).values_list("assessment_professions", flat=True).first()
    return list(found or [])


def assessing_licence(unit_id, user, at: dt.datetime):
    """The licence that makes ``user``'s visit or assessment at ``at`` the primary-care
    medical assessment at the unit (a licence in force that day in a profession the
    unit's rule accepts), or None: then it does not count."""
    return licence_in_force(user, timezone.localtime(at).date(), assessment_professions(unit_id))


def guarantee_mark(
    *, actor, case: GuaranteeCase, step: str, at: dt.datetime | None = None, by: User | None = None
) -> GuaranteeCase:
    """Record a step (contact made, assessment, first visit, decision, treatment); a
    step is never before the contact (or, for treatment, before the decision). The
    medical assessment is recorded for the licensed professional who made it
    (``by``, the actor when not named), and only if their licence counts."""
    if step not in STEPS:
        raise ValidationError({"step": _("Choose a step.")})
    at = at or timezone.now()
    by = by or actor
    with transaction.atomic():
        case = GuaranteeCase.objects.select_for_update().select_related("citizen", "unit").get(pk=case.pk)
        role = _role(actor, case.unit)
        if case.ended_at is not None:
            raise ValidationError(_("The contact has ended; it is no longer followed."))
        if by != actor and not care_role(by, case.unit):
            raise ValidationError({"by": _("Choose someone who works at the unit.")})
        if step == "assessed_at" and assessing_licence(case.unit_id, by, at) is None:
            refusal = _("Only an assessment by licensed staff of a profession the unit accepts counts.")
            raise ValidationError({"by": refusal})
        start = case.decided_at if step == "treated_at" else case.contact_at
        if start is None:
            raise ValidationError({"step": _("Record the decision to treat first.")})
        if at < start or at > timezone.now() + dt.timedelta(minutes=5):
            raise ValidationError({"at": _("The time must lie between the start and now.")})
        if step == "assessed_at":
            case.assessed_by = by
            case.save(update_fields=["assessed_by"])
        _step_set(case, step, at, actor, _("Step recorded."))
        _log(actor, case, role)
    return case


def guarantee_patient_wait(*, actor, case: GuaranteeCase, days: int) -> GuaranteeCase:
    """Set how many days of the wait the patient chose themself (a later time they
    asked for, a pause of their own); they are counted apart and left out."""
    if not 0 <= days <= 365:
        raise ValidationError({"days": _("Give 0 to 365 days.")})
    with transaction.atomic():
        case = GuaranteeCase.objects.select_for_update().select_related("citizen", "unit").get(pk=case.pk)
        role = _role(actor, case.unit)
        case.patient_wait_days = days
        case.save(update_fields=["patient_wait_days"])
        _log(actor, case, role)
    return case


def guarantee_end(*, actor, case: GuaranteeCase, reason: str, at: dt.datetime | None = None) -> GuaranteeCase:
    """The contact ends without treatment (the patient no longer wants care, care
    elsewhere): it is no longer followed or flagged; steps taken still count."""
    reason = typed_text(reason, limit=300, field="reason").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the contact ends.")})
    with transaction.atomic():
        case = GuaranteeCase.objects.select_for_update().select_related("citizen", "unit").get(pk=case.pk)
        role = _role(actor, case.unit)
        _end(case, reason, at or timezone.now(), actor)
        _log(actor, case, role)
    return case


def _end(case: GuaranteeCase, reason: str, at: dt.datetime, actor) -> None:
    if case.ended_at is not None or case.treated_at is not None:
        return
    case.ended_at, case.end_reason = at, reason
    case.save(update_fields=["ended_at", "end_reason"])
    for step in STEPS:
        flags_settle(
            kind=Flag.Kind.GUARANTEE,
            source_type="guarantee",
            source_id=f"{case.pk}:{step}",
            note=_("The contact has ended."),
            actor=actor,
        )


def _open_cases(citizen_id, unit_id):
    return GuaranteeCase.objects.select_for_update().filter(
        citizen_id=citizen_id, unit_id=unit_id, treated_at__isnull=True, ended_at__isnull=True
    )


# --- steps from what happens elsewhere in Fyren (called inside the event's transaction) ----------


def guarantee_from_point(*, episode, point: str, at: dt.datetime, source: str, actor=None) -> None:
    """A care request received at a unit measured against the guarantee starts a
    case (source: Fyren); a declined request ends it; the decision to treat (D)
    and the start (E) are its last steps, and a position taken after an
    assessment (C) is the primary-care medical assessment."""
    level = (
        UnitBookingRules.objects.filter(unit_id=episode.unit_id).values_list("guarantee_level", flat=True).first()
    ) or ""
    cases = list(_open_cases(episode.citizen_id, episode.unit_id))
    if point == "B" and source == EpisodePoint.Source.REFERRAL_RECEIVED:
        if level and not cases:
            GuaranteeCase.objects.create(
                citizen_id=episode.citizen_id,
                unit_id=episode.unit_id,
                level=level,
                contact_at=at,
                source=GuaranteeCase.Source.FYREN,
                episode=episode,
            )
        return
    for case in cases:
        if point == "C" and episode.status == Episode.Status.DECLINED:
            _end(case, _("The care request was declined."), at, actor)
        elif point == "C" and source == EpisodePoint.Source.ASSESSMENT and case.level == case.Level.PRIMARY:
            if case.assessed_at is None and at >= case.contact_at and assessing_licence(case.unit_id, actor, at):
                case.assessed_by = actor
                case.save(update_fields=["assessed_by"])
                _step_set(case, "assessed_at", at, actor, _("Assessed."))
        elif point == "D" and case.decided_at is None and at >= case.contact_at:
            _step_set(case, "decided_at", at, actor, _("Decided."))
        elif point == "E" and case.decided_at is not None and at >= case.decided_at:
            _step_set(case, "treated_at", at, actor, _("Treatment started."))


def guarantee_from_visit(*, booking, actor) -> None:
    """A visit held by a clinician: the contact is made, and it is the first visit
    (specialist care) or — held by licensed staff of a profession the unit's rule
    accepts — the medical assessment (primary care)."""
    at = booking.slot.starts_at
    held_by = booking.held_by or actor
    cases = [case for case in _open_cases(booking.citizen_id, booking.unit_id) if at >= case.contact_at]
    # Whether the visit is the assessment depends on who held it, not on the case: asked once.
    is_assessment = any(c.level == c.Level.PRIMARY for c in cases) and (
        assessing_licence(booking.unit_id, held_by, at) is not None
    )
    for case in cases:
        steps = ["contacted_at"]
        if case.level != case.Level.PRIMARY:
            steps.append("first_visit_at")
        elif is_assessment and case.assessed_at is None:
            steps.append("assessed_at")
            case.assessed_by = held_by
            case.save(update_fields=["assessed_by"])
        for step in steps:
            if getattr(case, step) is None:
                _step_set(case, step, at, actor, _("The visit was held."))


def guarantee_from_contact_request(*, citizen_id, unit_id, at: dt.datetime) -> None:
    """A citizen's contact request to a unit measured against the guarantee starts a
    case (contact on day 0), unless one is already followed."""
    level = UnitBookingRules.objects.filter(unit_id=unit_id).values_list("guarantee_level", flat=True).first()
    if level and not _open_cases(citizen_id, unit_id).exists():
        GuaranteeCase.objects.create(
            citizen_id=citizen_id, unit_id=unit_id, level=level, contact_at=at, source=GuaranteeCase.Source.CONTACT
        )


def guarantee_from_answer(*, citizen_id, unit_id, at: dt.datetime, actor) -> None:
    """The team's first answer to the patient in Fyren is the contact with care."""
    for case in _open_cases(citizen_id, unit_id).filter(contacted_at__isnull=True):
        if at >= case.contact_at:
            _step_set(case, "contacted_at", at, actor, _("Answered in Fyren."))


def guarantee_from_rebooking(*, old, new) -> None:
    """A patient who moves the visit that ends a measure to a later day chose that
    wait themself: the days are counted apart."""
    days = (timezone.localtime(new.slot.starts_at).date() - timezone.localtime(old.slot.starts_at).date()).days
    if days <= 0:
        return
    for case in _open_cases(old.citizen_id, old.unit_id):
        waiting_for_visit = (
            case.assessed_at is None if case.level == case.Level.PRIMARY else case.first_visit_at is None
        )
        if waiting_for_visit:
            case.patient_wait_days = min(365, case.patient_wait_days + days)
            case.save(update_fields=["patient_wait_days"])


# Which step ends each measure (for settling its flag).
ENDS = {
    "contact": "contacted_at",
    "assessment": "assessed_at",
    "first_visit": "first_visit_at",
    "treatment": "treated_at",
}


# Flags carry their text in both languages (read by whoever opens the flag list).
FLAG_NAMES = {
    "contact": ("kontakt samma dag", "contact the same day"),
    "assessment": ("medicinsk bedömning", "medical assessment"),
    "first_visit": ("första besök", "first visit"),
    "treatment": ("behandling efter beslut", "treatment after the decision"),
}


def guarantee_flags_raise(*, today: dt.date | None = None) -> int:
    """One flag per open case and measure on its last day or overdue; reaching
    the step settles it. Returns how many were new."""
    today = today or timezone.localdate()
    made = 0
    open_cases = GuaranteeCase.objects.filter(treated_at__isnull=True, ended_at__isnull=True)
    for case in open_cases.select_related("citizen", "unit"):
        for measure in measures(dates_of(case), today=today):
            if measure.done or measure.state not in ("due", "overdue"):
                continue
            sv, en = FLAG_NAMES[measure.name]
            values = {"limit": measure.limit, "days": measure.counted}
            flag = flag_raise(
                kind=Flag.Kind.GUARANTEE,
                citizen=case.citizen,
                unit=case.unit,
                message={
                    "sv": f"Vårdgarantin, {sv}: inom {{limit}} dagar; {{days}} dagar har gått.".format(**values),
                    "en": f"Care guarantee, {en}: within {{limit}} days; {{days}} days have passed.".format(**values),
                },
                source_type="guarantee",
                source_id=f"{case.pk}:{ENDS[measure.name]}",
            )
            made += flag.was_created
    return made

"""Writes on care-guarantee cases, and the daily flags for limits about to be
broken (flags of the existing kind: absence routing and acknowledgement as
for every flag)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.accounts.permissions import care_role
from fyren.audit.models import AccessLogEntry
from fyren.audit.services import access_log_write
from fyren.care.models import CareRelation
from fyren.flags.models import Flag
from fyren.flags.services import flag_raise, flags_settle

from .guarantee import dates_of, measures
from .models import GuaranteeCase

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


def guarantee_mark(*, actor, case: GuaranteeCase, step: str, at: dt.datetime | None = None) -> GuaranteeCase:
    """Record a step (contact made, assessment, first visit, decision, treatment); a
    step is never before the contact (or, for treatment, before the decision)."""
    if step not in STEPS:
        raise ValidationError({"step": _("Choose a step.")})
    at = at or timezone.now()
    with transaction.atomic():
        case = GuaranteeCase.objects.select_for_update().select_related("citizen", "unit").get(pk=case.pk)
        role = _role(actor, case.unit)
        start = case.decided_at if step == "treated_at" else case.contact_at
        if start is None:
            raise ValidationError({"step": _("Record the decision to treat first.")})
        if at < start or at > timezone.now() + dt.timedelta(minutes=5):
            raise ValidationError({"at": _("The time must lie between the start and now.")})
        setattr(case, step, at)
        case.save(update_fields=[step])
        _log(actor, case, role)
        flags_settle(
            kind=Flag.Kind.GUARANTEE,
            source_type="guarantee",
            source_id=f"{case.pk}:{step}",
            note=_("Step recorded."),
            actor=actor,
        )
    return case


# Which step ends each measure (for settling its flag).
ENDS = {
    "contact": "contacted_at",
    "assessment": "assessed_at",
    "first_visit": "first_visit_at",
    "treatment": "treated_at",
}


def guarantee_flags_raise(*, today: dt.date | None = None) -> int:
    """One flag per open case and measure on its last day or overdue; reaching
    the step settles it. Returns how many were new."""
    today = today or timezone.localdate()
    made = 0
    for case in GuaranteeCase.objects.filter(treated_at__isnull=True).select_related("citizen", "unit"):
        for measure in measures(dates_of(case), today=today):
            if measure.done or measure.state not in ("due", "overdue"):
                continue
            values = {"measure": measure.name, "limit": measure.limit, "days": measure.counted}
            flag = flag_raise(
                kind=Flag.Kind.GUARANTEE,
                citizen=case.citizen,
                unit=case.unit,
                message={
                    "sv": "Vårdgarantin ({measure}): inom {limit} dagar; {days} dagar har gått.".format(**values),
                    "en": "Care guarantee ({measure}): within {limit} days; {days} days have passed.".format(**values),
                },
                source_type="guarantee",
                source_id=f"{case.pk}:{ENDS[measure.name]}",
            )
            made += flag.was_created
    return made

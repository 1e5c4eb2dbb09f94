"""Who is responsible for a citizen who started a program on their own: the
unit's rule (``SelfEnrolmentPolicy``), applied inside ``enrolment_start``, and
the service that changes the rule."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.accounts.permissions import has_role, manages_unit_settings, user_ids_with_role
from fyren.accounts.roles import Role
from fyren.audit.services import audit_event_write
from fyren.flags.models import Flag
from fyren.flags.services import flag_raise
from fyren.lib.workdays import add_working_days

from .models import Enrolment, SelfEnrolmentPolicy

Rule = SelfEnrolmentPolicy.Rule
MAX_ADMIN_DAYS = 20


def policy_for(unit) -> SelfEnrolmentPolicy:
    """The unit's rule, or the default (the enrolment admin names a clinician
    within two working days) when none is set. Not saved."""
    return SelfEnrolmentPolicy.objects.filter(unit=unit).select_related("clinician").first() or SelfEnrolmentPolicy(
        unit=unit
    )


def self_enrolment_assign(*, enrolment: Enrolment) -> None:
    """Apply the unit's rule to a new self-enrolment (inside its transaction).
    A named clinician who no longer works at the unit, or a unit without
    clinicians, falls back to the enrolment admin's choice, so the citizen is
    never left without someone who answers for them."""
    unit = enrolment.unit
    policy = SelfEnrolmentPolicy.objects.select_for_update().filter(unit=unit).first()
    ids = sorted(set(user_ids_with_role(unit, Role.CLINICIAN)))
    chosen = None
    if policy is not None and policy.rule == Rule.NAMED and policy.clinician_id in ids:
        chosen = policy.clinician_id
    elif policy is not None and policy.rule == Rule.ROUND_ROBIN and ids:
        last = policy.last_assigned_id
        after = [pk for pk in ids if last is not None and pk > last]
        chosen = (after or ids)[0]
        policy.last_assigned_id = chosen
        policy.save(update_fields=["last_assigned"])
    if chosen is not None:
        enrolment.clinicians.set([chosen])
        return
    due = add_working_days(timezone.localdate(), (policy or SelfEnrolmentPolicy()).admin_days)
    enrolment.responsible_due_on = due
    enrolment.save(update_fields=["responsible_due_on"])

    flag_raise(
        kind=Flag.Kind.UNASSIGNED,
        citizen=enrolment.citizen,
        unit=unit,
        enrolment=enrolment,
        message={
            "sv": f"Egenanmälan: utse en ansvarig behandlare senast {due.isoformat()}.",
            "en": f"Self-enrolment: name a responsible clinician by {due.isoformat()}.",
        },
        source_type="enrolment",
        source_id=str(enrolment.pk),
    )


def self_enrolment_policy_set(*, actor, unit, rule: str, clinician=None, admin_days: int = 2) -> SelfEnrolmentPolicy:
    """Set how the unit names a responsible clinician for self-enrolments. The
    unit's enrolment admins may, and the region's care-provider admins. Audited."""
    if rule not in Rule.values:
        raise ValidationError({"rule": _("Choose a rule.")})
    if not manages_unit_settings(actor, unit):
        raise PermissionDenied
    if rule == Rule.NAMED and (clinician is None or not has_role(clinician, Role.CLINICIAN, unit)):
        raise ValidationError({"clinician": _("Choose a clinician of this unit.")})
    if rule == Rule.ADMIN and not 1 <= int(admin_days) <= MAX_ADMIN_DAYS:
        raise ValidationError({"admin_days": _("Give a number of working days from 1 to 20.")})
    with transaction.atomic():
        policy = SelfEnrolmentPolicy.objects.select_for_update().filter(unit=unit).first() or SelfEnrolmentPolicy(
            unit=unit
        )
        old = {"rule": policy.rule, "clinician": policy.clinician_id, "admin_days": policy.admin_days}
        policy.rule = rule
        policy.clinician = clinician if rule == Rule.NAMED else None
        if rule == Rule.ADMIN:
            policy.admin_days = int(admin_days)
        policy.changed_by, policy.changed_at = actor, timezone.now()
        policy.save()
        audit_event_write(
            actor=actor,
            action="unit.self_enrolment_policy",
            obj=unit,
            unit=unit,
            data={"old": old, "new": {"rule": rule, "clinician": policy.clinician_id, "admin_days": policy.admin_days}},
        )
    return policy

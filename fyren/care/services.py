"""Writes about care relations and emergency access."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.accounts.permissions import has_role, roles_at
from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry
from fyren.audit.services import access_log_write, audit_event_write

from .models import CareRelation, EmergencyAccess

MIN_EMERGENCY_REASON_LENGTH = 10


RELATION_ROLES = (Role.CLINICIAN, Role.ENROLMENT_ADMIN)


def _relation_role(actor, unit) -> str:
    """The role under which ``actor`` opens or ends care relations at ``unit``; refuse if none."""
    if actor is None:
        return ""
    roles = roles_at(actor, unit)
    for role in RELATION_ROLES:
        if role in roles:
            return role
    raise PermissionDenied


def care_relation_start(*, actor, citizen, unit, reason: str = "") -> CareRelation:
    """Open a care relation at ``unit``. Clinicians and enrolment admins of the unit may."""
    with transaction.atomic():
        role = _relation_role(actor, unit)
        relation = CareRelation.objects.active().filter(citizen=citizen, unit=unit).first()
        if relation is not None:
            return relation
        relation = CareRelation.objects.create(citizen=citizen, unit=unit, started_by=actor, reason=reason)
        access_log_write(
            actor=actor,
            citizen=citizen,
            action=AccessLogEntry.Action.CREATE,
            object_type="care_relation",
            object_id=relation.pk,
            unit=unit,
            role=role,
        )
        audit_event_write(actor=actor, action="care_relation.start", obj=relation, unit=unit)
    return relation


def care_relation_end(*, actor, relation: CareRelation) -> CareRelation:
    with transaction.atomic():
        relation = CareRelation.objects.select_for_update().get(pk=relation.pk)
        _relation_role(actor, relation.unit)
        if relation.ended_at is None:
            relation.ended_at = timezone.now()
            relation.ended_by = actor
            relation.save(update_fields=["ended_at", "ended_by"])
            audit_event_write(actor=actor, action="care_relation.end", obj=relation, unit=relation.unit)
    return relation


def emergency_access_open(*, actor, unit, citizen, reason: str) -> EmergencyAccess:
    """Grant the clinician time-limited emergency access (*nödåtkomst*) to one
    citizen. Requires a typed reason; recorded in the access log with the
    emergency flag so the log reviewer sees it."""
    reason = (reason or "").strip()
    if len(reason) < MIN_EMERGENCY_REASON_LENGTH:
        raise ValidationError(
            {
                "reason": _("Describe why you need emergency access (at least %(n)d characters).")
                % {"n": MIN_EMERGENCY_REASON_LENGTH}
            }
        )
    with transaction.atomic():
        if not has_role(actor, Role.CLINICIAN, unit):
            raise PermissionDenied
        grant = EmergencyAccess.objects.create(
            actor=actor,
            unit=unit,
            citizen=citizen,
            reason=reason,
            expires_at=timezone.now() + timedelta(hours=settings.FYREN_EMERGENCY_ACCESS_HOURS),
        )
        access_log_write(
            actor=actor,
            citizen=citizen,
            action=AccessLogEntry.Action.DISCLOSE,
            object_type="emergency_access",
            object_id=grant.pk,
            role=Role.CLINICIAN,
            unit=unit,
            outside_care_relation=True,
            emergency=True,
            reason=reason,
        )
        audit_event_write(actor=actor, action="emergency_access.open", obj=grant, unit=unit)
    return grant

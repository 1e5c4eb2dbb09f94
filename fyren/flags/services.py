"""Writes on flags and absence: raise a flag (once per source), settle it,
acknowledge it with a note (audited, access-logged), and mark a clinician away.
Any app may call these; they call no feature app."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.accounts.permissions import has_role, roles_at
from fyren.accounts.roles import Role
from fyren.audit.services import audit_event_write, change_record
from fyren.lib.ranges import date_in_range, years_from
from fyren.lib.signals import enrolment_changed

from .models import Absence, Flag


def flag_raise(
    *,
    kind: str,
    citizen,
    unit,
    enrolment=None,
    urgent: bool = False,
    message: dict | None = None,
    source_type: str = "",
    source_id: str = "",
) -> Flag:
    """Raise a flag for the unit (and the enrolment's clinicians). The same source
    raises one flag only, however often it is processed."""
    with transaction.atomic():
        if source_id:
            flag, created = Flag.objects.get_or_create(
                kind=kind,
                source_type=source_type,
                source_id=str(source_id),
                defaults={
                    "citizen": citizen,
                    "unit": unit,
                    "enrolment": enrolment,
                    "urgent": urgent,
                    "message": message or {},
                },
            )
            flag.was_created = created
        else:
            flag = Flag.objects.create(
                kind=kind, citizen=citizen, unit=unit, enrolment=enrolment, urgent=urgent, message=message or {}
            )
            flag.was_created = True
        if flag.was_created and flag.enrolment_id:
            enrolment_changed.send(sender=Flag, enrolment_ids=[flag.enrolment_id], parts=["flags"])
        return flag


def flag_acknowledge(*, actor, flag: Flag, note: str) -> Flag:
    """A clinician (or enrolment admin) of the flag's unit acknowledges it with a
    note saying what was done. Audited; acknowledging again changes nothing."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Write what you did about the flag.")})
    with transaction.atomic():
        flag = Flag.objects.select_for_update(of=("self",)).select_related("unit", "citizen").get(pk=flag.pk)
        roles = roles_at(actor, flag.unit) & {Role.CLINICIAN, Role.ENROLMENT_ADMIN}
        if not roles:
            raise PermissionDenied
        if flag.acknowledged_at is not None:
            return flag
        flag.acknowledged_at, flag.acknowledged_by, flag.acknowledgement_note = timezone.now(), actor, note
        flag.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note"])
        change_record(
            actor=actor,
            citizen=flag.citizen,
            obj=flag,
            object_type="flag",
            event="flag.acknowledge",
            role=Role.CLINICIAN if Role.CLINICIAN in roles else Role.ENROLMENT_ADMIN,
            unit=flag.unit,
            data={"kind": flag.kind, "note": note},
        )
        enrolment_changed.send(sender=Flag, enrolment_ids=[flag.enrolment_id], parts=["flags"])
    return flag


def flags_settle(*, kind: str, source_type: str, source_id: str, note: str, actor=None) -> int:
    """Close the open flags of one source because what they asked for is done
    (a lead-time target met, a fixed care contact named): no one has to
    acknowledge them. Audited; returns how many were settled."""
    with transaction.atomic():
        flags = list(
            Flag.objects.select_for_update().filter(
                kind=kind, source_type=source_type, source_id=str(source_id), acknowledged_at__isnull=True
            )
        )
        for flag in flags:
            flag.acknowledged_at, flag.acknowledged_by, flag.acknowledgement_note = timezone.now(), actor, note
            flag.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note"])
            audit_event_write(
                actor=actor, action="flag.settle", obj=flag, unit=flag.unit, data={"kind": flag.kind, "note": note}
            )
        enrolment_changed.send(sender=Flag, enrolment_ids=[f.enrolment_id for f in flags], parts=["flags"])
    return len(flags)


# --- absence ------------------------------------------------------------------------------


def absence_add(*, actor, user, unit, starts_on, ends_on=None) -> Absence:
    """Mark a clinician absent. The clinician themself or an enrolment admin of the unit may."""
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day cannot be before the first.")})
    today = timezone.localdate()
    date_in_range(starts_on, earliest=today - dt.timedelta(days=365), latest=years_from(today, 2), field="starts_on")
    if ends_on is not None:
        date_in_range(ends_on, earliest=starts_on, latest=years_from(starts_on, 2), field="ends_on")
    with transaction.atomic():
        if not has_role(user, Role.CLINICIAN, unit):
            raise ValidationError(_("Choose a clinician of this unit."))
        if actor.pk != user.pk and not has_role(actor, Role.ENROLMENT_ADMIN, unit):
            raise PermissionDenied
        absence = Absence.objects.create(user=user, unit=unit, starts_on=starts_on, ends_on=ends_on, created_by=actor)
        audit_event_write(
            actor=actor,
            action="absence.add",
            obj=absence,
            unit=unit,
            data={"user": user.pk, "from": str(starts_on), "until": str(ends_on or "")},
        )
    return absence


def absence_end(*, actor, absence: Absence, today=None) -> Absence:
    """The clinician is back: the absence ends yesterday (or is removed if it had not begun)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        if actor.pk != absence.user_id and not has_role(actor, Role.ENROLMENT_ADMIN, absence.unit):
            raise PermissionDenied
        audit_event_write(actor=actor, action="absence.end", obj=absence, unit=absence.unit)
        if absence.starts_on >= today:
            absence.delete()
        else:
            absence.ends_on = today - dt.timedelta(days=1)
            absence.save(update_fields=["ends_on"])
    return absence

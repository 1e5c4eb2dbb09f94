"""What the care team does with an enrolment: names its responsible clinicians,
keeps working notes, hides or opens content for the patient, sets its phase,
and hands it over to another unit. Each write checks the actor's role, logs the
access and is audited, in one transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.accounts.permissions import has_role, roles_at
from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry
from fyren.audit.services import access_log_write, audit_event_write
from fyren.flags.models import Flag
from fyren.flags.services import flag_acknowledge
from fyren.programs.tree import load_tree

from .models import CareRelation, ClinicianNote, Enrolment, Handover, HiddenContent, ModuleProgress
from .permissions import clinician_access_record
from .signals import enrolment_moved

# --- shared -------------------------------------------------------------------------------


def locked_enrolment_as_clinician(actor, enrolment, *, object_type: str, object_id="", action="change"):
    """Lock the enrolment, check that the actor is a clinician of its unit, and log the access."""
    enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("unit", "citizen").get(pk=enrolment.pk)
    clinician_access_record(
        actor=actor, enrolment=enrolment, action=action, object_type=object_type, object_id=object_id
    )
    return enrolment


# --- the responsible clinicians --------------------------------------------------------------------------------


def enrolment_clinicians_set(*, actor, enrolment, clinicians) -> None:
    """Name the enrolment's responsible clinicians (clinicians and enrolment admins of the unit may)."""
    clinicians = list(clinicians)
    with transaction.atomic():
        if not roles_at(actor, enrolment.unit) & {Role.CLINICIAN, Role.ENROLMENT_ADMIN}:
            raise PermissionDenied
        if not clinicians:
            raise ValidationError(_("Choose at least one responsible clinician."))
        if any(not has_role(c, Role.CLINICIAN, enrolment.unit) for c in clinicians):
            raise ValidationError(_("Choose clinicians of this unit."))
        old = sorted(enrolment.clinicians.values_list("pk", flat=True))
        enrolment.clinicians.set(clinicians)
        audit_event_write(
            actor=actor,
            action="enrolment.clinicians",
            obj=enrolment,
            unit=enrolment.unit,
            data={"old": old, "new": sorted(c.pk for c in clinicians)},
        )
        # A self-enrolment waiting for a responsible clinician has one now.
        names = ", ".join(c.get_full_name() for c in clinicians)
        for flag in Flag.objects.filter(enrolment=enrolment, kind=Flag.Kind.UNASSIGNED, acknowledged_at__isnull=True):
            flag_acknowledge(
                actor=actor, flag=flag, note=_("Responsible clinician named: %(names)s") % {"names": names}
            )


# --- the clinician's work on an enrolment --------------------------------------------------


def clinician_note_add(*, actor, enrolment, text: str) -> ClinicianNote:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    with transaction.atomic():
        enrolment = locked_enrolment_as_clinician(actor, enrolment, object_type="clinician_note", action="create")
        return ClinicianNote.objects.create(enrolment=enrolment, text=text, author=actor)


def content_visibility_set(*, actor, enrolment, key, hidden: bool) -> None:
    """Hide a module or section for this patient, or show it again."""
    with transaction.atomic():
        enrolment = locked_enrolment_as_clinician(actor, enrolment, object_type="enrolment_content")
        tree = load_tree(enrolment.program_version)
        keys = {str(m.key) for m in tree.modules} | {str(s.key) for m in tree.modules for s in m.section_list}
        if str(key) not in keys:
            raise ValidationError(_("This part is not in the patient's program."))
        if hidden:
            HiddenContent.objects.get_or_create(enrolment=enrolment, key=key, defaults={"hidden_by": actor})
        else:
            HiddenContent.objects.filter(enrolment=enrolment, key=key).delete()
        audit_event_write(
            actor=actor,
            action="enrolment.hide" if hidden else "enrolment.show",
            obj=enrolment,
            unit=enrolment.unit,
            data={"key": str(key)},
        )


def module_open(*, actor, enrolment, module_key) -> None:
    """Open a locked module for this patient, whatever the program's unlocking rule."""
    with transaction.atomic():
        enrolment = locked_enrolment_as_clinician(actor, enrolment, object_type="module_progress")
        if str(module_key) not in {str(m.key) for m in load_tree(enrolment.program_version).modules}:
            raise ValidationError(_("This part is not in the patient's program."))
        progress, _created = ModuleProgress.objects.get_or_create(enrolment=enrolment, module_key=module_key)
        if not progress.opened_by_clinician:
            progress.opened_by_clinician = True
            progress.opened_at = progress.opened_at or timezone.now()
            progress.save(update_fields=["opened_by_clinician", "opened_at"])
        audit_event_write(
            actor=actor, action="module.open", obj=enrolment, unit=enrolment.unit, data={"module": str(module_key)}
        )


def enrolment_phase_set(*, actor, enrolment, maintenance: bool):
    """Move an active enrolment to its maintenance phase, or back to active."""
    with transaction.atomic():
        enrolment = locked_enrolment_as_clinician(actor, enrolment, object_type="enrolment")
        if not enrolment.is_open:
            raise ValidationError(_("The enrolment has already ended."))
        old = enrolment.status
        enrolment.status = Enrolment.Status.MAINTENANCE if maintenance else Enrolment.Status.ACTIVE
        enrolment.save(update_fields=["status"])
        audit_event_write(
            actor=actor,
            action="enrolment.phase",
            obj=enrolment,
            unit=enrolment.unit,
            data={"old": old, "new": enrolment.status},
        )
    return enrolment


# --- handover -----------------------------------------------------------------------------


def handover_request(*, actor, enrolment, to_unit, reason: str) -> Handover:
    """Ask another unit to take over the enrolment. Nothing moves until it accepts."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write why, and what the receiving unit needs to know.")})
    with transaction.atomic():
        enrolment = locked_enrolment_as_clinician(actor, enrolment, object_type="handover", action="disclose")
        if not enrolment.is_open:
            raise ValidationError(_("The enrolment has already ended."))
        if to_unit.pk == enrolment.unit_id or not to_unit.is_active_on():
            raise ValidationError({"to_unit": _("Choose another active care unit.")})
        if Handover.objects.filter(enrolment=enrolment, status=Handover.Status.PENDING).exists():
            raise ValidationError(_("A handover of this enrolment is already waiting for an answer."))
        handover = Handover.objects.create(
            enrolment=enrolment, from_unit=enrolment.unit, to_unit=to_unit, reason=reason, requested_by=actor
        )
        audit_event_write(
            actor=actor, action="handover.request", obj=handover, unit=enrolment.unit, data={"to": to_unit.pk}
        )
    return handover


def handover_decide(*, actor, handover: Handover, accept: bool) -> Handover:
    """A clinician or enrolment admin of the receiving unit accepts or declines.

    On acceptance the enrolment, its messages and open flags move to the receiving
    unit, which gets a care relation; the sending unit's relation ends if it has
    no other open enrolment with the citizen, so its access ends too."""
    with transaction.atomic():
        handover = Handover.objects.select_for_update(of=("self",)).select_related("to_unit").get(pk=handover.pk)
        roles = roles_at(actor, handover.to_unit) & {Role.CLINICIAN, Role.ENROLMENT_ADMIN}
        if not roles:
            raise PermissionDenied
        if handover.status != Handover.Status.PENDING:
            raise ValidationError(_("This handover has already been decided."))
        now = timezone.now()
        handover.status = Handover.Status.ACCEPTED if accept else Handover.Status.DECLINED
        handover.decided_by, handover.decided_at = actor, now
        handover.save(update_fields=["status", "decided_by", "decided_at"])
        enrolment = Enrolment.objects.select_for_update().select_related("citizen").get(pk=handover.enrolment_id)
        if accept:
            old_unit, new_unit = enrolment.unit, handover.to_unit
            enrolment.unit = new_unit
            enrolment.save(update_fields=["unit"])
            enrolment.clinicians.set([actor] if has_role(actor, Role.CLINICIAN, new_unit) else [])
            enrolment_moved.send(
                sender=Enrolment, enrolment=enrolment, from_unit=old_unit, to_unit=new_unit, actor=actor
            )
            Flag.objects.filter(enrolment=enrolment, acknowledged_at__isnull=True).update(unit=new_unit)
            if not CareRelation.objects.active().filter(citizen=enrolment.citizen, unit=new_unit).exists():
                CareRelation.objects.create(
                    citizen=enrolment.citizen, unit=new_unit, started_by=actor, reason="handover"
                )
            still_open = Enrolment.objects.filter(
                citizen=enrolment.citizen, unit=old_unit, status__in=Enrolment.OPEN_STATUSES
            ).exists()
            if not still_open:
                CareRelation.objects.active().filter(citizen=enrolment.citizen, unit=old_unit).update(
                    ended_at=now, ended_by=actor
                )
            access_log_write(
                actor=actor,
                citizen=enrolment.citizen,
                action=AccessLogEntry.Action.CREATE,
                object_type="handover",
                object_id=handover.pk,
                role=Role.CLINICIAN if Role.CLINICIAN in roles else Role.ENROLMENT_ADMIN,
                unit=new_unit,
            )
        audit_event_write(
            actor=actor,
            action="handover.accept" if accept else "handover.decline",
            obj=handover,
            unit=handover.to_unit,
            data={"enrolment": enrolment.pk, "from": handover.from_unit_id},
        )
    return handover

"""Writes about care relations and emergency access."""

import datetime as dt
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.accounts.permissions import care_role, has_role
from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry
from fyren.audit.services import access_log_write, audit_event_write, change_record
from fyren.flags.models import Flag
from fyren.flags.services import flag_raise
from fyren.lib.text import typed_text
from fyren.notifications.services import notify
from fyren.people.selectors import may_act_for
from fyren.programs.models import Module, ProgramVersion, UnitProgram

from .assignment import self_enrolment_assign
from .models import CareRelation, ElementAnswer, EmergencyAccess, Enrolment
from .permissions import clinician_access_record
from .signals import enrolment_ended, enrolment_started

MIN_EMERGENCY_REASON_LENGTH = 10


def _relation_role(actor, unit) -> str:
    """The role under which ``actor`` opens or ends care relations at ``unit``; refuse if none."""
    if actor is None:
        return ""
    role = care_role(actor, unit)
    if not role:
        raise PermissionDenied
    return role


def _relation_open(actor, citizen, unit, reason: str, role: str) -> CareRelation:
    """The active care relation, opened (and recorded both ways) when there is none."""
    relation = CareRelation.objects.active().filter(citizen=citizen, unit=unit).first()
    if relation is not None:
        return relation
    relation = CareRelation.objects.create(citizen=citizen, unit=unit, started_by=actor, reason=reason)
    change_record(
        actor=actor,
        citizen=citizen,
        obj=relation,
        object_type="care_relation",
        event="care_relation.start",
        role=role,
        unit=unit,
        access=AccessLogEntry.Action.CREATE,
    )
    return relation


def care_relation_start(*, actor, citizen, unit, reason: str = "") -> CareRelation:
    """Open a care relation at ``unit``. Clinicians and enrolment admins of the unit may."""
    with transaction.atomic():
        return _relation_open(actor, citizen, unit, reason, _relation_role(actor, unit))


def care_relation_start_by_citizen(*, actor, citizen, unit, reason: str = "") -> CareRelation:
    """The citizen (or someone acting for them) turns to the unit themself (a
    contact request): that makes the care relation, as a call or a visit would."""
    if not may_act_for(actor, citizen) or not unit.is_active_on():
        raise PermissionDenied
    with transaction.atomic():
        return _relation_open(actor, citizen, unit, reason[:200], "")


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


def enrolment_start(
    *,
    actor,
    citizen,
    program_version,
    unit,
    clinicians=(),
    start_kind: str = "clinician",
    assessment: dict | None = None,
    today: dt.date | None = None,
):
    """Start a program version for a citizen at a unit.

    The version must be published and offered at the unit. Care staff (clinician
    or enrolment admin there) must record an assessment first: indication, why
    this program, risk considered. For self-enrolment the actor is the citizen. A
    care relation is opened, and the program's questionnaires due at the start
    are scheduled. The same program cannot run twice at once for one citizen."""
    today = today or timezone.localdate()
    with transaction.atomic():
        if start_kind == Enrolment.StartKind.SELF:
            if getattr(actor, "pk", None) != citizen.user_id:
                raise PermissionDenied
            role = ""
        else:
            role = _relation_role(actor, unit)
            assessment = _checked_assessment(assessment)
        program_version = ProgramVersion.objects.select_related("program").get(pk=program_version.pk)
        if program_version.status != ProgramVersion.Status.PUBLISHED:
            raise ValidationError(_("Only a published program can be started."))
        if not UnitProgram.objects.filter(program=program_version.program, unit=unit, active=True).exists():
            raise ValidationError(_("The program is not offered at this unit."))
        refusal = program_version.age_refusal(citizen.age_on(today))
        if refusal:
            raise ValidationError(refusal)
        if Enrolment.objects.filter(
            citizen=citizen, program_version__program=program_version.program, status__in=Enrolment.OPEN_STATUSES
        ).exists():
            raise ValidationError(_("The citizen already has this program running."))
        module_count = Module.objects.filter(version=program_version).count()
        enrolment = Enrolment.objects.create(
            citizen=citizen,
            program_version=program_version,
            unit=unit,
            started_by=actor,
            start_kind=start_kind,
            assessment=assessment or {},
            module_number=min(1, module_count),  # the last activity is the start (Enrolment.save)
            module_count=module_count,
        )
        clinicians = list(clinicians) or ([actor] if role == Role.CLINICIAN else [])
        enrolment.clinicians.set(clinicians)
        if start_kind == Enrolment.StartKind.SELF and not clinicians:
            self_enrolment_assign(enrolment=enrolment)
        if not CareRelation.objects.active().filter(citizen=citizen, unit=unit).exists():
            CareRelation.objects.create(citizen=citizen, unit=unit, started_by=actor, reason="enrolment")
        if role:
            access_log_write(
                actor=actor,
                citizen=citizen,
                action=AccessLogEntry.Action.CREATE,
                object_type="enrolment",
                object_id=enrolment.pk,
                role=role,
                unit=unit,
            )
        enrolment_started.send(sender=Enrolment, enrolment=enrolment, actor=actor, at=enrolment.started_at, on=today)
        if start_kind != Enrolment.StartKind.SELF:
            notify(citizen=citizen, event="program_started", event_key=f"enrolment:{enrolment.pk}")
        audit_event_write(
            actor=actor,
            action="enrolment.start",
            obj=enrolment,
            unit=unit,
            data={"program_version": program_version.pk, "start_kind": start_kind},
        )
    return enrolment


def enrolment_end(*, actor, enrolment, completed: bool, reason: str = ""):
    """End an enrolment as completed or discontinued (with a reason). A completed
    enrolment gets its end and follow-up questionnaires scheduled; unanswered
    earlier sends stop being due."""
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().select_related("unit", "citizen").get(pk=enrolment.pk)
        role = _relation_role(actor, enrolment.unit)
        if not enrolment.is_open:
            raise ValidationError(_("The enrolment has already ended."))
        if not completed and not reason.strip():
            raise ValidationError({"reason": _("Give the reason for discontinuing.")})
        now = timezone.now()
        enrolment.status = Enrolment.Status.COMPLETED if completed else Enrolment.Status.DISCONTINUED
        enrolment.ended_at, enrolment.end_reason = now, reason.strip()
        enrolment.save(update_fields=["status", "ended_at", "end_reason"])
        enrolment_ended.send(sender=Enrolment, enrolment=enrolment, actor=actor, at=now)
        change_record(
            actor=actor,
            citizen=enrolment.citizen,
            obj=enrolment,
            object_type="enrolment",
            event="enrolment.end",
            role=role,
            unit=enrolment.unit,
            data={"status": enrolment.status, "reason": enrolment.end_reason},
        )
    return enrolment


def _checked_assessment(assessment: dict | None) -> dict:
    """A clinician starts a program only after a recorded assessment."""
    assessment = dict(assessment or {})
    problems = {}
    if not str(assessment.get("indication", "")).strip():
        problems["indication"] = _("State the indication.")
    if not str(assessment.get("reason", "")).strip():
        problems["reason"] = _("Say why this program suits the patient.")
    if not assessment.get("risk_considered"):
        problems["risk_considered"] = _("Confirm that you have considered the risk (for example of suicide).")
    for name, limit in (("indication", 300), ("reason", 2000), ("risk_note", 2000)):
        try:
            typed_text(assessment.get(name, ""), limit=limit)
        except ValidationError as exc:
            problems[name] = exc.messages[0]
    if problems:
        raise ValidationError(problems)
    return {
        "indication": typed_text(assessment["indication"], limit=300).strip(),
        "reason": typed_text(assessment["reason"], limit=2000).strip(),
        "risk_considered": True,
        "risk_note": typed_text(assessment.get("risk_note", ""), limit=2000).strip(),
        "assessed_at": timezone.now().isoformat(),
    }


def exercise_feedback_give(*, actor, answer, text: str):
    """A clinician of the enrolment's unit answers an exercise the citizen sent.
    The citizen is notified (content-free)."""
    text = typed_text(text, limit=5000, field="feedback").strip()
    if not text:
        raise ValidationError({"feedback": _("Write your feedback.")})
    with transaction.atomic():
        answer = (
            ElementAnswer.objects.select_for_update()
            .select_related("enrolment__unit", "enrolment__citizen")
            .get(pk=answer.pk)
        )
        clinician_access_record(
            actor=actor,
            enrolment=answer.enrolment,
            action=AccessLogEntry.Action.CREATE,
            object_type="exercise_feedback",
            object_id=answer.pk,
        )
        if answer.status != ElementAnswer.Status.SENT:
            raise ValidationError(_("Only an exercise the patient has sent can get feedback."))
        answer.feedback, answer.feedback_by, answer.feedback_at = text, actor, timezone.now()
        answer.save(update_fields=["feedback", "feedback_by", "feedback_at"])
        notify(
            citizen=answer.enrolment.citizen,
            event="feedback",
            event_key=f"feedback:{answer.pk}:{answer.feedback_at.isoformat()}",
        )
    return answer


def screening_contact_request(*, actor, citizen, unit, response):
    """After a screening that advised against self-enrolment, the citizen agrees
    to be contacted: the unit gets a flag (urgent if the answers were), and a care
    relation so its clinicians may open the citizen's data. Repeating changes nothing."""
    if getattr(actor, "pk", None) != citizen.user_id or response.citizen_id != citizen.pk:
        raise PermissionDenied
    with transaction.atomic():
        if not CareRelation.objects.active().filter(citizen=citizen, unit=unit).exists():
            CareRelation.objects.create(citizen=citizen, unit=unit, reason="screening: contact requested")
        flag = flag_raise(
            kind=Flag.Kind.SCREENING,
            citizen=citizen,
            unit=unit,
            urgent=response.urgent,
            message={
                "sv": "Screening före egen start visade att programmet inte passar. Invånaren vill bli kontaktad.",
                "en": "Screening before self-enrolment showed the program does not suit. "
                "The citizen wants to be contacted.",
            },
            source_type="screening_response",
            source_id=str(response.pk),
        )
        audit_event_write(actor=actor, action="screening.contact_request", obj=flag, unit=unit)
    return flag

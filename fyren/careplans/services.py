"""Writes on patient contracts. Every change by staff or by the citizen makes a
new revision holding the whole contract as it then stood (the citizen sees
what changed since they last looked, and agrees to a revision). Staff write
only for a unit that takes part; reads and writes of the contract are logged."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.accounts.permissions import care_role, has_role
from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry
from fyren.audit.services import access_log_write, audit_event_write
from fyren.care.models import CareRelation, Enrolment
from fyren.instruments.definitions import definition_for
from fyren.lib.text import typed_text
from fyren.messaging.services import message_send, thread_for_subject
from fyren.people.selectors import may_act_for
from fyren.programs.elements import MEASUREMENT
from fyren.programs.selectors import measurement_label

from .flagging import fixed_contact_flags_sync
from .models import (
    Activity,
    Agreement,
    Comment,
    Contract,
    FixedContact,
    FixedContactRoutine,
    Goal,
    Participant,
    Plan,
    PlanMember,
    Revision,
    Seen,
)
from .selectors import contract_snapshot

MAX_TEXT = 5000

# --- who may -------------------------------------------------------------------------------


def _participating_clinician(actor, contract: Contract, unit) -> None:
    """A clinician of a unit that takes part in the contract."""
    if not has_role(actor, Role.CLINICIAN, unit):
        raise PermissionDenied
    if not Participant.objects.filter(contract=contract, unit=unit, status=Participant.Status.ACCEPTED).exists():
        raise PermissionDenied


def _log(actor, contract: Contract, unit, action=AccessLogEntry.Action.CHANGE, role=Role.CLINICIAN, object_id=None):
    access_log_write(
        actor=actor,
        citizen=contract.citizen,
        action=action,
        object_type="patient_contract",
        object_id=object_id or contract.pk,
        role=role,
        unit=unit,
    )


def _locked(contract: Contract) -> Contract:
    return Contract.objects.select_for_update().select_related("citizen").get(pk=contract.pk)


# --- revisions -----------------------------------------------------------------------------


def _who(user) -> str:
    return user.get_full_name() or user.username if user is not None else ""


def _revise(contract: Contract, *, actor, unit, summary: str) -> Revision:
    """Record the contract as it now stands as its next revision."""
    contract.revision += 1
    contract.updated_at = timezone.now()
    contract.save(update_fields=["revision", "updated_at", "priorities"])
    return Revision.objects.create(
        contract=contract,
        number=contract.revision,
        created_by=actor,
        unit=unit,
        summary=summary[:300],
        snapshot=contract_snapshot(contract),
    )


# --- the contract and the units in it -------------------------------------------------------


def contract_start(*, actor, unit, citizen) -> Contract:
    """A clinician starts the patient's contract (or joins the unit to the one
    that exists, when the unit was not in it): the unit takes part at once."""
    with transaction.atomic():
        if not has_role(actor, Role.CLINICIAN, unit):
            raise PermissionDenied
        if not CareRelation.objects.active().filter(citizen=citizen, unit=unit).exists():
            raise PermissionDenied
        contract = Contract.objects.select_for_update().filter(citizen=citizen).first()
        if contract is not None:
            participant = Participant.objects.filter(contract=contract, unit=unit).first()
            if participant is not None and participant.status == Participant.Status.ACCEPTED:
                return contract
            raise ValidationError(
                _("The patient already has a contract; a unit taking part in it can invite your unit.")
            )
        contract = Contract.objects.create(citizen=citizen, started_by=actor, started_unit=unit)
        Participant.objects.create(
            contract=contract,
            unit=unit,
            status=Participant.Status.ACCEPTED,
            invited_by=actor,
            answered_by=actor,
            answered_at=timezone.now(),
        )
        _revise(contract, actor=actor, unit=unit, summary=_("Contract started by %(unit)s") % {"unit": unit.name})
        _log(actor, contract, unit, AccessLogEntry.Action.CREATE)
        audit_event_write(actor=actor, action="contract.start", obj=contract, unit=unit)
        fixed_contact_flags_sync(contracts=[contract])
    return contract


def contract_invite(*, actor, contract: Contract, unit, invited_unit, note: str = "") -> Participant:
    """A unit in the contract invites another unit to take part (it shares the
    patient's name and the invitation note with that unit until it answers)."""
    note = typed_text(note, limit=500, field="note").strip()
    if invited_unit.pk == unit.pk:
        raise ValidationError({"unit": _("Choose another unit than your own.")})
    if not invited_unit.is_active_on():
        raise ValidationError({"unit": _("The unit is not active.")})
    with transaction.atomic():
        contract = _locked(contract)
        _participating_clinician(actor, contract, unit)
        participant = Participant.objects.filter(contract=contract, unit=invited_unit).first()
        if participant is not None and participant.status in (Participant.Status.INVITED, Participant.Status.ACCEPTED):
            raise ValidationError({"unit": _("The unit is already invited or taking part.")})
        if participant is None:
            participant = Participant(contract=contract, unit=invited_unit)
        participant.status, participant.invited_by, participant.invited_at = (
            Participant.Status.INVITED,
            actor,
            timezone.now(),
        )
        participant.invitation_note, participant.answered_by, participant.answered_at = note, None, None
        participant.decline_reason = ""
        participant.save()
        _revise(contract, actor=actor, unit=unit, summary=_("%(unit)s invited") % {"unit": invited_unit.name})
        _log(actor, contract, unit, AccessLogEntry.Action.DISCLOSE)
        audit_event_write(
            actor=actor, action="contract.invite", obj=contract, unit=unit, data={"invited_unit": invited_unit.pk}
        )
    return participant


def invitation_answer(*, actor, participant: Participant, accept: bool, reason: str = "") -> Participant:
    """The invited unit (a clinician or enrolment admin there) accepts — the unit
    takes part and may read the patient's record from now on (a care relation
    is opened) — or declines with a reason."""
    reason = typed_text(reason, limit=300, field="reason").strip()
    if not accept and not reason:
        raise ValidationError({"reason": _("Say why the unit declines.")})
    with transaction.atomic():
        participant = (
            Participant.objects.select_for_update().select_related("unit", "contract__citizen").get(pk=participant.pk)
        )
        role = care_role(actor, participant.unit)
        if not role:
            raise PermissionDenied
        if participant.status != Participant.Status.INVITED:
            return participant
        contract = _locked(participant.contract)
        participant.status = Participant.Status.ACCEPTED if accept else Participant.Status.DECLINED
        participant.answered_by, participant.answered_at = actor, timezone.now()
        participant.decline_reason = "" if accept else reason
        participant.save(update_fields=["status", "answered_by", "answered_at", "decline_reason"])
        if (
            accept
            and not CareRelation.objects.active().filter(citizen=contract.citizen, unit=participant.unit).exists()
        ):
            CareRelation.objects.create(
                citizen=contract.citizen, unit=participant.unit, started_by=actor, reason="patient_contract"
            )
        summary = _("%(unit)s takes part") if accept else _("%(unit)s declined to take part")
        _revise(contract, actor=actor, unit=participant.unit, summary=summary % {"unit": participant.unit.name})
        _log(actor, contract, participant.unit, role=role)
        audit_event_write(
            actor=actor,
            action="contract.accept" if accept else "contract.decline",
            obj=contract,
            unit=participant.unit,
            data={"reason": reason},
        )
        fixed_contact_flags_sync(contracts=[contract])
    return participant


def fixed_contact_set(*, actor, contract: Contract, unit, person, how_to_reach: str) -> FixedContact:
    """Name the unit's fixed care contact for the patient (a clinician of the unit)."""
    how_to_reach = typed_text(how_to_reach, limit=300, field="how_to_reach").strip()
    if not how_to_reach:
        raise ValidationError({"how_to_reach": _("Say how the patient reaches them.")})
    if person is None or not has_role(person, Role.CLINICIAN, unit):
        raise ValidationError({"person": _("Choose a clinician of your unit.")})
    with transaction.atomic():
        contract = _locked(contract)
        _participating_clinician(actor, contract, unit)
        contact, _created = FixedContact.objects.update_or_create(
            contract=contract,
            unit=unit,
            defaults={
                "person": person,
                "how_to_reach": how_to_reach,
                "appointed_by": actor,
                "appointed_at": timezone.now(),
            },
        )
        _revise(
            contract,
            actor=actor,
            unit=unit,
            summary=_("Fixed care contact at %(unit)s: %(name)s") % {"unit": unit.name, "name": _who(person)},
        )
        _log(actor, contract, unit)
        audit_event_write(
            actor=actor, action="contract.fixed_contact", obj=contract, unit=unit, data={"person": person.pk}
        )
        fixed_contact_flags_sync(contracts=[contract], actor=actor)
    return contact


# --- plans, goals and activities ------------------------------------------------------------


def plan_save(*, actor, contract: Contract, unit, kind: str, title: str, plan: Plan | None = None, **fields) -> Plan:
    """Add a plan under the contract (or change one the unit holds). ``fields``:
    shared, enrolment, treatment, rehabilitation, self_care, meeting_on,
    coordinator, decisions."""
    if kind not in Plan.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of plan.")})
    title = typed_text(title, limit=200, field="title").strip()
    if not title:
        raise ValidationError({"title": _("Give the plan a title.")})
    texts = {}
    for name in ("treatment", "rehabilitation", "self_care", "decisions"):
        texts[name] = typed_text(fields.get(name) or "", limit=MAX_TEXT, field=name).strip()
    coordinator = typed_text(fields.get("coordinator") or "", limit=200, field="coordinator").strip()
    enrolment = fields.get("enrolment")
    with transaction.atomic():
        contract = _locked(contract)
        _participating_clinician(actor, contract, unit)
        if plan is not None and (plan.contract_id != contract.pk or plan.unit_id != unit.pk):
            raise PermissionDenied
        if enrolment is not None and (enrolment.citizen_id != contract.citizen_id or enrolment.unit_id != unit.pk):
            raise ValidationError({"enrolment": _("Choose a program of this patient at your unit.")})
        plan = plan or Plan(contract=contract, unit=unit, created_by=actor)
        plan.kind, plan.title = kind, title
        plan.shared = bool(fields.get("shared", True))
        plan.enrolment = enrolment
        plan.coordinator, plan.meeting_on = coordinator, fields.get("meeting_on")
        for name, value in texts.items():
            setattr(plan, name, value)
        plan.save()
        _revise(contract, actor=actor, unit=unit, summary=_("Plan saved: %(title)s") % {"title": title})
        _log(actor, contract, unit)
        audit_event_write(actor=actor, action="contract.plan", obj=plan, unit=unit, data={"kind": kind})
    return plan


def plan_member_add(
    *, actor, plan: Plan, name: str, role: str, organisation: str = "", contact: str = ""
) -> PlanMember:
    """Add a SIP participant from outside Fyren's care units (social services,
    home care, next of kin), by name and role."""
    name = typed_text(name, limit=200, field="name").strip()
    role = typed_text(role, limit=200, field="role").strip()
    if not name or not role:
        raise ValidationError({"name" if not name else "role": _("Give the name and the role.")})
    organisation = typed_text(organisation, limit=200, field="organisation").strip()
    contact = typed_text(contact, limit=200, field="contact").strip()
    with transaction.atomic():
        contract = _locked(plan.contract)
        _participating_clinician(actor, contract, plan.unit)
        member = PlanMember.objects.create(plan=plan, name=name, role=role, organisation=organisation, contact=contact)
        _revise(
            contract,
            actor=actor,
            unit=plan.unit,
            summary=_("%(name)s joins %(plan)s") % {"name": name, "plan": plan.title},
        )
        _log(actor, contract, plan.unit)
    return member


def goal_save(
    *,
    actor,
    contract: Contract,
    unit,
    text: str,
    plan: Plan | None = None,
    instrument_code: str = "",
    comparison: str = "",
    target_value=None,
    status: str = Goal.Status.ACTIVE,
    goal: Goal | None = None,
    measurement: tuple | None = None,
) -> Goal:
    """Add or change a goal in the patient's own words. A measurable goal names
    a questionnaire of the library, or a measurement the patient enters in one
    of their programs at the unit (``measurement``: enrolment and element), with
    at most/at least and the target value."""
    text = typed_text(text, limit=500, field="text").strip()
    if not text:
        raise ValidationError({"text": _("Write the goal, in the patient's own words.")})
    if status not in Goal.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    instrument_code = (instrument_code or "").strip().lower()
    enrolment, element = measurement or (None, None)
    if instrument_code and element is not None:
        raise ValidationError({"instrument_code": _("Measure the goal by a questionnaire or a measurement, not both.")})
    if element is not None and (
        element.kind != MEASUREMENT
        or element.version_id != enrolment.program_version_id
        or enrolment.citizen_id != contract.citizen_id
        or enrolment.unit_id != unit.pk
    ):
        raise ValidationError({"measurement": _("Choose a measurement in one of the patient's programs here.")})
    if instrument_code or element is not None:
        if instrument_code:
            try:
                definition_for(instrument_code, region=unit.region)
            except Http404:
                raise ValidationError({"instrument_code": _("Choose a questionnaire of the library.")}) from None
        if comparison not in Goal.Comparison.values or target_value in (None, ""):
            raise ValidationError({"target_value": _("Give the target: at most or at least, and the score.")})
        target_value = Decimal(str(target_value))
    else:
        comparison, target_value = "", None
    with transaction.atomic():
        contract = _locked(contract)
        _participating_clinician(actor, contract, unit)
        if goal is not None and (goal.contract_id != contract.pk or goal.unit_id != unit.pk):
            raise PermissionDenied
        if plan is not None and plan.contract_id != contract.pk:
            raise PermissionDenied
        goal = goal or Goal(contract=contract, unit=unit, created_by=actor)
        goal.text, goal.plan, goal.status = text, plan, status
        goal.instrument_code, goal.comparison, goal.target_value = instrument_code, comparison, target_value
        goal.measurement_enrolment = enrolment
        goal.measurement_key = element.key if element is not None else None
        goal.measurement_label = measurement_label(element) if element is not None else ""
        goal.save()
        _revise(contract, actor=actor, unit=unit, summary=_("Goal: %(text)s") % {"text": text})
        _log(actor, contract, unit)
    return goal


def activity_save(
    *,
    actor,
    contract: Contract,
    unit,
    what: str,
    how: str,
    who_role: str = "",
    who_person=None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    recurrence: str = "",
    goal: Goal | None = None,
    plan: Plan | None = None,
    enrolment: Enrolment | None = None,
    status: str = "planned",
    activity: Activity | None = None,
    booking=None,
) -> Activity:
    """Add or change an activity: what, how, who (a role, or a named person of
    the unit) and when (a date, a period, or how often); optionally the booked
    visit of the patient at the unit that carries it out."""
    what = typed_text(what, limit=300, field="what").strip()
    if not what:
        raise ValidationError({"what": _("Say what is to be done.")})
    if how not in Activity.How.values:
        raise ValidationError({"how": _("Choose how.")})
    if status not in Activity.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    who_role = typed_text(who_role, limit=100, field="who_role").strip()
    recurrence = typed_text(recurrence, limit=100, field="recurrence").strip()
    if not who_role and who_person is None:
        raise ValidationError({"who_role": _("Say who: a role, or a named person.")})
    if who_person is not None and not has_role(who_person, Role.CLINICIAN, unit):
        raise ValidationError({"who_person": _("Choose a clinician of your unit.")})
    if ends_on is not None and (starts_on is None or ends_on < starts_on):
        raise ValidationError({"ends_on": _("A period needs a first date, and ends after it.")})
    with transaction.atomic():
        contract = _locked(contract)
        _participating_clinician(actor, contract, unit)
        for linked in (goal, plan):
            if linked is not None and linked.contract_id != contract.pk:
                raise PermissionDenied
        if activity is not None and (activity.contract_id != contract.pk or activity.unit_id != unit.pk):
            raise PermissionDenied
        if enrolment is not None and enrolment.citizen_id != contract.citizen_id:
            raise ValidationError({"enrolment": _("Choose a program of this patient.")})
        if booking is not None and (booking.citizen_id != contract.citizen_id or booking.unit_id != unit.pk):
            raise ValidationError({"visit": _("Choose a visit of this patient at your unit.")})
        activity = activity or Activity(contract=contract, unit=unit, created_by=actor)
        activity.what, activity.how, activity.who_role, activity.who_person = what, how, who_role, who_person
        activity.starts_on, activity.ends_on, activity.recurrence = starts_on, ends_on, recurrence
        activity.goal, activity.plan, activity.enrolment, activity.status = goal, plan, enrolment, status
        activity.booking = booking
        activity.save()
        _revise(contract, actor=actor, unit=unit, summary=_("Activity: %(what)s") % {"what": what})
        _log(actor, contract, unit)
    return activity


def goal_status_set(*, actor, goal: Goal, unit, status: str) -> Goal:
    """Mark a goal of the unit reached, dropped or worked on again (a new revision)."""
    return _status_set(actor, goal, unit, status, Goal.Status.values, _("Goal: %(text)s") % {"text": goal.text})


def activity_status_set(*, actor, activity: Activity, unit, status: str) -> Activity:
    """Mark an activity of the unit done, cancelled or planned (a new revision)."""
    summary = _("Activity: %(what)s") % {"what": activity.what}
    return _status_set(actor, activity, unit, status, Activity.Status.values, summary)


def _status_set(actor, obj, unit, status: str, allowed, summary: str):
    if status not in allowed:
        raise ValidationError({"status": _("Choose a status.")})
    with transaction.atomic():
        contract = _locked(obj.contract)
        _participating_clinician(actor, contract, unit)
        if obj.contract_id != contract.pk or obj.unit_id != unit.pk:
            raise PermissionDenied
        if obj.status != status:
            obj.status = status
            obj.save(update_fields=["status"])
            _revise(contract, actor=actor, unit=unit, summary=summary)
            _log(actor, contract, unit)
    return obj


# --- the citizen's side ---------------------------------------------------------------------


def _citizen_side(actor, contract: Contract) -> None:
    if not may_act_for(actor, contract.citizen):
        raise PermissionDenied


def priorities_set(*, actor, contract: Contract, text: str) -> Contract:
    """The patient (or their guardian or proxy) writes what matters most to them."""
    text = typed_text(text, limit=2000, field="priorities").strip()
    with transaction.atomic():
        contract = _locked(contract)
        _citizen_side(actor, contract)
        if contract.priorities == text:
            return contract
        contract.priorities = text
        _revise(contract, actor=actor, unit=None, summary=_("The patient's priorities"))
        audit_event_write(actor=actor, action="contract.priorities", obj=contract)
    return contract


def contract_seen(*, actor, contract: Contract) -> int | None:
    """Remember the revision the reader has now seen; return the one seen before (None: first look)."""
    seen = Seen.objects.filter(contract=contract, user=actor).first()
    before = seen.number if seen else None
    if seen is None:
        try:
            with transaction.atomic():
                Seen.objects.create(contract=contract, user=actor, number=contract.revision)
        except IntegrityError:
            pass
    elif seen.number != contract.revision:
        Seen.objects.filter(pk=seen.pk).update(number=contract.revision, seen_at=timezone.now())
    return before


def contract_agree(*, actor, contract: Contract, number: int) -> Agreement:
    """The patient agrees to the revision they read. Only the latest revision can
    be agreed to (the page said which); agreeing twice records it once."""
    with transaction.atomic():
        contract = _locked(contract)
        _citizen_side(actor, contract)
        if int(number) != contract.revision:
            raise ValidationError(
                _("The plan has changed since you opened the page. Read the changes and agree again.")
            )
        revision = Revision.objects.get(contract=contract, number=contract.revision)
        agreement, created = Agreement.objects.get_or_create(revision=revision, agreed_by=actor)
        if created:
            audit_event_write(actor=actor, action="contract.agree", obj=contract, data={"revision": revision.number})
    return agreement


def comment_add(*, actor, contract: Contract, text: str, client_token, goal=None, activity=None, unit=None) -> Comment:
    """The patient comments on the plan, a goal or an activity. The comment is
    sent as a message to the unit concerned (the goal's or activity's unit, or
    the chosen one), in its inbox; urgent words raise a flag as in any message.
    The same form sent twice (``client_token``) makes one comment."""
    token = uuid.UUID(str(client_token))
    earlier = Comment.objects.filter(client_token=token).first()
    if earlier is not None:
        if earlier.contract_id != contract.pk:
            raise PermissionDenied
        return earlier
    text = typed_text(text, limit=MAX_TEXT, field="text").strip()
    if not text:
        raise ValidationError({"text": _("Write your comment.")})
    about = goal or activity
    if about is not None and about.contract_id != contract.pk:
        raise PermissionDenied
    target_unit = about.unit if about is not None else unit
    with transaction.atomic():
        contract = _locked(contract)
        _citizen_side(actor, contract)
        participant = (
            Participant.objects.select_for_update()
            .filter(contract=contract, unit=target_unit, status=Participant.Status.ACCEPTED)
            .first()
            if target_unit is not None
            else None
        )
        if participant is None:
            raise ValidationError({"unit": _("Choose a unit that takes part in your plan.")})
        if participant.thread is None:
            participant.thread = thread_for_subject(
                citizen=contract.citizen, unit=target_unit, subject=_("Comments on the care plan")
            )
            participant.save(update_fields=["thread"])
        if goal is not None:
            body = _("About the goal “%(about)s”:") % {"about": goal.text} + "\n\n" + text
        elif activity is not None:
            body = _("About the activity “%(about)s”:") % {"about": activity.what} + "\n\n" + text
        else:
            body = _("About the care plan:") + "\n\n" + text
        message = message_send(actor=actor, thread=participant.thread, body=body, from_citizen=True, client_token=token)
        comment = Comment.objects.create(
            contract=contract,
            goal=goal,
            activity=activity,
            unit=target_unit,
            author=actor,
            text=text,
            message=message,
            client_token=token,
        )
        audit_event_write(actor=actor, action="contract.comment", obj=comment, unit=target_unit)
    return comment


# --- the unit's routine ---------------------------------------------------------------------


def routine_save(*, actor, unit, text: str, reviewed_on: dt.date) -> FixedContactRoutine:
    """The unit's enrolment admin writes its routine for appointing a fixed care contact."""
    text = typed_text(text, limit=MAX_TEXT, field="text").strip()
    if not text:
        raise ValidationError({"text": _("Write the routine.")})
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": _("The review date cannot lie in the future.")})
    with transaction.atomic():
        if not has_role(actor, Role.ENROLMENT_ADMIN, unit):
            raise PermissionDenied
        routine, _created = FixedContactRoutine.objects.update_or_create(
            unit=unit,
            defaults={"text": text, "reviewed_on": reviewed_on, "updated_by": actor, "updated_at": timezone.now()},
        )
        audit_event_write(
            actor=actor,
            action="unit.fixed_contact_routine",
            obj=routine,
            unit=unit,
            data={"reviewed_on": str(reviewed_on)},
        )
    return routine

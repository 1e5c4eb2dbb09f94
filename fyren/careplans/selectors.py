"""Reads of patient contracts. Staff see a contract only for a unit that takes
part in it (an invited unit sees the invitation: the patient's name, who
invites and why), and only the content of the plans shared with every unit
or held by their own; each read is logged. The citizen (and their guardians
and proxies) see all of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from fyren.accounts.permissions import care_role, has_role
from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry
from fyren.audit.selectors import read_logged_or_404
from fyren.audit.services import access_log_write_many
from fyren.booking.selectors import current_of
from fyren.care.models import ElementAnswer, Enrolment
from fyren.instruments.scoring import primary_score_id
from fyren.organisations.models import CareUnit
from fyren.people.selectors import citizen_for_user_or_404
from fyren.programs.elements import MEASUREMENT
from fyren.programs.models import Element
from fyren.questionnaires.models import Response

from . import revisions
from .models import Activity, Comment, Contract, FixedContact, Goal, Participant, Plan, Revision, Seen


@dataclass
class GoalProgress:
    value: float | None
    at: dt.datetime | None
    reached: bool | None


def _load(contract: Contract, *, unit=None) -> Contract:
    """Everything the contract page shows, in a fixed number of queries. With
    ``unit`` (a staff reader), plans not shared and held by another unit keep
    only their title and unit, and their goals and activities are left out."""
    contract.participant_list = list(
        Participant.objects.filter(contract=contract).select_related("unit", "invited_by", "answered_by")
    )
    contract.contact_list = list(
        FixedContact.objects.filter(contract=contract).select_related("unit", "person").order_by("unit__name")
    )
    plans = list(
        Plan.objects.filter(contract=contract)
        .select_related("unit", "enrolment__program_version")
        .prefetch_related("members")
    )
    hidden = {p.pk for p in plans if unit is not None and not p.shared and p.unit_id != unit.pk}
    for plan in plans:
        plan.hidden = plan.pk in hidden
    contract.plan_list = plans
    contract.goal_list = [
        g
        for g in Goal.objects.filter(contract=contract).select_related("unit", "plan", "measurement_enrolment")
        if g.plan_id not in hidden
    ]
    contract.activity_list = [
        a
        for a in Activity.objects.filter(contract=contract)
        .select_related("unit", "who_person", "goal", "plan", "enrolment__program_version", "booking__slot")
        .order_by("status", "starts_on", "created_at")
        if a.plan_id not in hidden
    ]
    for activity in contract.activity_list:
        # The visit as it stands now: a rebooking moved it along the chain.
        activity.visit = current_of(activity.booking) if activity.booking else None
    contract.comment_list = list(
        Comment.objects.filter(contract=contract).select_related("unit", "author", "goal", "activity")
    )
    _progress(contract)
    return contract


def _progress(contract: Contract) -> None:
    """The latest score of each measurable goal's questionnaire, and whether it meets the target."""
    _measured(contract)
    codes = {g.instrument_code for g in contract.goal_list if g.instrument_code}
    latest: dict[str, Response] = {}
    if codes:
        for response in Response.objects.filter(
            citizen_id=contract.citizen_id, instrument_code__in=codes, status=Response.Status.COMPLETED
        ).order_by("-submitted_at"):
            latest.setdefault(response.instrument_code, response)
    for goal in contract.goal_list:
        if goal.measurement_key:
            continue
        goal.progress = None
        found = latest.get(goal.instrument_code)
        if found is None or goal.target_value is None:
            continue
        score_id = primary_score_id(found.definition)
        value = found.scores.get(score_id) if score_id else None
        if value is None:
            continue
        target = float(goal.target_value)
        reached = value <= target if goal.comparison == Goal.Comparison.AT_MOST else value >= target
        goal.progress = GoalProgress(value, found.submitted_at, reached)


@dataclass(frozen=True)
class ProgramHere:
    enrolment: Enrolment
    measurements: list[Element]


def programs_here(contract: Contract, unit) -> list[ProgramHere]:
    """The patient's open programs at the unit (to link an activity or a plan),
    each with its measurement elements for measurable goals."""
    enrolments = list(
        Enrolment.objects.filter(citizen_id=contract.citizen_id, unit=unit, status__in=Enrolment.OPEN_STATUSES)
        .select_related("program_version")
        .order_by("started_at")
    )
    by_version: dict[int, list[Element]] = {}
    for element in (
        Element.objects.filter(version_id__in={e.program_version_id for e in enrolments}, kind=MEASUREMENT)
        .select_related("version")
        .order_by("position")
    ):
        by_version.setdefault(element.version_id, []).append(element)
    return [ProgramHere(e, by_version.get(e.program_version_id, [])) for e in enrolments]


def _measured(contract: Contract) -> None:
    """Progress of goals measured by a measurement: the value the patient last entered."""
    goals = [g for g in contract.goal_list if g.measurement_key]
    answers: dict[tuple[int, Any], ElementAnswer] = {
        (a.enrolment_id, a.element_key): a
        for a in ElementAnswer.objects.filter(
            enrolment_id__in={g.measurement_enrolment_id for g in goals},
            element_key__in={g.measurement_key for g in goals},
        )
    }
    for goal in goals:
        goal.progress = None
        answer = answers.get((goal.measurement_enrolment_id or 0, goal.measurement_key))
        value = (answer.value or {}).get("value") if answer is not None else None
        if value is None or goal.target_value is None:
            continue
        target = float(goal.target_value)
        reached = value <= target if goal.comparison == Goal.Comparison.AT_MOST else value >= target
        goal.progress = GoalProgress(value, answer.updated_at if answer else None, reached)


def upcoming(contract: Contract, *, today: dt.date | None = None) -> list[Activity]:
    """Planned activities, the next ones first (those without a date last)."""
    today = today or timezone.localdate()
    planned = [a for a in contract.activity_list if a.status == Activity.Status.PLANNED]
    return sorted(
        planned,
        key=lambda a: (a.starts_on is None, (a.ends_on or a.starts_on or today) < today, a.starts_on or dt.date.max),
    )


# --- staff ----------------------------------------------------------------------------------


def contract_for_clinician_or_404(*, actor, unit, contract_id) -> Contract:
    """The contract, for a clinician of a unit taking part in it (logged)."""
    contract = read_logged_or_404(
        Contract.objects.filter(
            pk=contract_id, participants__unit=unit, participants__status=Participant.Status.ACCEPTED
        ).select_related("citizen", "started_unit"),
        actor=actor,
        role=Role.CLINICIAN if has_role(actor, Role.CLINICIAN, unit) else "",
        unit=unit,
        object_type="patient_contract",
    )
    _load(contract, unit=unit)
    contract.revision_list = list(
        Revision.objects.filter(contract=contract)
        .select_related("created_by", "unit")
        .prefetch_related(Prefetch("agreements", to_attr="agreement_list"))[:20]
    )
    return contract


def contract_as_seen_by(contract: Contract, *, unit=None) -> Contract:
    """The contract with its parts loaded as ``unit`` may see them (None: the
    citizen's own view), for a reader whose access is checked and logged already
    (the FHIR server)."""
    return _load(contract, unit=unit)


def contract_of_patient(*, unit, citizen) -> tuple[Contract | None, str | None]:
    """The patient's contract and this unit's part in it (status or None), for the
    patient page of a clinician who has already read the patient (logged there)."""
    contract = Contract.objects.filter(citizen=citizen).first()
    if contract is None:
        return None, None
    status = Participant.objects.filter(contract=contract, unit=unit).values_list("status", flat=True).first()
    return contract, status


def invitations_for(*, actor, unit) -> list[Participant]:
    """Invitations waiting for the unit's answer (one read logged per patient)."""
    role = care_role(actor, unit)
    if not role:
        return []
    invitations = list(
        Participant.objects.filter(unit=unit, status=Participant.Status.INVITED)
        .select_related("contract__citizen", "contract__started_unit", "invited_by")
        .order_by("invited_at")
    )
    access_log_write_many(
        actor=actor,
        citizens=[p.contract.citizen for p in invitations],
        action=AccessLogEntry.Action.READ,
        object_type="contract_invitation",
        role=role,
        unit=unit,
    )
    inviter_units: dict[int, list[CareUnit]] = {p.contract_id: [] for p in invitations}
    for other in Participant.objects.filter(
        contract_id__in=list(inviter_units), status=Participant.Status.ACCEPTED
    ).select_related("unit"):
        inviter_units[other.contract_id].append(other.unit)
    for p in invitations:
        p.taking_part = inviter_units[p.contract_id]
    return invitations


def invitation_for_unit_or_404(*, actor, unit, participant_id) -> Participant:
    return read_logged_or_404(
        Participant.objects.filter(pk=participant_id, unit=unit, status=Participant.Status.INVITED).select_related(
            "contract__citizen", "unit"
        ),
        actor=actor,
        role=care_role(actor, unit),
        unit=unit,
        object_type="contract_invitation",
        citizen_of=lambda participant: participant.contract.citizen,
    )


# --- the citizen ----------------------------------------------------------------------------


def contract_for_citizen_user_or_404(user, citizen_id) -> Contract:
    """The contract of the logged-in citizen, or of someone they act for."""
    citizen = citizen_for_user_or_404(user, citizen_id)
    contract = Contract.objects.filter(citizen=citizen).first()
    if contract is None:
        raise Http404
    contract.citizen = citizen
    _load(contract)
    contract.participant_list = [p for p in contract.participant_list if p.status == Participant.Status.ACCEPTED]
    latest = Revision.objects.filter(contract=contract, number=contract.revision).select_related("unit").first()
    contract.latest = latest
    contract.agreed = latest is not None and latest.agreements.filter(agreed_by=user).exists()
    contract.last_agreed = (
        Revision.objects.filter(contract=contract, agreements__agreed_by=user).order_by("-number").first()
    )
    return contract


def changes_since_seen(contract: Contract, user) -> tuple[int | None, list[revisions.Change]]:
    """The revision this reader saw last and what changed since (empty when nothing did)."""
    seen = Seen.objects.filter(contract=contract, user=user).values_list("number", flat=True).first()
    if seen == contract.revision or contract.latest is None:
        return seen, []
    old = (
        None
        if seen is None
        else Revision.objects.filter(contract=contract, number=seen).values_list("snapshot", flat=True).first()
    )
    return seen, revisions.changes(old, contract.latest.snapshot)


def changes_since_agreed(contract: Contract) -> list[revisions.Change]:
    """While the reader is asked to agree: what changed since the version they
    last agreed to (everything, when they never agreed). Empty once they agree."""
    if contract.agreed or contract.latest is None:
        return []
    old = contract.last_agreed.snapshot if contract.last_agreed is not None else None
    return revisions.changes(old, contract.latest.snapshot)


def citizens_with_contract(citizens) -> set[int]:
    """Which of these citizens have a contract (for links on the start page)."""
    return set(Contract.objects.filter(citizen__in=citizens).values_list("citizen_id", flat=True))


# For readers that scope to a token's access and log what they return themselves
# (the FHIR server, fyren/api/fhir.py): ``units`` is the reader's units, or None
# when a citizen reads their own.


def contracts_for_reader(citizens, units=None):
    """Patient contracts of the citizens; for units, those in which one of them takes part."""
    qs = Contract.objects.filter(citizen__in=citizens)
    if units is not None:
        qs = qs.filter(participants__unit__in=units, participants__status="accepted").distinct()
    return qs


def contracts_holding_plans(plan_ids):
    return Contract.objects.filter(plans__pk__in=plan_ids).values("pk")


# --- revisions -------------------------------------------------------------------------


def _who(user) -> str:
    return user.get_full_name() or user.username if user is not None else ""


def _target_label(goal: Goal) -> str:
    if goal.target_value is None:
        return ""
    if goal.measurement_key:
        return f"{goal.measurement_label} {goal.comparison} {goal.target_value.normalize():f}"
    if not goal.instrument_code:
        return ""
    # Language-neutral: a snapshot is compared, not shown, and readers have their own language.
    return f"{goal.instrument_code} {goal.comparison} {goal.target_value.normalize():f}"


def _when_label(activity: Activity) -> str:
    parts = []
    if activity.starts_on:
        parts.append(activity.starts_on.isoformat())
    if activity.ends_on:
        parts.append("– " + activity.ends_on.isoformat())
    if activity.recurrence:
        parts.append(activity.recurrence)
    return " ".join(parts)


def contract_snapshot(contract: Contract) -> dict:
    """The whole contract as plain data (what a revision stores)."""
    participants = Participant.objects.filter(contract=contract).select_related("unit")
    contacts = FixedContact.objects.filter(contract=contract).select_related("unit", "person")
    plans = Plan.objects.filter(contract=contract).select_related("unit").prefetch_related("members")
    goals = Goal.objects.filter(contract=contract).select_related("unit")
    activities = Activity.objects.filter(contract=contract).select_related("unit", "who_person")
    return {
        "priorities": contract.priorities,
        "units": {str(p.unit_id): {"name": p.unit.name, "status": p.status} for p in participants},
        "contacts": {
            str(c.unit_id): {"unit": c.unit.name, "person": _who(c.person), "reach": c.how_to_reach} for c in contacts
        },
        "plans": {
            str(p.pk): {
                "title": p.title,
                "kind": p.kind,
                "unit": p.unit.name,
                "treatment": p.treatment,
                "rehabilitation": p.rehabilitation,
                "self_care": p.self_care,
                "meeting_on": p.meeting_on.isoformat() if p.meeting_on else "",
                "coordinator": p.coordinator,
                "decisions": p.decisions,
                "members": [f"{m.name} ({m.role})" for m in p.members.all()],
            }
            for p in plans
        },
        "goals": {
            str(g.pk): {"text": g.text, "unit": g.unit.name, "target": _target_label(g), "status": g.status}
            for g in goals
        },
        "activities": {
            str(a.pk): {
                "what": a.what,
                "how": a.how,
                "unit": a.unit.name,
                "who": _who(a.who_person) or a.who_role,
                "when": _when_label(a),
                "status": a.status,
            }
            for a in activities
        },
    }

"""Care episodes and patient contracts as FHIR R4: EpisodeOfCare (its status
history carries the measurement points A–G and the pauses), ServiceRequest
(care requests), CarePlan with activities for the contract and each plan under
it, Goal, and CareTeam with the fixed care contacts. Pure mapping over rows
already read through the logged selectors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from fyren.instruments.fhir import base_url

HSA = "urn:oid:1.2.752.29.4.19"

# Each point's place in the R4 EpisodeOfCare status: before the position on the
# request the patient waits; from D the unit works; G ends it.
POINT_STATUS = {
    "A": "planned",
    "B": "waitlist",
    "C": "active",
    "D": "active",
    "E": "active",
    "F": "active",
    "G": "finished",
}
EPISODE_STATUS = {"requested": "waitlist", "open": "active", "declined": "cancelled", "ended": "finished"}
REQUEST_STATUS = {"sent": "active", "accepted": "completed", "declined": "revoked"}
GOAL_STATUS = {"active": "active", "reached": "completed", "dropped": "cancelled"}
ACTIVITY_STATUS = {"planned": "scheduled", "done": "completed", "cancelled": "cancelled"}

Ref = Callable[[str, object], str]


def _system(name: str) -> str:
    return f"{base_url()}/fhir/CodeSystem/{name}"


def _extension(name: str) -> str:
    return f"{base_url()}/fhir/StructureDefinition/{name}"


def organisation(unit) -> dict:
    return {"identifier": {"system": HSA, "value": unit.hsa_id}, "display": unit.name}


def _instant(value) -> str:
    return value.isoformat()


def episode_entries(episode, *, ref: Ref, patient_ref: str) -> list[dict]:
    """The EpisodeOfCare, and the ServiceRequest when a care request opened it."""
    codes = {}
    if episode.pathway is not None:
        codes = {(c.year, c.point): c.code for c in episode.pathway.codes.all()}
    points = sorted(episode.points.all(), key=lambda p: p.point)
    history = []
    for i, point in enumerate(points):
        period = {"start": _instant(point.at)}
        if i + 1 < len(points):
            period["end"] = _instant(points[i + 1].at)
        extensions = [
            {
                "url": _extension("measurement-point"),
                "valueCoding": {
                    "system": _system("measurement-point"),
                    "code": point.point,
                    "display": point.get_point_display(),
                },
            }
        ]
        code = codes.get((timezone.localtime(point.at).year, point.point))
        if code:
            extensions.append(
                {
                    "url": _extension("pathway-point-code"),
                    "valueCoding": {"system": _system(f"pathway-codes/{episode.pathway_id}"), "code": code},
                }
            )
        history.append({"extension": extensions, "status": POINT_STATUS[point.point], "period": period})
    for pause in episode.pauses.all():
        period = {"start": pause.starts_on.isoformat()}
        if pause.ends_on:
            period["end"] = pause.ends_on.isoformat()
        history.append(
            {
                "extension": [
                    {
                        "url": _extension("pause-kind"),
                        "valueCoding": {
                            "system": _system("pause-kind"),
                            "code": pause.kind,
                            "display": pause.get_kind_display(),
                        },
                    }
                ],
                "status": "onhold",
                "period": period,
            }
        )
    resource: dict[str, Any] = {
        "resourceType": "EpisodeOfCare",
        "identifier": [{"system": f"{base_url()}/episode", "value": str(episode.pk)}],
        "status": EPISODE_STATUS[episode.status],
        "patient": {"reference": patient_ref},
        "managingOrganization": organisation(episode.unit),
        "period": {"start": _instant(points[0].at if points else episode.opened_at)},
    }
    if history:
        resource["statusHistory"] = history
    if episode.closed_at:
        resource["period"]["end"] = _instant(episode.closed_at)
    if episode.pathway is not None:
        resource["type"] = [{"text": episode.pathway.name}]
    entries = []
    request = getattr(episode, "care_request", None)
    if request is not None:
        resource["referralRequest"] = [{"reference": ref("care-request", request.pk)}]
        entries.append(
            {"fullUrl": ref("care-request", request.pk), "resource": service_request(request, patient_ref=patient_ref)}
        )
    entries.insert(0, {"fullUrl": ref("episode", episode.pk), "resource": resource})
    return entries


def service_request(request, *, patient_ref: str) -> dict:
    resource = {
        "resourceType": "ServiceRequest",
        "identifier": [{"system": f"{base_url()}/care-request", "value": str(request.pk)}],
        "status": REQUEST_STATUS[request.status],
        "intent": "order",
        "category": [
            {"coding": [{"system": "http://snomed.info/sct", "code": "3457005", "display": "Patient referral"}]}
        ],
        "subject": {"reference": patient_ref},
        "authoredOn": _instant(request.decided_to_send_at),
        "requester": organisation(request.from_unit),
        "performer": [organisation(request.to_unit)],
        "reasonCode": [{"text": request.reason}],
    }
    if request.decline_reason:
        resource["note"] = [{"text": request.decline_reason}]
    return resource


def _goal(goal, *, patient_ref: str) -> dict:
    resource: dict[str, Any] = {
        "resourceType": "Goal",
        "lifecycleStatus": GOAL_STATUS[goal.status],
        "description": {"text": goal.text},
        "subject": {"reference": patient_ref},
        "expressedBy": {"reference": patient_ref},
    }
    if (goal.instrument_code or goal.measurement_key) and goal.target_value is not None:
        value = {"value": float(goal.target_value)}
        resource["target"] = [
            {
                "measure": {"text": goal.measurement_label or goal.instrument_code.upper()},
                "detailRange": {"high": value} if goal.comparison == "at_most" else {"low": value},
            }
        ]
    return resource


def _activity(activity, *, ref: Ref, appointments: frozenset[int]) -> dict:
    detail = {
        "status": ACTIVITY_STATUS[activity.status],
        "code": {
            "coding": [{"system": _system("activity-how"), "code": activity.how, "display": activity.get_how_display()}]
        },
        "description": activity.what,
        "performer": [
            {
                "display": f"{activity.unit.name}: "
                + (activity.who_person.get_full_name() if activity.who_person else activity.who_role)
            }
        ],
    }
    if activity.starts_on and activity.ends_on:
        detail["scheduledPeriod"] = {"start": activity.starts_on.isoformat(), "end": activity.ends_on.isoformat()}
    elif activity.starts_on:
        detail["scheduledPeriod"] = {"start": activity.starts_on.isoformat()}
    elif activity.recurrence:
        detail["scheduledString"] = activity.recurrence
    found = {"detail": detail}
    visit = getattr(activity, "visit", None)
    if visit is not None and visit.pk in appointments:
        # The booked visit that carries the activity out (an Appointment of the same bundle).
        found["reference"] = {"reference": ref("appointment", visit.pk)}
    return found


def contract_entries(contract, *, ref: Ref, patient_ref: str, appointments=frozenset()) -> list[dict]:
    """The contract as a CarePlan with its goals, activities and care team, and
    one CarePlan per plan under it (part of the contract). ``contract`` comes
    from a selector that has left out what the reading unit may not see. An
    activity at a visit refers to its Appointment when ``appointments`` (the
    booking ids in the same bundle) holds it."""
    contract_ref = ref("contract", contract.pk)
    team_ref = ref("contract-team", contract.pk)
    entries = []
    goal_refs = {}
    for goal in contract.goal_list:
        goal_refs[goal.pk] = ref("goal", goal.pk)
        entries.append({"fullUrl": goal_refs[goal.pk], "resource": _goal(goal, patient_ref=patient_ref)})
    participants = []
    for p in contract.participant_list:
        if p.status != "accepted":
            continue
        contact = next((c for c in contract.contact_list if c.unit_id == p.unit_id), None)
        if contact is not None:
            participants.append(
                {
                    "role": [{"text": "Fast vårdkontakt / fixed care contact"}],
                    "member": {"display": contact.person.get_full_name()},
                    "onBehalfOf": organisation(p.unit),
                }
            )
    for plan in contract.plan_list:
        if plan.hidden:
            continue
        for member in plan.members.all():
            participants.append({"role": [{"text": member.role}], "member": {"display": member.name}})
    team = {
        "resourceType": "CareTeam",
        "status": "active",
        "name": "Patientkontrakt / patient contract",
        "subject": {"reference": patient_ref},
        "managingOrganization": [organisation(p.unit) for p in contract.participant_list if p.status == "accepted"],
    }
    if participants:
        team["participant"] = participants
    entries.append({"fullUrl": team_ref, "resource": team})
    careplan = {
        "resourceType": "CarePlan",
        "identifier": [{"system": f"{base_url()}/contract", "value": f"{contract.pk}-{contract.revision}"}],
        "status": "active",
        "intent": "plan",
        "title": "Patientkontrakt",
        "description": contract.priorities or "Patientkontrakt / patient contract",
        "subject": {"reference": patient_ref},
        "period": {"start": _instant(contract.started_at)},
        "created": _instant(contract.started_at),
        "careTeam": [{"reference": team_ref}],
        "author": organisation(contract.started_unit),
    }
    if goal_refs:
        careplan["goal"] = [{"reference": r} for r in goal_refs.values()]
    if contract.activity_list:
        careplan["activity"] = [
            _activity(a, ref=ref, appointments=frozenset(appointments)) for a in contract.activity_list
        ]
    entries.append({"fullUrl": contract_ref, "resource": careplan})
    for plan in contract.plan_list:
        if plan.hidden:
            continue
        text = "\n\n".join(
            part for part in (plan.treatment, plan.rehabilitation, plan.self_care, plan.decisions) if part
        )
        sub = {
            "resourceType": "CarePlan",
            "status": "active",
            "intent": "plan",
            "category": [
                {"coding": [{"system": _system("plan-kind"), "code": plan.kind, "display": plan.get_kind_display()}]}
            ],
            "title": plan.title,
            "subject": {"reference": patient_ref},
            "partOf": [{"reference": contract_ref}],
            "author": organisation(plan.unit),
        }
        if text:
            sub["description"] = text
        entries.append({"fullUrl": ref("plan", plan.pk), "resource": sub})
    return entries

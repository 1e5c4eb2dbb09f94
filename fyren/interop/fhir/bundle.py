"""The journal export as a FHIR R4 Bundle (type collection): Patient, CarePlan for
the enrolment, QuestionnaireResponse and Observation for scores, Communication
for messages, and DocumentReference for the journal note."""

from __future__ import annotations

import base64
import uuid

from django.utils import timezone

from .booking import booking_entries
from .careplans import contract_entries, episode_entries
from .questionnaire import (
    PERSONNUMMER,
    SAMORDNINGSNUMMER,
    base_url,
    observations_for,
    response_to_fhir,
)

CAREPLAN_STATUS = {
    "offered": "draft",
    "active": "active",
    "maintenance": "active",
    "completed": "completed",
    "discontinued": "revoked",
    "handed_over": "completed",
}
GENDER = {"F": "female", "M": "male"}


def _urn(kind: str, key) -> str:
    # Stable within Fyren: the same object always gets the same id in every export.
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{base_url()}/{kind}/{key}')}"


def patient_resource(citizen) -> dict:
    system = SAMORDNINGSNUMMER if citizen.identity_kind == "samordningsnummer" else PERSONNUMMER
    resource = {
        "resourceType": "Patient",
        "identifier": [{"system": system, "value": citizen.identity_number}],
        "name": [{"family": citizen.family_name, "given": [citizen.given_name]}],
    }
    if citizen.birth_date:
        resource["birthDate"] = citizen.birth_date.isoformat()
    gender = GENDER.get(getattr(citizen, "legal_sex", ""))
    if gender:
        resource["gender"] = gender
    return resource


def journal_bundle(summary, *, note: str, export, unit, episodes=(), contract=None, bookings=()) -> dict:
    """The whole period as one Bundle; references point at the bundle's own entries.
    ``episodes`` (the patient's care episodes at the unit) and ``contract`` (the
    patient contract as the unit may see it) add EpisodeOfCare, ServiceRequest,
    CarePlan, Goal and CareTeam; ``bookings`` (the patient's visits at the unit)
    Schedule, Slot and Appointment."""
    enrolment = summary.enrolment
    citizen = enrolment.citizen
    patient_ref = _urn("patient", citizen.pk)
    careplan_ref = _urn("enrolment", enrolment.pk)
    organisation = {"identifier": {"system": "urn:oid:1.2.752.29.4.19", "value": unit.hsa_id}, "display": unit.name}
    entries = [{"fullUrl": patient_ref, "resource": patient_resource(citizen)}]

    careplan = {
        "resourceType": "CarePlan",
        "status": CAREPLAN_STATUS.get(enrolment.status, "unknown"),
        "intent": "plan",
        "title": summary.program,
        "description": f"Fyren: {summary.program}",
        "subject": {"reference": patient_ref},
        "period": {"start": enrolment.started_at.isoformat()},
        "author": organisation,
    }
    if enrolment.ended_at:
        careplan["period"]["end"] = enrolment.ended_at.isoformat()
    entries.append({"fullUrl": careplan_ref, "resource": careplan})
    for episode in episodes:
        entries.extend(episode_entries(episode, ref=_urn, patient_ref=patient_ref))
    if contract is not None:
        entries.extend(
            contract_entries(
                contract, ref=_urn, patient_ref=patient_ref, appointments=frozenset(b.pk for b in bookings)
            )
        )
    entries.extend(booking_entries(bookings, ref=_urn, patient_ref=patient_ref))

    for response in summary.responses:
        qr = response_to_fhir(response)
        qr_ref = _urn("response", response.pk)
        qr.pop("id", None)
        qr["subject"] = {"reference": patient_ref}
        qr["basedOn"] = [{"reference": careplan_ref}]
        entries.append({"fullUrl": qr_ref, "resource": qr})
        for observation in observations_for(response):
            obs_id = observation.pop("id")
            observation["subject"] = {"reference": patient_ref}
            observation["derivedFrom"] = [{"reference": qr_ref}]
            observation["basedOn"] = [{"reference": careplan_ref}]
            entries.append({"fullUrl": _urn("observation", obs_id), "resource": observation})

    for message in summary.messages:
        communication = {
            "resourceType": "Communication",
            "status": "completed",
            "subject": {"reference": patient_ref},
            "basedOn": [{"reference": careplan_ref}],
            "sent": message.sent_at.isoformat(),
            "payload": [{"contentString": message.body or "-"}],
        }
        if message.from_citizen:
            communication["sender"] = {"reference": patient_ref}
            communication["recipient"] = [organisation]
        else:
            communication["sender"] = {"display": message.sender.get_full_name() if message.sender else unit.name}
            communication["recipient"] = [{"reference": patient_ref}]
        if message.read_at:
            communication["received"] = message.read_at.isoformat()
        entries.append({"fullUrl": _urn("message", message.pk), "resource": communication})

    entries.append(
        {
            "fullUrl": _urn("journal-export", export.pk),
            "resource": {
                "resourceType": "DocumentReference",
                "status": "current",
                "type": {"text": "Journalanteckning / Journal note"},
                "subject": {"reference": patient_ref},
                "date": export.exported_at.isoformat(),
                "author": [organisation],
                "description": f"{summary.start.isoformat()} – {summary.end.isoformat()}",
                "content": [
                    {
                        "attachment": {
                            "contentType": "text/plain; charset=utf-8",
                            "language": summary.lang,
                            "data": base64.b64encode(note.encode("utf-8")).decode("ascii"),
                            "title": f"Fyren {summary.start.isoformat()} – {summary.end.isoformat()}",
                        }
                    }
                ],
                "context": {
                    "related": [{"reference": careplan_ref}],
                    "period": {"start": summary.start.isoformat(), "end": summary.end.isoformat()},
                },
            },
        }
    )
    return {
        "resourceType": "Bundle",
        "identifier": {"system": f"{base_url()}/journal-export", "value": str(export.pk)},
        "type": "collection",
        "timestamp": timezone.now().isoformat(),
        "entry": entries,
    }

"""The journal export as a FHIR R4 Bundle (type collection): Patient, CarePlan for
the enrolment, QuestionnaireResponse and Observation for scores, Communication
for messages, and DocumentReference for the journal note."""

from __future__ import annotations

import base64
import html
import uuid
from typing import Any

from django.utils import timezone

from fyren.instruments.fhir import PERSONNUMMER, SAMORDNINGSNUMMER, base_url, observations_for, response_to_fhir

from .booking import booking_entries
from .careplans import contract_entries, episode_entries, organisation

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


def enrolment_careplan(enrolment, *, title: str, author: dict, patient_ref: str) -> dict:
    """The enrolment (a program at a unit) as a CarePlan."""
    careplan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "status": CAREPLAN_STATUS.get(enrolment.status, "unknown"),
        "intent": "plan",
        "title": title,
        "description": f"Fyren: {title}",
        "subject": {"reference": patient_ref},
        "period": {"start": enrolment.started_at.isoformat()},
        "author": author,
    }
    if enrolment.ended_at:
        careplan["period"]["end"] = enrolment.ended_at.isoformat()
    return careplan


def response_entries(response, *, ref, patient_ref: str, careplan_ref: str | None) -> list[dict]:
    """The QuestionnaireResponse and one Observation per score derived from it."""
    qr = response_to_fhir(response)
    qr_ref = ref("response", response.pk)
    qr.pop("id", None)
    qr["subject"] = {"reference": patient_ref}
    if careplan_ref:
        qr["basedOn"] = [{"reference": careplan_ref}]
    entries = [{"fullUrl": qr_ref, "resource": qr}]
    for observation in observations_for(response):
        obs_id = observation.pop("id")
        observation["subject"] = {"reference": patient_ref}
        observation["derivedFrom"] = [{"reference": qr_ref}]
        if careplan_ref:
            observation["basedOn"] = [{"reference": careplan_ref}]
        entries.append({"fullUrl": ref("observation", obs_id), "resource": observation})
    return entries


def communication_resource(message, *, patient_ref: str, careplan_ref: str | None, unit) -> dict:
    """A sent message of a conversation between the patient and ``unit``."""
    communication = {
        "resourceType": "Communication",
        "status": "completed",
        "subject": {"reference": patient_ref},
        "sent": message.sent_at.isoformat(),
        "payload": [{"contentString": message.body or "-"}],
    }
    if careplan_ref:
        communication["basedOn"] = [{"reference": careplan_ref}]
    if message.from_citizen:
        communication["sender"] = {"reference": patient_ref}
        communication["recipient"] = [organisation(unit)]
    else:
        communication["sender"] = {"display": message.sender.get_full_name() if message.sender else unit.name}
        communication["recipient"] = [{"reference": patient_ref}]
    if message.read_at:
        communication["received"] = message.read_at.isoformat()
    return communication


def document_reference(export, *, note: str, lang: str, patient_ref: str, careplan_ref: str, unit) -> dict:
    """The journal note of one export (the text the clinician filed)."""
    start, end = export.period_start.isoformat(), export.period_end.isoformat()
    return {
        "resourceType": "DocumentReference",
        "status": "current",
        "type": {"text": "Journalanteckning / Journal note"},
        "subject": {"reference": patient_ref},
        "date": export.exported_at.isoformat(),
        "author": [organisation(unit)],
        "description": f"{start} – {end}",
        "content": [
            {
                "attachment": {
                    "contentType": "text/plain; charset=utf-8",
                    "language": lang,
                    "data": base64.b64encode(note.encode("utf-8")).decode("ascii"),
                    "title": f"Fyren {start} – {end}",
                }
            },
            {
                # The same note as an HTML document, for record systems that file documents rather than text.
                "attachment": {
                    "contentType": "text/html; charset=utf-8",
                    "language": lang,
                    "data": base64.b64encode(_note_html(note, lang, f"Fyren {start} – {end}").encode()).decode("ascii"),
                    "title": f"Fyren {start} – {end}",
                }
            },
        ],
        "context": {"related": [{"reference": careplan_ref}], "period": {"start": start, "end": end}},
    }


def _note_html(note: str, lang: str, title: str) -> str:
    """A self-contained HTML document of the note's text (escaped, line breaks kept)."""
    return (
        f'<!DOCTYPE html><html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>"
        f'<body><pre style="white-space: pre-wrap">{html.escape(note)}</pre></body></html>'
    )


def journal_bundle(summary, *, note: str, export, unit, episodes=(), contract=None, bookings=()) -> dict:
    """The whole period as one Bundle; references point at the bundle's own entries.
    ``episodes`` (the patient's care episodes at the unit) and ``contract`` (the
    patient contract as the unit may see it) add EpisodeOfCare, ServiceRequest,
    CarePlan, Goal and CareTeam; ``bookings`` (the patient's visits at the unit)
    Schedule, Slot and Appointment. The FHIR server (``fyren.api.fhir``) returns
    the same resources, built by the same functions."""
    enrolment = summary.enrolment
    citizen = enrolment.citizen
    patient_ref = _urn("patient", citizen.pk)
    careplan_ref = _urn("enrolment", enrolment.pk)
    entries = [{"fullUrl": patient_ref, "resource": patient_resource(citizen)}]
    careplan = enrolment_careplan(enrolment, title=summary.program, author=organisation(unit), patient_ref=patient_ref)
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
        entries.extend(response_entries(response, ref=_urn, patient_ref=patient_ref, careplan_ref=careplan_ref))
    for message in summary.messages:
        entries.append(
            {
                "fullUrl": _urn("message", message.pk),
                "resource": communication_resource(
                    message, patient_ref=patient_ref, careplan_ref=careplan_ref, unit=unit
                ),
            }
        )
    entries.append(
        {
            "fullUrl": _urn("journal-export", export.pk),
            "resource": document_reference(
                export, note=note, lang=summary.lang, patient_ref=patient_ref, careplan_ref=careplan_ref, unit=unit
            ),
        }
    )
    return {
        "resourceType": "Bundle",
        "identifier": {"system": f"{base_url()}/journal-export", "value": str(export.pk)},
        "type": "collection",
        "timestamp": timezone.now().isoformat(),
        "entry": entries,
    }

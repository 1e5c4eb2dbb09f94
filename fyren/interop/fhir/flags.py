"""Flags as FHIR R4 ``Flag``: something the care team must look at (status
active until acknowledged, then inactive), its kind as the code, urgent ones
with the priority extension. Pure mapping."""

from __future__ import annotations

PRIORITY = "http://hl7.org/fhir/StructureDefinition/flag-priority"
KIND_SYSTEM = "urn:fyren:flag-kind"


def flag_resource(flag, *, patient_ref: str, kind_display: str, lang: str) -> dict:
    message = flag.message or {}
    text = message.get(lang) or next(iter(message.values()), "") or kind_display
    resource: dict = {
        "resourceType": "Flag",
        "status": "active" if flag.acknowledged_at is None else "inactive",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/flag-category",
                        "code": "clinical",
                        "display": "Clinical",
                    }
                ]
            }
        ],
        "code": {"coding": [{"system": KIND_SYSTEM, "code": flag.kind, "display": kind_display}], "text": text},
        "subject": {"reference": patient_ref},
        "period": {"start": flag.created_at.isoformat()},
        "author": {"display": flag.unit.name},
    }
    if flag.acknowledged_at is not None:
        resource["period"]["end"] = flag.acknowledged_at.isoformat()
    if flag.urgent:
        resource["extension"] = [
            {
                "url": PRIORITY,
                "valueCodeableConcept": {
                    "coding": [
                        {"system": "http://hl7.org/fhir/flag-priority-code", "code": "PH", "display": "High priority"}
                    ]
                },
            }
        ]
    return resource

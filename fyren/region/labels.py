"""Readable names for what an access-log entry is about (its ``object_type``)
and the role it was made in, in the reader's language. Codes stay in the log
(they are part of the hash chain); only their display is translated."""

from django.utils.translation import gettext_lazy as _

from fyren.accounts.roles import Role
from fyren.people.identity import formatted

OBJECT_TYPES = {
    "citizen": _("patient record"),
    "patient_list": _("patient list"),
    "dashboard": _("dashboard"),
    "inbox": _("messages waiting"),
    "message": _("message"),
    "flag": _("flag"),
    "flag_list": _("flag list"),
    "urgent_flags": _("urgent flags"),  # entries written before the banner stopped naming patients
    "care_relation": _("care relation"),
    "emergency_access": _("emergency access"),
    "enrolment": _("enrolment"),
    "enrolment_content": _("enrolment content shown or hidden"),
    "module_progress": _("module progress"),
    "clinician_note": _("clinician's note"),
    "note": _("note"),
    "exercise_feedback": _("feedback on an exercise"),
    "handover": _("handover"),
    "journal_export": _("journal note"),
    "fhir_bundle": _("FHIR export"),
    "questionnaire_response": _("questionnaire answers"),
    "questionnaire_send": _("questionnaire send"),
    "access_log_export": _("access log export"),
    "booking": _("visit"),
    "bookings": _("visits"),
    "unit_calendar": _("the unit's calendar"),
    "waiting_room": _("waiting room"),
    "guarantee": _("care guarantee list"),
    "guarantee_case": _("care guarantee case"),
    "episode": _("care episode"),
    "episode_point": _("care episode point"),
    "care_request": _("care request"),
    "care_requests": _("care requests"),
    "patient_contract": _("patient contract"),
    "contract_invitation": _("invitation to a patient contract"),
    "research_export": _("research delivery"),
    "launch": _("opened from the record system"),
}


def object_label(code: str) -> str:
    """What an entry was about; a read through the FHIR server names its resource
    type (``fhir:Observation``)."""
    if code.startswith("fhir:"):
        return _("%(type)s through the FHIR interface") % {"type": code[5:]}
    return str(OBJECT_TYPES.get(code, code))


def role_label(code: str) -> str:
    return str(Role(code).label) if code in Role.values else code


def identity_label(digits: str) -> str:
    """YYYYMMDD-NNNN, as the log review's filter asks for it."""
    return formatted(digits)

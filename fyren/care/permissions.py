"""The check every clinician write on a patient's enrolment starts with."""

from django.core.exceptions import PermissionDenied

from fyren.accounts.permissions import has_role
from fyren.accounts.roles import Role
from fyren.audit.services import access_log_write


def clinician_access_record(*, actor, enrolment, action: str, object_type: str, object_id="") -> None:
    """Refuse unless ``actor`` is a clinician at the enrolment's unit today, then
    write the access-log entry for what they do (call inside the write's transaction)."""
    if not has_role(actor, Role.CLINICIAN, enrolment.unit):
        raise PermissionDenied
    access_log_write(
        actor=actor,
        citizen=enrolment.citizen,
        action=action,
        object_type=object_type,
        object_id=object_id or enrolment.pk,
        role=Role.CLINICIAN,
        unit=enrolment.unit,
    )

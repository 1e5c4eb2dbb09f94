"""Writes about flags."""

from django.db import transaction

from .models import Flag


def flag_raise(
    *,
    kind: str,
    citizen,
    unit,
    enrolment=None,
    urgent: bool = False,
    message: dict | None = None,
    source_type: str = "",
    source_id: str = "",
) -> Flag:
    """Raise a flag for the unit (and the enrolment's clinicians). The same source
    raises one flag only, however often it is processed."""
    with transaction.atomic():
        if source_id:
            flag, _created = Flag.objects.get_or_create(
                kind=kind,
                source_type=source_type,
                source_id=str(source_id),
                defaults={
                    "citizen": citizen,
                    "unit": unit,
                    "enrolment": enrolment,
                    "urgent": urgent,
                    "message": message or {},
                },
            )
            return flag
        return Flag.objects.create(
            kind=kind, citizen=citizen, unit=unit, enrolment=enrolment, urgent=urgent, message=message or {}
        )

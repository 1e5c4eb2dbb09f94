"""Writes of the log review."""

from __future__ import annotations

from types import SimpleNamespace

from django.db import transaction

from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry
from fyren.audit.services import access_log_write_many, audit_event_write


def access_log_export_record(*, actor, entries, unit, filters: dict) -> int:
    """A log reviewer takes the filtered log out of Fyren as a file: every citizen
    in it gets an ``export`` entry in the access log (so their own extract shows
    it), and the export with its filter is an audit event. Returns the number of
    citizens. Call before the file is produced."""
    people = [
        SimpleNamespace(pk=pk, identity_number=identity)
        for pk, identity in entries.order_by().values_list("citizen_id", "citizen_identity").distinct()
    ]
    with transaction.atomic():
        access_log_write_many(
            actor=actor,
            citizens=people,
            action=AccessLogEntry.Action.EXPORT,
            object_type="access_log_export",
            role=Role.LOG_REVIEWER,
            unit=unit,
        )
        audit_event_write(
            actor=actor,
            action="access_log.export",
            object_type="access_log",
            unit=unit,
            data={"filters": filters, "citizens": len(people), "rows": entries.count()},
        )
    return len(people)

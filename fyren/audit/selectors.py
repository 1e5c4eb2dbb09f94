"""Reads of the access log: the citizen's own extract (the log review reads it from
the region's workspace, ``region.selectors``); and the one way a staff page reads
one row about a citizen and logs it (``read_logged_or_404``)."""

from operator import attrgetter

from django.http import Http404

from .models import AccessLogEntry
from .services import access_log_write


def access_log_for_citizen(*, citizen):
    """Accesses to a citizen's data by care staff (not the citizen's own), newest first."""
    return (
        AccessLogEntry.objects.filter(citizen=citizen, unit__isnull=False)
        .exclude(actor_id__isnull=False, actor_id=citizen.user_id)
        .order_by("-at", "-pk")
    )


def read_logged_or_404(rows, *, actor, role: str, unit, object_type: str, citizen_of=attrgetter("citizen")):
    """The one row of ``rows`` (already narrowed to what ``actor`` may see at
    ``unit``), with a read of it in its citizen's access log; a 404 when there is
    no such row or the actor has no ``role`` there (forbidden looks like not found)."""
    row = rows.first() if role else None
    if row is None:
        raise Http404
    access_log_write(
        actor=actor,
        citizen=citizen_of(row),
        action=AccessLogEntry.Action.READ,
        object_type=object_type,
        object_id=row.pk,
        role=role,
        unit=unit,
    )
    return row

"""Reads of the access log: the citizen's own extract (the log review reads it from
the region's workspace, ``region.selectors``)."""

from .models import AccessLogEntry


def access_log_for_citizen(*, citizen):
    """Accesses to a citizen's data by care staff (not the citizen's own), newest first."""
    return (
        AccessLogEntry.objects.filter(citizen=citizen, unit__isnull=False)
        .exclude(actor_id__isnull=False, actor_id=citizen.user_id)
        .order_by("-at", "-pk")
    )

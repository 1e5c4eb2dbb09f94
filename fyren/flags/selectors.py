"""Reads of flags that carry no patient data (counts), for pages of lower floors."""

from django.db.models import Count

from .models import Flag


def urgent_counts_by_unit(user, units) -> dict[int, int]:
    """Unacknowledged urgent flags per unit: numbers only, so no access-log entry."""
    rows = (
        Flag.objects.filter(unit__in=units, urgent=True, acknowledged_at__isnull=True)
        .values("unit_id")
        .annotate(n=Count("pk"))
    )
    return {row["unit_id"]: row["n"] for row in rows}


# For readers that scope to a token's access and log what they return themselves
# (the FHIR server, fyren/api/fhir.py): ``units`` is the reader's units. Flags are
# the care team's: a citizen reading their own (``units`` None) gets none.


def flags_for_reader(citizens, units=None):
    if units is None:
        return Flag.objects.none()
    return Flag.objects.filter(citizen__in=citizens, unit__in=units).select_related("unit")

"""Reads of the access log for its systematic review (not care: no entry is written)."""

import datetime as dt

from django.db.models import Q

from fyren.accounts.permissions import units_where
from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry
from fyren.organisations.models import CareUnit


def units_reviewable_by(user):
    """A log reviewer reviews the log of every unit of the care providers (regions)
    where they hold the role."""
    region_ids = units_where(user, Role.LOG_REVIEWER).values("region_id")
    return CareUnit.objects.filter(region_id__in=region_ids)


def access_log_for_review(
    *,
    actor,
    staff_query: str = "",
    citizen_identity: str = "",
    unit: CareUnit | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    only_flagged: bool = False,
):
    units = units_reviewable_by(actor)
    entries = AccessLogEntry.objects.filter(unit_id__in=units.values("pk"))
    if staff_query:
        entries = entries.filter(actor_label__icontains=staff_query)
    if citizen_identity:
        entries = entries.filter(citizen_identity=citizen_identity)
    if unit is not None:
        entries = entries.filter(unit=unit)
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    if only_flagged:
        entries = entries.filter(Q(outside_care_relation=True) | Q(emergency=True))
    return entries.order_by("-at", "-pk")

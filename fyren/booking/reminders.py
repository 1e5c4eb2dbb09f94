"""Reminders before visits: a content-free notice ("something new in Fyren")
the unit's lead time before each booked visit. The notice's event key names
the booking and its time, so a retried run (or two schedulers) sends it once,
and a moved visit gets a reminder of its own."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fyren.notifications.services import notify

from .models import Booking, UnitBookingRules

# The longest lead time a unit may set; bookings further ahead are not looked at.
MAX_LEAD_HOURS = 24 * 7


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Queue the reminders that are due; returns how many notices were made."""
    now = now or timezone.now()
    lead = dict(UnitBookingRules.objects.values_list("unit_id", "remind_hours"))
    due = Booking.objects.filter(
        status=Booking.Status.BOOKED,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + dt.timedelta(hours=MAX_LEAD_HOURS),
    ).select_related("slot", "citizen")
    made = 0
    for booking in due:
        hours = lead.get(booking.unit_id, UnitBookingRules._meta.get_field("remind_hours").default)
        if booking.slot.starts_at - now > dt.timedelta(hours=hours):
            continue
        key = f"reminder:{booking.pk}:{booking.slot.starts_at.isoformat()}"
        made += len(notify(citizen=booking.citizen, event="appointment", event_key=key[:80]))
    return made

"""Waiting time to a visit, joined with the care episode's points: from the
episode's received request (B) — or, without one, from when the wait for the
visit began — to the visit, in calendar days, with the days the patient chose
themself (a later time they moved to) counted apart. Plain arithmetic on
bookings already read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from .models import Booking


@dataclass(frozen=True)
class VisitWait:
    booking: Booking
    since: dt.date  # B, or the start of the wait for the visit
    from_point_b: bool
    days: int
    patient_days: int

    @property
    def counted(self) -> int:
        return max(0, self.days - self.patient_days)


def _day(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def visit_waits(bookings: list[Booking], *, received: dt.date | None) -> list[VisitWait]:
    """One row per visit that stands (or stood: held, not come), the end of each
    chain of rebookings, earliest first. ``bookings`` hold every link of the
    chains (as ``bookings_of_patient`` returns them)."""
    by_id = {b.pk: b for b in bookings}
    found = []
    for booking in bookings:
        if booking.status not in (
            Booking.Status.BOOKED,
            Booking.Status.ARRIVED,
            Booking.Status.HELD,
            Booking.Status.NO_SHOW,
        ):
            continue
        patient_days, link = 0, booking
        while link.replaces_id and link.replaces_id in by_id:
            earlier = by_id[link.replaces_id]
            if earlier.patient_choice:
                patient_days += max(0, (_day(link.slot.starts_at) - _day(earlier.slot.starts_at)).days)
            link = earlier
        waited_from = _day(booking.waiting_since)
        since = received if received is not None and received <= waited_from else waited_from
        days = max(0, (_day(booking.slot.starts_at) - since).days)
        found.append(VisitWait(booking, since, since == received, days, min(patient_days, days)))
    return sorted(found, key=lambda w: w.booking.slot.starts_at)

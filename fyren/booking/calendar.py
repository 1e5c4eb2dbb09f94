"""Visits as iCalendar (RFC 5545, with the ``icalendar`` library): one file per
booking and a personal feed. An entry says only "Visit – Fyren" (in the
reader's language: "Besök – Fyren" in Swedish) and the unit —
never the program, the reason or the clinician's notes. A rebooking chain is
one event: the same UID (the chain's first booking), a higher SEQUENCE for each
move, and STATUS:CANCELLED when it is cancelled, so calendars update in place."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation
from django.utils.translation import gettext
from icalendar import Calendar, Event

from .models import Booking

PRODID = "-//Fyren//Booking//SV"
STATUS: dict[str, str] = {
    Booking.Status.OFFERED: "TENTATIVE",
    Booking.Status.BOOKED: "CONFIRMED",
    Booking.Status.ARRIVED: "CONFIRMED",
    Booking.Status.HELD: "CONFIRMED",
    Booking.Status.NO_SHOW: "CONFIRMED",
    Booking.Status.CANCELLED: "CANCELLED",
    Booking.Status.DECLINED: "CANCELLED",
}


def chain_of(booking: Booking) -> list[Booking]:
    """The bookings of a rebooking chain, first to last (``booking`` is any of them)."""
    first = booking
    while first.replaces_id is not None:
        first = Booking.objects.select_related("slot", "unit").get(pk=first.replaces_id)
    chain = [first]
    while True:
        following = Booking.objects.filter(replaces=chain[-1]).select_related("slot", "unit").first()
        if following is None:
            return chain
        chain.append(following)


def summary() -> str:
    """What every entry is called, in the active language."""
    return gettext("Visit – Fyren")


def event_for(chain: list[Booking], *, host: str) -> Event:
    """The chain's current state as one VEVENT."""
    current = chain[-1]
    event = Event()
    event.add("uid", f"fyren-booking-{chain[0].pk}@{host}")
    event.add("sequence", len(chain) - 1 + (1 if current.status == Booking.Status.CANCELLED else 0))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(current.slot.starts_at))
    event.add("dtend", timezone.localtime(current.slot.ends_at))
    event.add("summary", summary())
    event.add("location", current.unit.name)
    event.add("status", STATUS.get(current.status, "CANCELLED"))
    return event


def calendar_bytes(chains: list[list[Booking]], *, host: str, language: str | None = None) -> bytes:
    """The chains as one calendar, its texts in ``language`` (the active one when None)."""
    with translation.override(language or translation.get_language()):
        return _calendar(chains, host=host)


def _calendar(chains: list[list[Booking]], *, host: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    for chain in chains:
        calendar.add_component(event_for(chain, host=host))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def booking_file(booking: Booking, *, host: str) -> bytes:
    """The .ics file of one booking (its whole chain as one event)."""
    return calendar_bytes([chain_of(booking)], host=host)


def feed_chains(bookings) -> list[list[Booking]]:
    """Group bookings into chains by following ``replaces`` within the given set
    (one event per chain, in time order); bookings ended long ago are left to the caller."""
    by_pk = {b.pk: b for b in bookings}
    replaced_by = {b.replaces_id: b for b in bookings if b.replaces_id}
    chains = []
    for booking in bookings:
        if booking.replaces_id in by_pk:
            continue  # not the first of its chain
        chain = [booking]
        while chain[-1].pk in replaced_by:
            chain.append(replaced_by[chain[-1].pk])
        chains.append(chain)
    return sorted(chains, key=lambda c: c[-1].slot.starts_at or dt.datetime.max)

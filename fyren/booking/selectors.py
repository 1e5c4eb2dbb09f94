"""Reads of bookings. Staff read a patient's bookings and the unit's calendar
through the logged workspace selectors; the citizen reads their own (and those
of people they act for); a calendar feed is found by its secret token."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from fyren.accounts.permissions import care_role
from fyren.accounts.selectors import licensed_as
from fyren.audit.models import AccessLogEntry
from fyren.audit.selectors import read_logged_or_404
from fyren.audit.services import access_log_write_many
from fyren.care.models import CareRelation, Enrolment
from fyren.organisations.models import CareUnit
from fyren.people.selectors import citizens_of_user

from .guarantee import MEASURES, MonthFigures, dates_of, measures, month_figures
from .models import Audience, Booking, BookingAgreement, CalendarFeed, GuaranteeCase, Schedule, Slot, UnitBookingRules


def _bookings():
    return Booking.objects.select_related("slot__schedule", "unit", "citizen", "replaces")


# --- the citizen ------------------------------------------------------------------------------


def bookings_for_citizen_user(user) -> list[Booking]:
    """The bookings of the citizen and of those they act for that still matter:
    open offers, coming visits, and what ended in the last 30 days."""
    now = timezone.now()
    since = now - dt.timedelta(days=30)
    citizens = {c.pk: c for c in citizens_of_user(user)}
    # One range in SQL (everything ending in the last 30 days holds both kinds), the
    # rest in Python, and only what the list shows joined: an OR across the joined
    # tables took PostgreSQL 2 ms to plan and 0.04 ms to run.
    bookings = [
        booking
        for booking in Booking.objects.select_related("slot", "unit")
        .filter(citizen_id__in=citizens, slot__ends_at__gte=since)
        .order_by("slot__starts_at", "pk")
        if (booking.status in Booking.CURRENT and booking.slot.ends_at >= now) or booking.slot.starts_at >= since
    ]
    for booking in bookings:
        booking.citizen = citizens[booking.citizen_id]
    return bookings


def booking_for_citizen_user_or_404(user, booking_id) -> Booking:
    booking = _bookings().filter(pk=booking_id, citizen__in=citizens_of_user(user)).first()
    if booking is None:
        raise Http404
    return booking


def web_bookable_slots(citizen, *, until: dt.datetime | None = None) -> list[Slot]:
    """Times the citizen may book themself: listed patients' times at units where
    they are in care, and program times for programs they follow; not taken."""
    now = timezone.now()
    until = until or now + dt.timedelta(days=60)
    units = CareRelation.objects.active().filter(citizen=citizen).values("unit_id")
    programs = Enrolment.objects.filter(citizen=citizen, status__in=Enrolment.OPEN_STATUSES).values(
        "program_version__program_id"
    )
    # Per slot (NOT EXISTS on the slot index), not NOT IN over every held booking in the country.
    taken = Exists(Booking.objects.filter(slot=OuterRef("pk"), status__in=Booking.HOLDING))
    return list(
        Slot.objects.filter(starts_at__gt=now, starts_at__lte=until, blocked=False, schedule__unit_id__in=units)
        .filter(Q(audience=Audience.LISTED) | Q(audience=Audience.PROGRAM, program_id__in=programs))
        .exclude(taken)
        .select_related("schedule__unit")
        .order_by("starts_at")[:200]
    )


def rebookable(booking: Booking, *, rules: UnitBookingRules | None = None, until: dt.datetime | None = None):
    """The free times the citizen may move ``booking`` to, as a query: at the
    same unit, in the same schedule (a clinician's, a title's shared queue, or
    a room's), of the same visit kind unless the unit lets citizens change it,
    and either a time she may book herself or one of the same kind as hers
    (another offered time when hers was offered; staff-booked times when staff
    booked hers). ``services.booking_rebook`` checks a chosen time by it."""
    now = timezone.now()
    until = until or now + dt.timedelta(days=60)
    slot = booking.slot
    if rules is None:
        rules = UnitBookingRules.objects.filter(unit_id=booking.unit_id).first()
    programs = Enrolment.objects.filter(citizen_id=booking.citizen_id, status__in=Enrolment.OPEN_STATUSES).values(
        "program_version__program_id"
    )
    taken = Exists(Booking.objects.filter(slot=OuterRef("pk"), status__in=Booking.HOLDING))
    found = (
        Slot.objects.filter(schedule_id=slot.schedule_id, starts_at__gt=now, starts_at__lte=until, blocked=False)
        .filter(
            Q(audience=Audience.LISTED)
            | Q(audience=Audience.PROGRAM, program_id__in=programs)
            | Q(audience=slot.audience, program_id=slot.program_id)
        )
        .exclude(pk=slot.pk)
        .exclude(taken)
    )
    if not (rules and rules.citizen_may_change_visit_kind):
        found = found.filter(visit_kind=slot.visit_kind)
    return found


def rebookable_slots(booking: Booking, *, rules: UnitBookingRules | None = None) -> list[Slot]:
    """The times of ``rebookable`` to show, soonest first."""
    return list(rebookable(booking, rules=rules).select_related("schedule__unit").order_by("starts_at")[:200])


# --- staff ------------------------------------------------------------------------------------


def bookings_of_patient(*, unit, citizen) -> list[Booking]:
    """A patient's bookings at the unit, for a page that has read the patient
    through ``citizen_get_for_clinician`` (checked and logged there)."""
    return list(_bookings().filter(unit=unit, citizen=citizen).order_by("-slot__starts_at")[:50])


def free_slots(*, unit, days: int = 28) -> list[Slot]:
    """The unit's coming times nobody holds (to offer or book on behalf); no patient data."""
    now = timezone.now()
    # Per slot (NOT EXISTS on the slot index), not NOT IN over every held booking in the country.
    taken = Exists(Booking.objects.filter(slot=OuterRef("pk"), status__in=Booking.HOLDING))
    return list(
        Slot.objects.filter(
            schedule__unit=unit, starts_at__gt=now, starts_at__lte=now + dt.timedelta(days=days), blocked=False
        )
        .exclude(taken)
        .select_related("schedule")
        .order_by("starts_at")[:300]
    )


def agreed_free_slots(*, booking_unit, days: int = 28) -> list[Slot]:
    """Other units' coming free times that agreements open to ``booking_unit``'s staff; no patient data."""
    now = timezone.now()
    taken = Exists(Booking.objects.filter(slot=OuterRef("pk"), status__in=Booking.HOLDING))
    agreed = BookingAgreement.objects.filter(booking_unit=booking_unit, ended_at__isnull=True).values("schedule_id")
    return list(
        Slot.objects.filter(
            schedule__in=agreed,
            schedule__active=True,
            starts_at__gt=now,
            starts_at__lte=now + dt.timedelta(days=days),
            blocked=False,
        )
        .exclude(taken)
        .select_related("schedule__unit")
        .order_by("starts_at")[:300]
    )


def agreements_of(unit) -> list[BookingAgreement]:
    """The live agreements that open the unit's schedules to other units (no patient data)."""
    return list(
        BookingAgreement.objects.filter(schedule__unit=unit, ended_at__isnull=True)
        .select_related("schedule", "booking_unit")
        .order_by("schedule__title", "booking_unit__name")
    )


def schedules_of(unit) -> list[Schedule]:
    return list(
        Schedule.objects.filter(unit=unit, active=True).select_related("clinician").prefetch_related("templates")
    )


def unit_calendar(*, actor, unit, start: dt.date, days: int, schedule_ids=None) -> list[Slot]:
    """The unit's times from ``start`` for ``days`` days with their holding
    booking (``slot.booking``), for its clinicians and enrolment admins; one
    read logged per patient shown. A fixed number of queries."""
    role = care_role(actor, unit)
    if not role:
        return []
    begin = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(start + dt.timedelta(days=days), dt.time.min))
    found = Slot.objects.filter(schedule__unit=unit, starts_at__gte=begin, starts_at__lt=end).select_related(
        "schedule__clinician"
    )
    if schedule_ids:
        found = found.filter(schedule_id__in=schedule_ids)
    slots = list(found.order_by("starts_at", "schedule__title"))
    holding = {
        b.slot_id: b
        for b in Booking.objects.filter(slot__in=[s.pk for s in slots], status__in=Booking.HOLDING).select_related(
            "citizen"
        )
    }
    licensed = licensed_as([s.schedule.clinician_id for s in slots], start)
    for slot in slots:
        slot.booking = holding.get(slot.pk)
        slot.schedule.licensed_as = licensed.get(slot.schedule.clinician_id or 0, "")  # type: ignore[attr-defined]
    access_log_write_many(
        actor=actor,
        citizens={b.citizen_id: b.citizen for b in holding.values()}.values(),
        action=AccessLogEntry.Action.READ,
        object_type="unit_calendar",
        role=role,
        unit=unit,
    )
    return slots


# --- feeds ------------------------------------------------------------------------------------


def feed_or_404(token: str) -> CalendarFeed:
    feed = CalendarFeed.objects.filter(token=token, revoked_at__isnull=True).select_related("user").first()
    if feed is None:
        raise Http404
    return feed


def feed_bookings(feed: CalendarFeed) -> list[Booking]:
    """What a feed shows: a citizen's own visits (and those they act for); a
    clinician's visits on their schedules. From 30 days back."""
    since = timezone.now() - dt.timedelta(days=30)
    user = feed.user
    base = _bookings().filter(slot__starts_at__gte=since).exclude(status=Booking.Status.DECLINED)
    if user.is_citizen:
        found = base.filter(citizen__in=citizens_of_user(user))
    else:
        found = base.filter(slot__schedule__clinician=user).exclude(status=Booking.Status.OFFERED)
    return list(found.order_by("slot__starts_at"))


def queue_window(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The visits a queue holds: today's, and the coming hour's (a visit just after
    midnight is checked in before it)."""
    begin = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time.min))
    return begin, max(begin + dt.timedelta(days=1), now + dt.timedelta(hours=1))


def waiting_room(*, actor, unit, now: dt.datetime | None = None) -> dict[Schedule, list[Booking]]:
    """Today's visits at the unit (and the coming hour's) by queue: checked-in patients first,
    in the order they checked in (``position`` 1, 2 …), then those expected. A
    clinician's schedule is that clinician's own queue; a title's or a room's is
    shared. One read logged per patient shown."""
    role = care_role(actor, unit)
    if not role:
        return {}
    begin, end = queue_window(now or timezone.now())
    visits = list(
        _bookings()
        .filter(
            unit=unit,
            slot__starts_at__gte=begin,
            slot__starts_at__lt=end,
            status__in=(Booking.Status.BOOKED, Booking.Status.ARRIVED),
        )
        .select_related("slot__schedule__clinician", "admitted_by")
    )
    queues: dict[Schedule, list[Booking]] = {}
    for visit in sorted(
        visits,
        key=lambda b: (b.status != Booking.Status.ARRIVED, b.checked_in_at or b.slot.starts_at, b.slot.starts_at),
    ):
        queues.setdefault(visit.slot.schedule, []).append(visit)
    for queue in queues.values():
        position = 0
        for visit in queue:
            if visit.status == Booking.Status.ARRIVED:
                position += 1
                visit.position = position
            else:
                visit.position = None
    access_log_write_many(
        actor=actor,
        citizens={b.citizen_id: b.citizen for b in visits}.values(),
        action=AccessLogEntry.Action.READ,
        object_type="waiting_room",
        role=role,
        unit=unit,
    )
    return queues


# --- the care guarantee -----------------------------------------------------------------------


def _with_measures(cases, today: dt.date):
    for case in cases:
        case.measures = measures(dates_of(case), today=today)
        case.open_steps = open_steps(case)
    return cases


def open_steps(case: GuaranteeCase) -> list[str]:
    """The steps still to record, in order (treatment only after the decision)."""
    if case.ended_at is not None:
        return []
    steps = ["contacted_at", "assessed_at"] if case.level == GuaranteeCase.Level.PRIMARY else ["first_visit_at"]
    steps += ["decided_at", "treated_at"]
    return [s for s in steps if getattr(case, s) is None and (s != "treated_at" or case.decided_at is not None)]


def guarantee_cases_of_unit(*, actor, unit, today: dt.date | None = None) -> list[GuaranteeCase]:
    """The contacts the unit still follows (neither treated nor ended), those
    closest to a limit first, with their measures. One read logged per patient."""
    role = care_role(actor, unit)
    if not role:
        return []
    today = today or timezone.localdate()
    cases = _with_measures(
        list(
            GuaranteeCase.objects.filter(unit=unit, treated_at__isnull=True, ended_at__isnull=True).select_related(
                "citizen", "episode"
            )
        ),
        today,
    )
    cases.sort(key=lambda c: min((m.days_left for m in c.measures if not m.done), default=999))
    access_log_write_many(
        actor=actor,
        citizens={c.citizen_id: c.citizen for c in cases}.values(),
        action=AccessLogEntry.Action.READ,
        object_type="guarantee_case",
        role=role,
        unit=unit,
    )
    return cases


def guarantee_case_or_404(*, actor, unit, case_id) -> GuaranteeCase:
    case = read_logged_or_404(
        GuaranteeCase.objects.filter(pk=case_id, unit=unit).select_related("citizen", "episode"),
        actor=actor,
        role=care_role(actor, unit),
        unit=unit,
        object_type="guarantee_case",
    )
    return _with_measures([case], timezone.localdate())[0]


@dataclass
class GuaranteeRow:
    unit: CareUnit
    month: dt.date
    figures: MonthFigures
    hidden: set[str] = field(default_factory=set)  # figures not to show (small counts)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def guarantee_report(*, units, start: dt.date, end: dt.date, today: dt.date | None = None) -> list[GuaranteeRow]:
    """Figures only (no patient is named): per unit, month and measure, how many
    reached the step in the month and in how many days, the share within the
    limit, and how many still wait at the month's end."""
    today = today or timezone.localdate()
    months = months_between(start, end)
    last = (months[-1] + dt.timedelta(days=32)).replace(day=1)
    cases: dict[int, list] = {u.pk: [] for u in units}
    fields = ["unit_id", "level", "contact_at", "contacted_at", "assessed_at", "first_visit_at"]
    fields += ["decided_at", "treated_at", "patient_wait_days", "ended_at"]
    rows = GuaranteeCase.objects.filter(
        unit__in=units, contact_at__lt=timezone.make_aware(dt.datetime.combine(last, dt.time.min))
    ).exclude(
        # finished (treated or ended) before the first month: nothing to count
        Q(treated_at__lt=timezone.make_aware(dt.datetime.combine(months[0], dt.time.min)))
        | Q(ended_at__lt=timezone.make_aware(dt.datetime.combine(months[0], dt.time.min)))
    )
    for values in rows.values(*fields):
        cases[values.pop("unit_id")].append(dates_of(SimpleNamespace(**values)))
    report = []
    for unit in units:
        for month in months:
            found = month_figures(cases[unit.pk], month, today=today).values()
            for figures in sorted(found, key=lambda f: (f.level, list(MEASURES).index(f.measure))):
                report.append(GuaranteeRow(unit, month, figures))
    return report


def has_open_offer(citizen) -> bool:
    """Whether a unit has offered the citizen times they have not answered yet."""
    return Booking.objects.filter(
        citizen=citizen, status=Booking.Status.OFFERED, slot__starts_at__gte=timezone.now()
    ).exists()


def rules_for(unit) -> UnitBookingRules:
    return UnitBookingRules.objects.filter(unit=unit).first() or UnitBookingRules(unit=unit)


def citizen_may_change(booking: Booking, *, rules: UnitBookingRules | None = None) -> bool:
    """Whether the citizen may still move or cancel the visit herself (the unit's deadline)."""
    hours = (rules or rules_for(booking.unit)).change_until_hours
    return booking.slot.starts_at - timezone.now() >= dt.timedelta(hours=hours)


def current_of(booking: Booking) -> Booking:
    """Follow a chain of rebookings to the booking that now stands (old links lead here)."""
    seen = {booking.pk}
    while booking.status == Booking.Status.REPLACED:
        following = Booking.objects.filter(replaces=booking).first()
        if following is None or following.pk in seen:
            break
        seen.add(following.pk)
        booking = following
    return booking


# For readers that scope to a token's access and log what they return themselves
# (the FHIR server, fyren/api/fhir.py): ``units`` is the reader's units, or None
# when a citizen reads their own.


def bookings_for_reader(citizens, units=None):
    qs = Booking.objects.filter(citizen__in=citizens).select_related("slot__schedule__unit", "unit", "citizen")
    return qs if units is None else qs.filter(unit__in=units)


def slots_for_reader(*, citizen=None, units=None):
    """The times at the units, or (for a citizen) the times the citizen has booked."""
    qs = (
        Slot.objects.filter(bookings__citizen=citizen).distinct()
        if units is None
        else Slot.objects.filter(schedule__unit__in=units)
    )
    return qs.select_related("schedule").prefetch_related("bookings")


def schedules_for_reader(*, citizen=None, units=None):
    """The units' schedules, or (for a citizen) the schedules of the citizen's bookings."""
    qs = (
        Schedule.objects.filter(slots__bookings__citizen=citizen).distinct()
        if units is None
        else Schedule.objects.filter(unit__in=units)
    )
    return qs.select_related("unit")

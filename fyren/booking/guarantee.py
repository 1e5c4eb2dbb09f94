"""The care guarantee (*vårdgarantin*, 0-3-90-90) as plain arithmetic on dates: contact
with care the same day, a medical assessment by licensed staff within 3 days
(primary care), a first visit within 90 days (specialist care), treatment
within 90 days of the decision. Calendar days; days the patient chose to wait
are counted apart and left out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PRIMARY, SPECIALIST = "primary", "specialist"
# measure → (limit in days, the level it applies to (None: both), start field, end field)
MEASURES = {
    "contact": (0, PRIMARY, "contact_on", "contacted_on"),
    "assessment": (3, PRIMARY, "contact_on", "assessed_on"),
    "first_visit": (90, SPECIALIST, "contact_on", "first_visit_on"),
    "treatment": (90, None, "decided_on", "treated_on"),
}


LABELS = {
    "contact": _("Contact the same day"),
    "assessment": _("Medical assessment within 3 days"),
    "first_visit": _("First visit within 90 days"),
    "treatment": _("Treatment within 90 days of the decision"),
}
STATES = {
    "within": _("within the limit"),
    "late": _("after the limit"),
    "running": _("running"),
    "due": _("last day"),
    "overdue": _("over the limit"),
}


@dataclass(frozen=True)
class Dates:
    level: str
    contact_on: dt.date
    contacted_on: dt.date | None = None
    assessed_on: dt.date | None = None
    first_visit_on: dt.date | None = None
    decided_on: dt.date | None = None
    treated_on: dt.date | None = None
    patient_wait_days: int = 0
    ended_on: dt.date | None = None  # ended without treatment: open measures are no longer followed


@dataclass(frozen=True)
class Measure:
    name: str
    limit: int
    days: int  # calendar days so far (or in all, when done)
    counted: int  # days minus the patient's own waits
    done: bool

    @property
    def state(self) -> str:
        """``within`` / ``late`` when done; ``running`` / ``due`` (last day) / ``overdue`` while open."""
        if self.done:
            return "within" if self.counted <= self.limit else "late"
        if self.counted > self.limit:
            return "overdue"
        return "due" if self.limit - self.counted <= 1 else "running"

    @property
    def days_left(self) -> int:
        return self.limit - self.counted

    @property
    def label(self) -> str:
        return str(LABELS[self.name])

    @property
    def state_label(self) -> str:
        return str(STATES[self.state])


def measures(dates: Dates, *, today: dt.date) -> list[Measure]:
    """The measures that apply to the case, each with its days and state."""
    found = []
    for name, (limit, level, start_field, end_field) in MEASURES.items():
        if level is not None and level != dates.level:
            continue
        start, end = getattr(dates, start_field), getattr(dates, end_field)
        if start is None or (end is None and dates.ended_on is not None):
            continue
        days = ((end or today) - start).days
        # The patient's own waits do not count against the unit (never below zero).
        counted = max(0, days - dates.patient_wait_days) if name != "contact" else days
        found.append(Measure(name, limit, days, counted, end is not None))
    return found


# Day bands of the monthly export (calendar days, the patient's own waits left out).
BANDS = ((0, 0), (1, 3), (4, 30), (31, 60), (61, 90), (91, 180), (181, None))


def band_name(low: int, high: int | None) -> str:
    return f"{low}" if low == high else f"{low}_{high}" if high is not None else f"over_{low - 1}"


def band_of(days: int) -> str:
    for low, high in BANDS:
        if days >= low and (high is None or days <= high):
            return band_name(low, high)
    raise ValueError(days)


@dataclass
class MonthFigures:
    """One measure of one unit in one month: the cases whose step was reached in
    the month (completed) and those still waiting at the month's end (or today,
    for the running month), each by day band."""

    level: str
    measure: str
    limit: int
    completed: int = 0
    within: int = 0
    waiting: int = 0
    waiting_over_limit: int = 0
    patient_wait_cases: int = 0
    completed_bands: dict[str, int] = field(default_factory=dict)
    waiting_bands: dict[str, int] = field(default_factory=dict)

    @property
    def share_within(self) -> float | None:
        return self.within / self.completed if self.completed else None

    @property
    def label(self) -> str:
        return str(LABELS[self.measure])


def month_figures(cases: Iterable[Dates], month: dt.date, *, today: dt.date) -> dict[tuple[str, str], MonthFigures]:
    """The figures of one month (``month`` is its first day) for the given cases,
    by level of care and measure. A case waiting at the month's end counts the days it has waited
    by then; days the patient chose to wait are left out of both."""
    last = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    as_of = min(last, today)
    found: dict[tuple[str, str], MonthFigures] = {}
    for case in cases:
        for name, (limit, level, start_field, end_field) in MEASURES.items():
            if level is not None and level != case.level:
                continue
            start, end = getattr(case, start_field), getattr(case, end_field)
            if start is None:
                continue
            own = case.patient_wait_days if name != "contact" else 0
            figures = found.setdefault((case.level, name), MonthFigures(case.level, name, limit))
            if end is not None and month <= end <= last:
                counted = max(0, (end - start).days - own)
                figures.completed += 1
                figures.within += counted <= limit
                figures.patient_wait_cases += own > 0
                band = band_of(counted)
                figures.completed_bands[band] = figures.completed_bands.get(band, 0) + 1
            elif (
                start <= as_of
                and month <= as_of
                and (end is None or end > as_of)
                and (case.ended_on is None or case.ended_on > as_of)
            ):
                counted = max(0, (as_of - start).days - own)
                figures.waiting += 1
                figures.waiting_over_limit += counted > limit
                band = band_of(counted)
                figures.waiting_bands[band] = figures.waiting_bands.get(band, 0) + 1
    return found


def dates_of(case) -> Dates:
    """A case's local dates (the model to the arithmetic)."""

    def day(value):
        return timezone.localtime(value).date() if value else None

    return Dates(
        case.level,
        day(case.contact_at),
        day(case.contacted_at),
        day(case.assessed_at),
        day(case.first_visit_at),
        day(case.decided_at),
        day(case.treated_at),
        case.patient_wait_days,
        day(case.ended_at),
    )

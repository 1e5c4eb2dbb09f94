"""The care guarantee (*vårdgarantin*, 0-3-90-90) as plain arithmetic on dates: contact
with care the same day, a medical assessment by licensed staff within 3 days
(primary care), a first visit within 90 days (specialist care), treatment
within 90 days of the decision. Calendar days; days the patient chose to wait
are counted apart and left out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

PRIMARY, SPECIALIST = "primary", "specialist"
# measure → (limit in days, the level it applies to (None: both), start field, end field)
MEASURES = {
    "contact": (0, PRIMARY, "contact_on", "contacted_on"),
    "assessment": (3, PRIMARY, "contact_on", "assessed_on"),
    "first_visit": (90, SPECIALIST, "contact_on", "first_visit_on"),
    "treatment": (90, None, "decided_on", "treated_on"),
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


def measures(dates: Dates, *, today: dt.date) -> list[Measure]:
    """The measures that apply to the case, each with its days and state."""
    found = []
    for name, (limit, level, start_field, end_field) in MEASURES.items():
        if level is not None and level != dates.level:
            continue
        start, end = getattr(dates, start_field), getattr(dates, end_field)
        if start is None:
            continue
        days = ((end or today) - start).days
        # The patient's own waits do not count against the unit (never below zero).
        counted = max(0, days - dates.patient_wait_days) if name != "contact" else days
        found.append(Measure(name, limit, days, counted, end is not None))
    return found


@dataclass(frozen=True)
class MonthFigures:
    measure: str
    completed: int
    within: int
    waiting: int
    patient_wait_cases: int

    @property
    def share_within(self) -> float | None:
        return self.within / self.completed if self.completed else None


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
    )

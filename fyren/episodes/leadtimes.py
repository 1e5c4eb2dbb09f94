"""Lead times between measurement points, in calendar days: pure functions, no ORM.

A lead time from point X to point Y is the number of calendar days from X's
date to Y's date. Days inside a wait the patient chose, or a medically
motivated pause, are counted apart (each day once, as the patient's choice
when both apply) and left out of the counted lead time, as the waiting-time
rules of the regions do."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

PATIENT, MEDICAL = "patient", "medical"


@dataclass(frozen=True)
class Pause:
    kind: str  # PATIENT or MEDICAL
    starts_on: dt.date
    ends_on: dt.date | None  # None: still going on


@dataclass(frozen=True)
class LeadTime:
    start: dt.date
    end: dt.date
    days: int  # calendar days from start to end
    patient_days: int  # of which the patient chose to wait
    medical_days: int  # of which were medically motivated pauses
    running: bool = False  # the end point is not reached yet: counted to today

    @property
    def counted_days(self) -> int:
        """The lead time the unit answers for: pauses left out."""
        return self.days - self.patient_days - self.medical_days


def lead_time(start: dt.date, end: dt.date, pauses: Iterable[Pause] = (), *, running: bool = False) -> LeadTime:
    """The lead time from ``start`` to ``end`` with the pause days inside it.
    A pause day is a day d with start <= d < end (the day the wait ends is
    counted to the unit, as a day of its own)."""
    if end < start:
        raise ValueError("a lead time cannot end before it starts")
    patient: set[dt.date] = set()
    medical: set[dt.date] = set()
    for pause in pauses:
        first = max(pause.starts_on, start)
        last = min(pause.ends_on or end, end - dt.timedelta(days=1))
        day = first
        bucket = patient if pause.kind == PATIENT else medical
        while day <= last:
            bucket.add(day)
            day += dt.timedelta(days=1)
    medical -= patient
    return LeadTime(start, end, (end - start).days, len(patient), len(medical), running)


def between(
    points: Mapping[str, dt.date], from_point: str, to_point: str, pauses: Iterable[Pause] = (), *, today: dt.date
) -> LeadTime | None:
    """The lead time between two points of an episode; running up to ``today``
    when only the first is recorded; None when the first is not recorded."""
    start = points.get(from_point)
    if start is None:
        return None
    end = points.get(to_point)
    if end is None:
        return lead_time(start, max(today, start), pauses, running=True)
    return lead_time(start, end, pauses)


@dataclass(frozen=True)
class TargetState:
    from_point: str
    to_point: str
    target_days: int
    lead: LeadTime | None
    warn_days_before: int = 1
    skipped: bool = False  # the end point was passed by: a later point is recorded without it

    @property
    def state(self) -> str:
        """``not_started`` · ``skipped`` · ``within`` · ``over`` (reached) ·
        ``running`` · ``due_soon`` · ``missed`` (not reached yet)."""
        if self.skipped:
            return "skipped"
        if self.lead is None:
            return "not_started"
        counted = self.lead.counted_days
        if not self.lead.running:
            return "within" if counted <= self.target_days else "over"
        if counted > self.target_days:
            return "missed"
        if self.target_days - counted <= self.warn_days_before:
            return "due_soon"
        return "running"

    @property
    def days_left(self) -> int | None:
        return None if self.lead is None else self.target_days - self.lead.counted_days


def nearest_rank(values: Sequence[float], share: float) -> float | None:
    """The nearest-rank percentile (the smallest value with at least ``share`` of
    the values at or below it): a value that occurred, as waiting-time reports give."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return float(ordered[mid]) if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


@dataclass(frozen=True)
class Summary:
    count: int
    median: float | None
    p80: float | None
    within_target: int | None  # how many reached the end within the target (None: no target)
    patient_days: int
    medical_days: int
    with_patient_wait: int  # episodes where the patient chose to wait

    @property
    def share_within(self) -> float | None:
        if self.within_target is None or not self.count:
            return None
        return self.within_target / self.count


def summarise(leads: Sequence[LeadTime], target_days: int | None) -> Summary:
    """Figures for completed lead times (running ones are not counted)."""
    done = [lead for lead in leads if not lead.running]
    counted = [lead.counted_days for lead in done]
    return Summary(
        count=len(done),
        median=median(counted),
        p80=nearest_rank(counted, 0.8),
        within_target=None if target_days is None else sum(1 for c in counted if c <= target_days),
        patient_days=sum(lead.patient_days for lead in done),
        medical_days=sum(lead.medical_days for lead in done),
        with_patient_wait=sum(1 for lead in done if lead.patient_days),
    )

"""Search parameter values and references: the kinds the mappings name,
``ref``, dates with FHIR's prefixes, ids and tokens."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

# Internal kinds (as the mapping functions name them) → the FHIR type and id.
KINDS: dict[str, tuple[str, str]] = {
    "patient": ("Patient", "{}"),
    "enrolment": ("CarePlan", "enrolment-{}"),
    "contract": ("CarePlan", "contract-{}"),
    "plan": ("CarePlan", "plan-{}"),
    "contract-team": ("CareTeam", "{}"),
    "goal": ("Goal", "{}"),
    "episode": ("EpisodeOfCare", "{}"),
    "care-request": ("ServiceRequest", "{}"),
    "schedule": ("Schedule", "{}"),
    "slot": ("Slot", "{}"),
    "appointment": ("Appointment", "{}"),
    "response": ("QuestionnaireResponse", "{}"),
    "observation": ("Observation", "{}"),
    "message": ("Communication", "{}"),
    "journal-export": ("DocumentReference", "{}"),
    "flag": ("Flag", "{}"),
}


def ref(kind: str, key) -> str:
    resource_type, pattern = KINDS[kind]
    return f"{resource_type}/{pattern.format(key)}"


class Invalid(ValueError):
    """A search parameter the server cannot use (an OperationOutcome, 400)."""


@dataclass
class Found:
    id: str
    resource: dict
    citizen_id: int | None = None


Params = dict[str, list[str]]


_PREFIXES = ("eq", "ne", "ge", "gt", "le", "lt", "sa", "eb")


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(T.+)?)?)?$")


def _date_range(value: str) -> tuple[dt.datetime, dt.datetime]:
    """A FHIR date/dateTime of any precision as [start, end) in Swedish time."""
    match = _DATE.match(value)
    if not match:
        raise Invalid(f"'{value}' is not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or a dateTime).")
    year, month, day, time = match.groups()
    tz = timezone.get_current_timezone()
    try:
        if time:
            instant = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            if instant.tzinfo is None:
                instant = instant.replace(tzinfo=tz)
            return instant, instant + dt.timedelta(seconds=1)
        if day:
            start = dt.datetime(int(year), int(month), int(day), tzinfo=tz)
            return start, start + dt.timedelta(days=1)
        if month:
            start = dt.datetime(int(year), int(month), 1, tzinfo=tz)
            following = dt.datetime(int(year) + (int(month) == 12), int(month) % 12 + 1, 1, tzinfo=tz)
            return start, following
        return dt.datetime(int(year), 1, 1, tzinfo=tz), dt.datetime(int(year) + 1, 1, 1, tzinfo=tz)
    except (ValueError, OverflowError) as exc:
        raise Invalid(f"'{value}' is not a valid date.") from exc


def date_q(field: str, values: Sequence[str], *, date_only: bool = False) -> Q:
    """Every value (AND) with its prefix: eq (default), ne, ge, gt, le, lt, sa, eb."""
    query = Q()
    for raw in values:
        prefix = raw[:2] if raw[:2] in _PREFIXES else "eq"
        start, end = _date_range(raw[2:] if raw[:2] in _PREFIXES else raw)
        low: Any = start.date() if date_only else start
        high: Any = end.date() if date_only else end
        query &= {
            "eq": Q(**{f"{field}__gte": low, f"{field}__lt": high}),
            "ne": ~Q(**{f"{field}__gte": low, f"{field}__lt": high}),
            "ge": Q(**{f"{field}__gte": low}),
            "sa": Q(**{f"{field}__gte": high}),
            "gt": Q(**{f"{field}__gte": high}),
            "le": Q(**{f"{field}__lt": high}),
            "eb": Q(**{f"{field}__lt": low}),
            "lt": Q(**{f"{field}__lt": low}),
        }[prefix]
    return query


def row_id(value: str) -> bool:
    """ASCII digits that fit a database id (a 64-bit integer): anything else matches nothing."""
    return value.isascii() and value.isdigit() and len(value) <= 18


def ids(values: Sequence[str], prefix: str = "") -> list[int]:
    """Numeric ids from ``_id`` / reference values (``Patient/7``, ``7``); one list (OR)."""
    found = []
    for value in ",".join(values).split(","):
        value = value.strip().rsplit("/", 1)[-1]
        if prefix and value.startswith(prefix):
            value = value[len(prefix) :]
        if row_id(value):
            found.append(int(value))
    return found


def tokens(values: Sequence[str]) -> list[tuple[str | None, str]]:
    out = []
    for value in ",".join(values).split(","):
        system, bar, code = value.partition("|")
        out.append((system or None, code) if bar else (None, value))
    return [(s, c) for s, c in out if c]

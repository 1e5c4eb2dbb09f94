"""Pure rules of a pseudonymised research export (no database).

- A person's pseudonym is a keyed hash (HMAC-SHA-256) of their identity number
  with the project's secret: the same in every delivery of one project, and
  unlinkable between projects (each has its own secret).
- Every date of a person is shifted by one offset (−30…+30 days, never 0), drawn
  from the same keyed hash: intervals within a person stay true, calendar dates
  do not identify.
- Age is given in bands, the region and not the unit.
- k-anonymity on the quasi-identifiers (age band, sex, region, program): a
  combination held by fewer than k people is left out, and the report says what
  was left out (counts only).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

MAX_SHIFT_DAYS = 30
QUASI_IDENTIFIERS = ("age_band", "sex", "region", "program")
AGE_BANDS = ((0, 17), (18, 29), (30, 39), (40, 49), (50, 59), (60, 69), (70, 79))


def _digest(secret: str, purpose: str, identity: str) -> bytes:
    return hmac.new(secret.encode(), f"{purpose}:{identity}".encode(), hashlib.sha256).digest()


def pseudonym(secret: str, identity: str) -> str:
    """16 hex characters (64 bits): stable per project, unlinkable across projects."""
    return _digest(secret, "person", identity).hex()[:16]


def date_offset(secret: str, identity: str) -> int:
    """The person's shift in days, in −MAX_SHIFT_DAYS…+MAX_SHIFT_DAYS without 0."""
    value = int.from_bytes(_digest(secret, "offset", identity)[:4], "big") % (2 * MAX_SHIFT_DAYS)
    return value - MAX_SHIFT_DAYS if value < MAX_SHIFT_DAYS else value - MAX_SHIFT_DAYS + 1


def shifted(day: dt.date | dt.datetime | None, offset: int) -> dt.date | None:
    if day is None:
        return None
    if isinstance(day, dt.datetime):
        day = day.date()
    return day + dt.timedelta(days=offset)


def age_band(age: int) -> str:
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}-{high}"
    return "80+"


@dataclass
class Suppressed:
    """One combination of quasi-identifiers held by fewer than k people."""

    values: dict
    people: int


@dataclass
class KReport:
    k: int
    kept_rows: int = 0
    dropped_rows: int = 0
    groups: list[Suppressed] = field(default_factory=list)

    @property
    def dropped_people(self) -> int:
        return sum(g.people for g in self.groups)


def k_anonymous(
    rows: Sequence[dict], *, k: int, person: str = "pseudonym", keys: Iterable[str] = QUASI_IDENTIFIERS
) -> tuple[list[dict], KReport]:
    """Rows whose quasi-identifier combination is held by at least ``k`` distinct
    people; the rest are left out and counted in the report."""
    keys = tuple(keys)
    people: defaultdict[tuple, set] = defaultdict(set)
    for row in rows:
        people[tuple(row[key] for key in keys)].add(row[person])
    failing = {combo for combo, who in people.items() if len(who) < k}
    report = KReport(k=k)
    kept = []
    for row in rows:
        if tuple(row[key] for key in keys) in failing:
            report.dropped_rows += 1
        else:
            kept.append(row)
    report.kept_rows = len(kept)
    report.groups = [
        Suppressed(values=dict(zip(keys, combo, strict=True)), people=len(people[combo])) for combo in sorted(failing)
    ]
    return kept, report

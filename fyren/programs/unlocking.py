"""Module unlocking (pure): which modules of an enrolment are locked, open or done.

Rules:
- ``all``: every module is open from the start.
- ``sequence``: the first module is open; each next one opens when the one
  before it is done.
- ``clinician``: a module opens when the clinician opens it for this patient
  (the first is open from the start).
- ``schedule``: module N (counting from 0) opens N × ``interval_days`` days after
  the start.
A done module stays done; a module the clinician has opened is open whatever
the rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

LOCKED, OPEN, DONE = "locked", "open", "done"
RULES = ("all", "sequence", "clinician", "schedule")


def module_states(
    *,
    rule: str,
    module_keys: Sequence[str],
    done: Iterable[str] = (),
    opened_by_clinician: Iterable[str] = (),
    started_on: dt.date | None = None,
    today: dt.date | None = None,
    interval_days: int = 7,
) -> dict[str, str]:
    if rule not in RULES:
        raise ValueError(f"Unknown unlocking rule {rule!r}")
    done, opened = set(done), set(opened_by_clinician)
    states: dict[str, str] = {}
    previous_done = True
    for index, key in enumerate(module_keys):
        if key in done:
            states[key] = DONE
            previous_done = True
            continue
        if rule == "all" or key in opened:
            is_open = True
        elif rule == "sequence":
            is_open = previous_done
        elif rule == "clinician":
            is_open = index == 0
        else:  # schedule
            is_open = (
                started_on is not None
                and today is not None
                and today >= started_on + dt.timedelta(days=index * interval_days)
            )
        states[key] = OPEN if is_open else LOCKED
        previous_done = False
    return states


def opens_on(*, rule: str, index: int, started_on: dt.date, interval_days: int = 7) -> dt.date | None:
    """The day a scheduled module opens (None for other rules)."""
    if rule != "schedule":
        return None
    return started_on + dt.timedelta(days=index * interval_days)

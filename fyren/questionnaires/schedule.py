"""When a program's questionnaires are due (pure).

A questionnaire element's ``content["schedule"]`` holds any of:
``at_start`` (bool), ``weekly`` (bool), ``before_each_module`` (bool),
``at_end`` (bool), ``follow_up_weeks`` (int or null)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping


def sends_at_start(
    schedule: Mapping, *, start: dt.date, module_count: int, interval_days: int, weeks: int | None = None
) -> list[tuple[dt.date, str]]:
    """Sends known when an enrolment starts: at start, weekly through the
    program's expected length, and before each module when modules follow a
    schedule (module N opens N × interval days after start)."""
    planned: list[tuple[dt.date, str]] = []
    if schedule.get("at_start"):
        planned.append((start, "start"))
    length_weeks = weeks if weeks is not None else max(1, (module_count * interval_days) // 7)
    if schedule.get("weekly"):
        planned += [(start + dt.timedelta(weeks=n), "weekly") for n in range(1, length_weeks + 1)]
    if schedule.get("before_each_module"):
        planned += [(start + dt.timedelta(days=n * interval_days), "module") for n in range(1, module_count)]
    return sorted(set(planned))


def sends_at_end(schedule: Mapping, *, end: dt.date) -> list[tuple[dt.date, str]]:
    planned = []
    if schedule.get("at_end"):
        planned.append((end, "end"))
    if schedule.get("follow_up_weeks"):
        planned.append((end + dt.timedelta(weeks=int(schedule["follow_up_weeks"])), "follow_up"))
    return planned

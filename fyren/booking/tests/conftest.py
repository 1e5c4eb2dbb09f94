import datetime as dt

import pytest
from django.utils import timezone

from fyren.accounts.roles import Role
from fyren.booking import schedule_services
from fyren.booking.models import Audience, VisitKind


@pytest.fixture
def booking_world(world, make):
    """Unit A publishes Anna-like times: its clinician's schedule, web booking open
    for the unit's patients, tomorrow and the day after at 09:00–10:00 in 30-minute times."""
    w = world
    w.admin = make.staff("bookingadmin", (Role.ENROLMENT_ADMIN, w.unit))
    w.schedule = schedule_services.schedule_save(
        actor=w.admin, unit=w.unit, kind="clinician", title="", clinician=w.clinician
    )
    w.slots = []
    tomorrow = timezone.localdate() + dt.timedelta(days=2)
    for day in (tomorrow, tomorrow + dt.timedelta(days=1)):
        for hour, minute in ((9, 0), (9, 30)):
            w.slots.append(
                schedule_services.slot_add(
                    actor=w.admin,
                    schedule=w.schedule,
                    starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute))),
                    minutes=30,
                    visit_kind=VisitKind.AT_UNIT,
                    audience=Audience.LISTED,
                )
            )
    return w

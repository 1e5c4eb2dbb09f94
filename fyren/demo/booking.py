"""Demo booking: Fyrbacken publishes a week of times with Eva Falk (web booking
for its patients); Hamnen has video times with Anna Lind. Sara has a video
visit at Hamnen tomorrow and a time offered by Fyrbacken waiting for her answer.
Made through the services, as the units would."""

import datetime as dt

from django.utils import timezone

from fyren.accounts.models import User
from fyren.booking import services
from fyren.booking.guarantee_services import guarantee_mark, guarantee_register
from fyren.booking.models import Audience, Schedule, VisitKind


def load_booking(people: dict) -> int:
    units, sara = people["units"], people["citizens"]["sara"]
    hamnen, fyrbacken = units[0], units[1]
    if Schedule.objects.filter(unit__in=[hamnen, fyrbacken]).exists():
        return 0
    anna, eva = User.objects.get(username="anna.lind"), User.objects.get(username="eva.falk")
    today = timezone.localdate()
    week_end = today + dt.timedelta(days=8)
    tomorrow = today + dt.timedelta(days=1)
    eva_times = _weekdays(
        eva,
        fyrbacken,
        (dt.time(9), dt.time(12), 30),
        VisitKind.AT_UNIT,
        Audience.LISTED,
        tomorrow,
        week_end,
        reasons=["Uppföljning", "Blodtryck"],
    )
    anna_times = _weekdays(
        anna, hamnen, (dt.time(13), dt.time(15), 45), VisitKind.VIDEO, Audience.OFFERED, tomorrow, week_end
    )
    video = anna_times.slots.filter(starts_at__date__gte=tomorrow).order_by("starts_at").first()
    if video is not None:
        services.booking_make(actor=anna, citizen=sara, slot=video, reason="Uppföljning av KBT")
    offered = list(eva_times.slots.order_by("starts_at")[2:4])
    services.times_offer(actor=eva, citizen=sara, slots=offered, reason="Blodtryck och sömn")
    # Gunnar called Fyrbacken two days ago: contacted the same day, the medical
    # assessment is due tomorrow at the latest (flagged at the unit).
    called = timezone.now() - dt.timedelta(days=2)
    case = guarantee_register(
        actor=eva, citizen=people["citizens"]["gunnar"], unit=fyrbacken, level="primary", at=called
    )
    guarantee_mark(actor=eva, case=case, step="contacted_at", at=called + dt.timedelta(hours=2))
    return 1


def _weekdays(clinician, unit, hours, kind, audience, first, last, reasons=()):
    """The clinician's schedule at the unit with times Monday to Friday, published."""
    starts, ends, minutes = hours
    schedule = services.schedule_save(
        actor=clinician, unit=unit, kind=Schedule.Kind.CLINICIAN, title="", clinician=clinician
    )
    for weekday in range(5):
        template = services.template_save(
            actor=clinician,
            schedule=schedule,
            weekday=weekday,
            starts=starts,
            ends=ends,
            minutes=minutes,
            visit_kind=kind,
            audience=audience,
            valid_from=first,
            valid_to=last,
            reasons=reasons,
        )
        services.slots_publish(actor=clinician, template=template)
    return schedule

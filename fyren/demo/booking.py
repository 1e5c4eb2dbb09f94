"""Demo booking: Fyrbacken publishes a week of times with Eva Falk (web booking
for its patients); Hamnen has video times with Anna Lind. Sara has a video
visit at Hamnen tomorrow and a time offered by Fyrbacken waiting for her answer.
Made through the services, as the units would."""

import datetime as dt

from django.utils import timezone

from fyren.accounts.models import User
from fyren.booking import services
from fyren.booking.models import Audience, Schedule, VisitKind


def load_booking(people: dict) -> int:
    units, sara = people["units"], people["citizens"]["sara"]
    hamnen, fyrbacken = units[0], units[1]
    if Schedule.objects.filter(unit__in=[hamnen, fyrbacken]).exists():
        return 0
    anna, eva = User.objects.get(username="anna.lind"), User.objects.get(username="eva.falk")
    today = timezone.localdate()
    week_end = today + dt.timedelta(days=8)
    eva_times = services.schedule_save(actor=eva, unit=fyrbacken, kind=Schedule.Kind.CLINICIAN, title="", clinician=eva)
    for weekday in range(5):
        template = services.template_save(
            actor=eva,
            schedule=eva_times,
            weekday=weekday,
            starts=dt.time(9, 0),
            ends=dt.time(12, 0),
            minutes=30,
            visit_kind=VisitKind.AT_UNIT,
            audience=Audience.LISTED,
            valid_from=today + dt.timedelta(days=1),
            valid_to=week_end,
            reasons=["Uppföljning", "Blodtryck"],
        )
        services.slots_publish(actor=eva, template=template)
    anna_times = services.schedule_save(actor=anna, unit=hamnen, kind=Schedule.Kind.CLINICIAN, title="", clinician=anna)
    tomorrow = today + dt.timedelta(days=1)
    for weekday in range(5):
        template = services.template_save(
            actor=anna,
            schedule=anna_times,
            weekday=weekday,
            starts=dt.time(13, 0),
            ends=dt.time(15, 0),
            minutes=45,
            visit_kind=VisitKind.VIDEO,
            audience=Audience.OFFERED,
            valid_from=tomorrow,
            valid_to=week_end,
        )
        services.slots_publish(actor=anna, template=template)
    video = anna_times.slots.filter(starts_at__date__gte=tomorrow).order_by("starts_at").first()
    if video is not None:
        services.booking_make(actor=anna, citizen=sara, slot=video, reason="Uppföljning av KBT")
    offered = list(eva_times.slots.order_by("starts_at")[2:4])
    services.times_offer(actor=eva, citizen=sara, slots=offered, reason="Blodtryck och sömn")
    return 1

"""Demo booking: Fyrbacken publishes a week of times with Eva Falk (web booking
for its patients); Hamnen has video times with Anna Lind. Sara has a video
visit at Hamnen in a few days (the follow-up talk in her patient contract) and a
time offered by Fyrbacken waiting for her answer. Fyrbacken is measured
against the primary-care guarantee, Hamnen against the specialist one:
Gunnar's contact at Fyrbacken is near the 3-day limit, his care request at
Hamnen runs the 90-day clock, and four months of finished contacts give the
analysts their figures. Made through the services where a unit would act;
the history is written directly, dated in the past. Every load also gives
Sara a video visit starting within ten minutes, so check-in and the waiting
room can be tried at any hour."""

import datetime as dt
import uuid

from django.conf import settings
from django.utils import timezone

from fyren.accounts.models import User
from fyren.booking import schedule_services, services, waiting_room
from fyren.booking.guarantee_services import guarantee_mark, guarantee_register
from fyren.booking.models import Audience, Booking, BookingAgreement, GuaranteeCase, Schedule, Slot, VisitKind
from fyren.careplans.models import Contract
from fyren.careplans.services import activity_save
from fyren.episodes.models import EpisodePoint
from fyren.messaging.services import contact_request_send
from fyren.organisations.models import CareUnit


def load_booking(people: dict) -> int:
    made = _first_load(people)
    todays_visit(people)
    return made


def todays_visit(people: dict) -> Booking | None:
    """A video visit for Sara with Anna Lind at Hamnen that she can check in to
    now: made again at every load (``make run``) when the last one is over, so
    the waiting room and check-in show at any hour without making a time."""
    hamnen, sara = people["units"][0], people["citizens"]["sara"]
    anna = User.objects.get(username="anna.lind")
    schedule = Schedule.objects.filter(unit=hamnen, clinician=anna).first()
    if schedule is None:
        return None
    now = timezone.now()
    standing = Booking.objects.filter(
        citizen=sara,
        slot__schedule=schedule,
        status__in=(Booking.Status.BOOKED, Booking.Status.ARRIVED),
        slot__starts_at__lte=now + dt.timedelta(minutes=settings.FYREN_VIDEO_LINK_MINUTES_BEFORE),
        slot__ends_at__gte=now + dt.timedelta(minutes=20),
    ).first()
    if standing is not None:
        return standing
    # Ten minutes from now at the latest, on the next five minutes: check-in is open at once
    # and stays open through the 45 minutes of the visit.
    start = (now + dt.timedelta(minutes=10)).replace(second=0, microsecond=0)
    start -= dt.timedelta(minutes=start.minute % 5)
    while Slot.objects.filter(schedule=schedule, starts_at=start).exists():
        start += dt.timedelta(minutes=5)
    slot = schedule_services.slot_add(
        actor=anna,
        schedule=schedule,
        starts_at=start,
        minutes=45,
        visit_kind=VisitKind.VIDEO,
        audience=Audience.OFFERED,
    )
    return services.booking_make(actor=anna, citizen=sara, slot=slot, reason="Samtal om sömnen")


def _first_load(people: dict) -> int:
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
    # Two days ahead at least: Sara can still move it herself (the unit's limit is 24 hours).
    video = anna_times.slots.filter(starts_at__gte=timezone.now() + dt.timedelta(days=2)).order_by("starts_at").first()
    if video is not None:
        services.booking_make(actor=anna, citizen=sara, slot=video, reason="Uppföljning av KBT")
        contract = Contract.objects.filter(citizen=sara, started_unit=hamnen).first()
        if contract is not None:
            activity_save(
                actor=anna,
                contract=contract,
                unit=hamnen,
                what="Uppföljande samtal om KBT-programmet",
                how="video",
                who_person=anna,
                starts_on=timezone.localtime(video.starts_at).date(),
                booking=Booking.objects.get(slot=video),
            )
    # Fyrbacken lets Hamnen's staff book their patients into Eva Falk's times (a follow-up at the health centre).
    BookingAgreement.objects.create(schedule=eva_times, booking_unit=hamnen, granted_by=eva)
    offered = list(eva_times.slots.order_by("starts_at")[2:4])
    services.times_offer(actor=eva, citizen=sara, slots=offered, reason="Blodtryck och sömn")
    # Gunnar called Fyrbacken two days ago: contacted the same day, the medical
    # assessment is due tomorrow at the latest (flagged at the unit).
    called = timezone.now() - dt.timedelta(days=2)
    case = guarantee_register(
        actor=eva, citizen=people["citizens"]["gunnar"], unit=fyrbacken, level="primary", at=called
    )
    guarantee_mark(actor=eva, case=case, step="contacted_at", at=called + dt.timedelta(hours=2))
    johan = User.objects.get(username="johan.ek")
    # Fyrbacken counts the medical assessment only from a physician or a nurse.
    services.booking_rules_set(
        actor=eva,
        unit=fyrbacken,
        change_until_hours=24,
        remind_hours=24,
        guarantee_level="primary",
        assessment_professions=["LK", "SJ"],
    )
    _unlicensed_visit(people["citizens"]["gunnar"], fyrbacken, called + dt.timedelta(days=1))
    _contact_request(people["citizens"]["britt"], fyrbacken, hamnen)
    services.booking_rules_set(
        actor=johan, unit=hamnen, change_until_hours=24, remind_hours=24, guarantee_level="specialist"
    )
    # Gunnar's care request waits at Hamnen: the clock runs from its arrival (B).
    received = (
        EpisodePoint.objects.filter(
            episode__citizen=people["citizens"]["gunnar"], episode__unit=hamnen, episode__status="requested", point="B"
        )
        .select_related("episode")
        .first()
    )
    if received is not None:
        GuaranteeCase.objects.create(
            citizen=received.episode.citizen,
            unit=hamnen,
            level="specialist",
            source=GuaranteeCase.Source.FYREN,
            contact_at=received.at,
            episode=received.episode,
        )
    _history(people, hamnen, fyrbacken, eva, anna)
    return 1


def _contact_request(britt, fyrbacken, hamnen) -> None:
    """Both units take contact requests; Britt, in no program, asked Fyrbacken this
    morning to call her: the request waits in its inbox and, Fyrbacken being
    measured against the primary-care guarantee, its case runs from today."""
    for unit in (fyrbacken, hamnen):
        CareUnit.objects.filter(pk=unit.pk).update(accepts_contact_requests=True)
    fyrbacken.refresh_from_db()
    contact_request_send(
        actor=britt.user,
        citizen=britt,
        unit=fyrbacken,
        topic="Yrsel sedan en vecka",
        body="Jag har känt mig yr på morgnarna sedan förra veckan och undrar om jag behöver komma in.",
        how="phone",
        phone="070-555 12 34",
        when="Vardagar före lunch",
        client_token=uuid.uuid5(uuid.NAMESPACE_URL, "fyren-demo-britt-contact"),
    )


def _unlicensed_visit(gunnar, fyrbacken, at) -> None:
    """Yesterday Gunnar saw Oskar Vik, a KBT therapist without a licence: the visit
    was held, but it is not the medical assessment, which is still due."""
    oskar = User.objects.get(username="oskar.vik")
    schedule = Schedule.objects.create(unit=fyrbacken, kind=Schedule.Kind.CLINICIAN, clinician=oskar, title="Oskar Vik")
    slot = Slot.objects.create(
        schedule=schedule,
        starts_at=at,
        ends_at=at + dt.timedelta(minutes=45),
        visit_kind=VisitKind.AT_UNIT,
        audience=Audience.STAFF,
    )
    visit = Booking.objects.create(
        slot=slot, citizen=gunnar, unit=fyrbacken, status=Booking.Status.BOOKED, waiting_since=at, reason="Oro"
    )
    waiting_room.visit_outcome(actor=oskar, booking=visit, held=True)


def _history(people, hamnen, fyrbacken, eva, anna):
    """Four months of finished contacts (figures for the analysts): most within
    the limits, some late, a few with waits the patient chose."""
    citizens = list(people["citizens"].values())
    now = timezone.now()
    cases = []
    for n in range(48):
        contact = now - dt.timedelta(days=125 - n * 2.3, hours=n % 5)
        if n % 4:  # primary care at Fyrbacken: contact the same day, assessment in 0–5 days
            assess = (0, 1, 2, 3, 1, 2, 5, 4)[n % 8]
            cases.append(
                GuaranteeCase(
                    citizen=citizens[n % len(citizens)],
                    unit=fyrbacken,
                    level="primary",
                    contact_at=contact,
                    registered_by=eva,
                    contacted_at=contact + dt.timedelta(hours=1 + n % 3),
                    assessed_at=contact + dt.timedelta(days=assess),
                    assessed_by=eva,
                    patient_wait_days=2 if assess >= 4 and n % 3 == 0 else 0,
                    ended_at=contact + dt.timedelta(days=assess) if n % 6 == 1 else None,
                    end_reason="Egenvård räckte" if n % 6 == 1 else "",
                    decided_at=None if n % 6 == 1 else contact + dt.timedelta(days=assess),
                    treated_at=None if n % 6 == 1 else contact + dt.timedelta(days=assess + 7 + n % 9),
                )
            )
        else:  # specialist care at Hamnen: first visit in 20–110 days
            first = (20, 45, 70, 88, 95, 110)[(n // 4) % 6]
            visit = contact + dt.timedelta(days=first)
            cases.append(
                GuaranteeCase(
                    citizen=citizens[n % len(citizens)],
                    unit=hamnen,
                    level="specialist",
                    contact_at=contact,
                    registered_by=anna,
                    source=GuaranteeCase.Source.FYREN,
                    first_visit_at=visit if visit < now else None,
                    decided_at=visit if visit < now else None,
                    treated_at=visit + dt.timedelta(days=14) if visit + dt.timedelta(days=14) < now else None,
                    patient_wait_days=10 if first >= 95 else 0,
                )
            )
    GuaranteeCase.objects.bulk_create(cases)


def _weekdays(clinician, unit, hours, kind, audience, first, last, reasons=()):
    """The clinician's schedule at the unit with times Monday to Friday, published."""
    starts, ends, minutes = hours
    schedule = schedule_services.schedule_save(
        actor=clinician, unit=unit, kind=Schedule.Kind.CLINICIAN, title="", clinician=clinician
    )
    for weekday in range(5):
        template = schedule_services.template_save(
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
        schedule_services.slots_publish(actor=clinician, template=template)
    return schedule

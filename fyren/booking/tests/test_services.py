import datetime as dt
import threading
import uuid
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone

from fyren.accounts.roles import Role
from fyren.booking import schedule_services, selectors, services
from fyren.booking.models import Audience, Booking, Slot, UnitBookingRules, VisitKind, WeeklyTemplate
from fyren.booking.reminders import reminders_send
from fyren.notifications.models import Notification

pytestmark = pytest.mark.django_db
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def test_a_weekly_template_keeps_wall_clock_times_across_both_daylight_saving_changes(booking_world):
    w = booking_world
    # 2027-03-28 and 2027-10-31 are the Sundays of the changes; a Sunday template on them.
    for day in (dt.date(2027, 3, 28), dt.date(2027, 10, 31)):
        template = WeeklyTemplate(
            schedule=w.schedule,
            weekday=6,
            starts=dt.time(8, 0),
            ends=dt.time(10, 0),
            minutes=60,
            visit_kind="video",
            audience="listed",
            valid_from=day - dt.timedelta(days=7),
            valid_to=day + dt.timedelta(days=7),
        )
        times = schedule_services.template_times(template)
        assert [t[0].astimezone(STOCKHOLM).time() for t in times] == [dt.time(8), dt.time(9)] * 3
        utc_hours = {t[0].date(): t[0].astimezone(dt.UTC).hour for t in times}
        assert len(set(utc_hours.values())) == 2  # the UTC hour moves with the change, the wall clock does not


def test_publishing_makes_slots_once(booking_world, today):
    w = booking_world
    template = schedule_services.template_save(
        actor=w.admin,
        schedule=w.schedule,
        weekday=today.weekday(),
        starts=dt.time(13),
        ends=dt.time(15),
        minutes=20,
        visit_kind="phone",
        audience="offered",
        valid_from=today + dt.timedelta(days=1),
        valid_to=today + dt.timedelta(days=21),
    )
    assert schedule_services.slots_publish(actor=w.admin, template=template) == 18
    assert schedule_services.slots_publish(actor=w.admin, template=template) == 0
    with pytest.raises(ValidationError):
        schedule_services.template_save(
            actor=w.admin,
            schedule=w.schedule,
            weekday=1,
            starts=dt.time(15),
            ends=dt.time(13),
            minutes=20,
            visit_kind="phone",
            audience="offered",
            valid_from=today,
            valid_to=today,
        )
    with pytest.raises(PermissionDenied):
        schedule_services.slots_publish(actor=w.outsider, template=template)


def test_a_time_in_hand_offered_accepted_and_the_others_freed(booking_world):
    w = booking_world
    offers = services.times_offer(actor=w.clinician, citizen=w.patient, slots=w.slots[:2], reason="Uppföljning")
    assert {b.status for b in offers} == {"offered"}
    assert Notification.objects.filter(citizen=w.patient, event="appointment").exists() or not w.patient.email
    with pytest.raises(PermissionDenied):
        services.offer_accept(actor=w.stranger.user, booking=offers[1])
    services.offer_accept(actor=w.patient.user, booking=offers[1])
    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert statuses[offers[1].pk] == "booked" and statuses[offers[0].pk] == "declined"
    assert not Booking.objects.get(pk=offers[0].pk).patient_choice
    # The freed time can be taken again at once.
    services.booking_make(actor=w.clinician, citizen=w.patient, slot=w.slots[0])


def test_declining_an_offer_is_the_patients_choice(booking_world):
    w = booking_world
    offers = services.times_offer(actor=w.clinician, citizen=w.patient, slots=w.slots[:2])
    assert services.offer_decline(actor=w.patient.user, booking=offers[0], reason="Bortrest") == 2
    assert set(Booking.objects.values_list("patient_choice", flat=True)) == {True}


def test_offers_only_to_a_patient_of_the_unit(booking_world):
    w = booking_world
    with pytest.raises(PermissionDenied):
        services.times_offer(actor=w.clinician, citizen=w.stranger, slots=w.slots[:1])
    with pytest.raises(PermissionDenied):
        services.times_offer(actor=w.outsider, citizen=w.patient, slots=w.slots[:1])
    assert not Booking.objects.exists()


def test_web_booking_only_where_open_for_the_citizen(booking_world):
    w = booking_world
    booking = services.booking_make(actor=w.patient.user, citizen=w.patient, slot=w.slots[0])
    assert booking.status == "booked"
    with pytest.raises(PermissionDenied):
        services.booking_make(actor=w.stranger.user, citizen=w.stranger, slot=w.slots[1])  # not a patient here
    Slot.objects.filter(pk=w.slots[2].pk).update(audience=Audience.OFFERED)
    with pytest.raises(PermissionDenied):
        services.booking_make(actor=w.patient.user, citizen=w.patient, slot=w.slots[2])


def test_no_double_booking(booking_world):
    w = booking_world
    services.booking_make(actor=w.patient.user, citizen=w.patient, slot=w.slots[0])
    with pytest.raises(ValidationError):
        services.booking_make(actor=w.clinician, citizen=w.patient, slot=w.slots[0])
    with pytest.raises(ValidationError):
        services.times_offer(actor=w.clinician, citizen=w.patient, slots=w.slots[:2])
    assert Booking.objects.count() == 1


def test_booking_twice_with_one_token_books_once(booking_world):
    w = booking_world
    token = uuid.uuid4()
    first = services.booking_make(actor=w.patient.user, citizen=w.patient, slot=w.slots[0], client_token=token)
    assert services.booking_make(actor=w.patient.user, citizen=w.patient, slot=w.slots[0], client_token=token) == first


def test_a_rebooking_keeps_the_chain_and_the_start_of_the_wait(booking_world):
    w = booking_world
    first = services.booking_make(actor=w.patient.user, citizen=w.patient, slot=w.slots[0])
    second = services.booking_rebook(actor=w.patient.user, booking=first, slot=w.slots[2], reason="Krockar med jobbet")
    first.refresh_from_db()
    assert first.status == "replaced" and first.patient_choice and second.replaces == first
    assert second.waiting_since == first.waiting_since
    assert selectors.current_of(first) == second
    # The freed time is bookable again; the old one cannot be rebooked.
    services.booking_make(actor=w.clinician, citizen=w.patient, slot=w.slots[0])
    with pytest.raises(ValidationError):
        services.booking_rebook(actor=w.patient.user, booking=first, slot=w.slots[3])


def test_the_citizen_changes_only_until_the_units_deadline_staff_always(booking_world):
    w = booking_world
    UnitBookingRules.objects.create(unit=w.unit, change_until_hours=72)
    booking = services.booking_make(actor=w.patient.user, citizen=w.patient, slot=w.slots[0])  # in about 48 h
    with pytest.raises(ValidationError):
        services.booking_cancel(actor=w.patient.user, booking=booking, reason="Sjuk")
    with pytest.raises(ValidationError):
        services.booking_rebook(actor=w.patient.user, booking=booking, slot=w.slots[3])
    with pytest.raises(ValidationError):
        services.booking_cancel(actor=w.clinician, booking=booking, reason="")
    services.booking_cancel(actor=w.clinician, booking=booking, reason="Behandlaren sjuk")
    booking.refresh_from_db()
    assert booking.status == "cancelled" and not booking.patient_choice


def test_blocking_a_period_makes_times_unavailable_and_lists_the_bookings_to_move(booking_world):
    w = booking_world
    booking = services.booking_make(actor=w.patient.user, citizen=w.patient, slot=w.slots[0])
    day = w.slots[0].starts_at
    touched = schedule_services.period_block(
        actor=w.admin,
        schedule=w.schedule,
        starts_at=day - dt.timedelta(hours=1),
        ends_at=day + dt.timedelta(hours=3),
        reason="Utbildning",
    )
    assert touched == [booking]
    with pytest.raises(ValidationError):
        services.booking_make(actor=w.patient.user, citizen=w.patient, slot=w.slots[1])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_same_time_at_the_same_instant_get_one_booking(booking_world, make):
    w = booking_world
    other = make.citizen("Olle", "Other", birth=dt.date(1980, 2, 2))
    make.care_relation(other, w.unit)
    barrier = threading.Barrier(2)
    results = []

    def take(citizen):
        try:
            barrier.wait()
            results.append(services.booking_make(actor=citizen.user, citizen=citizen, slot=w.slots[0]).pk)
        except ValidationError:
            results.append("taken")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(c,)) for c in (w.patient, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(map(str, results))[-1] == "taken" and len([r for r in results if r != "taken"]) == 1
    assert Booking.objects.filter(slot=w.slots[0]).count() == 1


def test_a_reminder_goes_once_within_the_units_lead_time(booking_world):
    w = booking_world
    w.patient.email, w.patient.notify_email = "pia@example.org", True
    w.patient.save()
    UnitBookingRules.objects.create(unit=w.unit, remind_hours=24)
    booking = services.booking_make(actor=w.clinician, citizen=w.patient, slot=w.slots[0])
    before = booking.slot.starts_at - dt.timedelta(hours=30)
    assert reminders_send(now=before) == 0  # not yet within 24 hours
    due = booking.slot.starts_at - dt.timedelta(hours=20)
    assert reminders_send(now=due) == 1
    assert reminders_send(now=due + dt.timedelta(hours=1)) == 0  # once, however often it runs
    notice = Notification.objects.get(event_key__startswith=f"reminder:{booking.pk}:")
    assert notice.event == "appointment"
    moved = services.booking_rebook(actor=w.clinician, booking=booking, slot=w.slots[1])
    assert reminders_send(now=moved.slot.starts_at - dt.timedelta(hours=2)) == 1


# --- moving a visit: the times the citizen may take ----------------------------------------------


def _time(w, schedule, *, days: int, hour: int, kind=VisitKind.AT_UNIT, audience=Audience.LISTED, unit=None):
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=days), dt.time(hour)))
    return schedule_services.slot_add(
        actor=w.admin, schedule=schedule, starts_at=start, minutes=30, visit_kind=kind, audience=audience
    )


@pytest.mark.parametrize(
    ("kind", "title"), [("clinician", ""), ("role", "Psykolog"), ("room", "Rum 3")], ids=["clinician", "role", "room"]
)
@pytest.mark.parametrize("audience", [Audience.LISTED, Audience.OFFERED], ids=["web-booked", "offered"])
def test_a_citizen_moves_a_visit_within_its_schedule_and_kind(booking_world, make, kind, title, audience):
    w = booking_world
    other_clinician = make.staff("other", (Role.CLINICIAN, w.unit))
    clinician = w.clinician if kind == "clinician" else None
    schedule = (
        w.schedule
        if kind == "clinician"
        else schedule_services.schedule_save(actor=w.admin, unit=w.unit, kind=kind, title=title, clinician=clinician)
    )
    video = VisitKind.VIDEO
    mine = _time(w, schedule, days=3, hour=13, kind=video, audience=audience)
    same = _time(w, schedule, days=4, hour=13, kind=video, audience=audience)
    web = _time(w, schedule, days=4, hour=14, kind=video, audience=Audience.LISTED)
    at_unit = _time(w, schedule, days=4, hour=15, kind=VisitKind.AT_UNIT, audience=audience)
    staff_only = _time(w, schedule, days=4, hour=16, kind=video, audience=Audience.STAFF)
    elsewhere = schedule_services.schedule_save(
        actor=w.admin, unit=w.unit, kind="clinician", title="", clinician=other_clinician
    )
    other_schedule = _time(w, elsewhere, days=4, hour=13, kind=video, audience=Audience.LISTED)
    other_unit_schedule = schedule_services.schedule_save(
        actor=w.outsider, unit=w.other_unit, kind="room", title="Rum B", clinician=None
    )
    make.care_relation(w.patient, w.other_unit)
    other_unit = schedule_services.slot_add(
        actor=w.outsider,
        schedule=other_unit_schedule,
        starts_at=same.starts_at,
        minutes=30,
        visit_kind=video,
        audience=Audience.LISTED,
    )
    if audience == Audience.OFFERED:
        (booking,) = services.times_offer(actor=w.clinician, citizen=w.patient, slots=[mine])
        booking = services.offer_accept(actor=w.patient.user, booking=booking)
    else:
        booking = services.booking_make(actor=w.patient.user, citizen=w.patient, slot=mine)
    offered = {s.pk for s in selectors.rebookable_slots(booking)}
    assert offered == {same.pk, web.pk}  # same schedule, still video, hers to take; not her own time
    for refused in (at_unit, staff_only, other_schedule, other_unit):
        with pytest.raises(ValidationError):
            services.booking_rebook(actor=w.patient.user, booking=booking, slot=refused)
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.BOOKED  # nothing changed
    moved = services.booking_rebook(actor=w.patient.user, booking=booking, slot=same)
    assert moved.slot == same and moved.replaces_id == booking.pk
    # The unit may let citizens change the kind of visit.
    services.booking_rules_set(
        actor=w.admin, unit=w.unit, change_until_hours=24, remind_hours=24, citizen_may_change_visit_kind=True
    )
    assert at_unit.pk in {s.pk for s in selectors.rebookable_slots(moved)}
    # Staff move a visit to any free time of the unit, whatever its schedule.
    assert services.booking_rebook(actor=w.clinician, booking=moved, slot=other_schedule).slot == other_schedule

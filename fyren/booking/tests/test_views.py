import csv
import datetime as dt
import io
import uuid

import pytest
from django.utils import timezone
from icalendar import Calendar

from conftest import force_login_staff, login_citizen
from fyren.accounts.roles import Role
from fyren.booking import schedule_services, services
from fyren.booking.guarantee_services import guarantee_mark, guarantee_register
from fyren.booking.models import Audience, Booking, CalendarFeed, GuaranteeCase, Slot, UnitBookingRules, VisitKind
from fyren.booking.selectors import bookings_for_citizen_user
from fyren.care.models import CareRelation

pytestmark = pytest.mark.django_db


def test_the_citizen_takes_an_offered_time(client, booking_world):
    w = booking_world
    offers = services.times_offer(actor=w.clinician, citizen=w.patient, slots=w.slots[:2])
    login_citizen(client, w.patient)
    page = client.get("/me/bookings/").content.decode()
    assert "Ta den här tiden" in page or "Take this time" in page
    client.post(f"/me/bookings/{offers[1].pk}/accept/")
    assert Booking.objects.get(pk=offers[1].pk).status == "booked"
    assert Booking.objects.get(pk=offers[0].pk).status == "declined"


def test_web_booking_rebooking_and_old_links(client, booking_world):
    w = booking_world
    login_citizen(client, w.patient)
    client.post("/me/bookings/book/", {"citizen": w.patient.pk, "slot": w.slots[0].pk, "client_token": uuid.uuid4()})
    first = Booking.objects.get()
    response = client.post(f"/me/bookings/{first.pk}/rebook/", {"slot": w.slots[3].pk, "reason": "Jobbet"})
    second = Booking.objects.get(replaces=first)
    assert response.url == f"/me/bookings/{second.pk}/"
    # The old link leads to the visit that now stands.
    assert client.get(f"/me/bookings/{first.pk}/").url == f"/me/bookings/{second.pk}/"
    client.post(f"/me/bookings/{second.pk}/cancel/", {"reason": "Frisk nu"})
    page = client.get(f"/me/bookings/{first.pk}/", follow=True).content.decode()
    assert "Frisk nu" in page
    # A cancelled visit is never rebooked through an old link.
    refused = client.post(f"/me/bookings/{second.pk}/rebook/", {"slot": w.slots[1].pk})
    assert refused.status_code == 400
    assert Booking.objects.filter(status="booked").count() == 0


def test_a_refused_cancellation_keeps_what_was_typed(client, booking_world):
    w = booking_world
    UnitBookingRules.objects.create(unit=w.unit, change_until_hours=100)
    booking = services.booking_make(actor=w.patient.user, citizen=w.patient, slot=w.slots[0])
    login_citizen(client, w.patient)
    response = client.post(f"/me/bookings/{booking.pk}/cancel/", {"reason": "Mitt skäl här"})
    assert response.status_code == 400 and "Mitt skäl här" in response.content.decode()


def test_the_calendar_file_carries_no_health_content_and_updates_in_place(client, booking_world):
    w = booking_world
    first = services.booking_make(actor=w.clinician, citizen=w.patient, slot=w.slots[0], reason="Depression, PHQ-9")
    login_citizen(client, w.patient)
    one = Calendar.from_ical(client.get(f"/me/bookings/{first.pk}/calendar.ics").content)
    event = one.walk("VEVENT")[0]
    assert str(event["summary"]) == "Besök – Fyren" and str(event["location"]) == w.unit.name
    assert b"Depression" not in client.get(f"/me/bookings/{first.pk}/calendar.ics").content
    second = services.booking_rebook(actor=w.clinician, booking=first, slot=w.slots[2])
    two = Calendar.from_ical(client.get(f"/me/bookings/{second.pk}/calendar.ics").content).walk("VEVENT")[0]
    assert str(two["uid"]) == str(event["uid"]) and int(two["sequence"]) == int(event["sequence"]) + 1
    services.booking_cancel(actor=w.clinician, booking=second, reason="Sjuk")
    three = Calendar.from_ical(client.get(f"/me/bookings/{second.pk}/calendar.ics").content).walk("VEVENT")[0]
    assert str(three["status"]) == "CANCELLED" and int(three["sequence"]) > int(two["sequence"])


def test_a_feed_by_secret_address_can_be_revoked(client, booking_world):
    w = booking_world
    services.booking_make(actor=w.clinician, citizen=w.patient, slot=w.slots[0])
    login_citizen(client, w.patient)
    client.post("/me/bookings/calendar/new/")
    token = CalendarFeed.objects.get(user=w.patient.user, revoked_at__isnull=True).token
    client.logout()
    body = client.get(f"/calendar/{token}.ics").content
    assert len(Calendar.from_ical(body).walk("VEVENT")) == 1
    login_citizen(client, w.patient)
    client.post("/me/bookings/calendar/revoke/")
    client.logout()
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_staff_publish_offer_and_see_the_calendar(client, booking_world, today):
    w = booking_world
    force_login_staff(client, w.admin)
    day = today + dt.timedelta(days=10)
    response = client.post(
        f"/clinic/{w.unit.pk}/schedules/",
        {
            "action": "template",
            "t-schedule": w.schedule.pk,
            "t-weekday": day.weekday(),
            "t-starts": "13:00",
            "t-ends": "14:00",
            "t-minutes": 30,
            "t-visit_kind": "video",
            "t-audience": "offered",
            "t-valid_from": day.isoformat(),
            "t-valid_to": day.isoformat(),
        },
    )
    assert response.status_code == 302 and Slot.objects.filter(visit_kind="video").count() == 2
    force_login_staff(client, w.clinician)
    video = list(Slot.objects.filter(visit_kind="video"))
    client.post(
        f"/clinic/{w.unit.pk}/patients/{w.patient.pk}/times/", {"slots": [s.pk for s in video], "reason": "Uppföljning"}
    )
    assert Booking.objects.filter(status="offered").count() == 2
    page = client.get(f"/clinic/{w.unit.pk}/calendar/", {"day": day.isoformat(), "view": "week"})
    assert page.status_code == 200 and w.patient.full_name in page.content.decode()


def test_blocking_lists_the_visits_to_move(client, booking_world):
    w = booking_world
    services.booking_make(actor=w.clinician, citizen=w.patient, slot=w.slots[0])
    force_login_staff(client, w.admin)
    local = timezone.localtime(w.slots[0].starts_at)
    page = client.post(
        f"/clinic/{w.unit.pk}/schedules/",
        {
            "action": "block",
            "b-schedule": w.schedule.pk,
            "b-starts_at": (local - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "b-ends_at": (local + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "b-reason": "Sjuk",
        },
    )
    assert page.status_code == 200 and w.patient.full_name in page.content.decode()
    assert Slot.objects.filter(blocked=True).count() == 2


def test_another_citizen_gets_404_on_every_booking_url(client, booking_world):
    w = booking_world
    booking = services.booking_make(actor=w.clinician, citizen=w.patient, slot=w.slots[0])
    login_citizen(client, w.stranger)
    for suffix in ("", "calendar.ics"):
        assert client.get(f"/me/bookings/{booking.pk}/{suffix}").status_code == 404
    for action in ("accept", "decline", "cancel", "rebook"):
        assert (
            client.post(f"/me/bookings/{booking.pk}/{action}/", {"reason": "x", "slot": w.slots[1].pk}).status_code
            == 404
        )
    assert client.post("/me/bookings/book/", {"citizen": w.patient.pk, "slot": w.slots[1].pk}).status_code == 404
    assert Booking.objects.get().status == "booked"


def test_staff_pages_are_404_for_outsiders(client, booking_world):
    w = booking_world
    force_login_staff(client, w.outsider)
    for url in (
        f"/clinic/{w.unit.pk}/schedules/",
        f"/clinic/{w.unit.pk}/calendar/",
        f"/clinic/{w.unit.pk}/patients/{w.patient.pk}/times/",
    ):
        assert client.get(url).status_code == 404


def test_the_week_view_costs_the_same_for_50_clinicians(client, booking_world, make, django_assert_max_num_queries):
    w = booking_world
    force_login_staff(client, w.admin)
    day = timezone.localdate() + dt.timedelta(days=2)
    url = f"/clinic/{w.unit.pk}/calendar/?day={day.isoformat()}&view=week"
    services.booking_make(actor=w.admin, citizen=w.patient, slot=w.slots[0])
    client.get(url)
    with django_assert_max_num_queries(50) as few:
        client.get(url)
    for n in range(50):
        clinician = make.staff(f"clin{n}", (Role.CLINICIAN, w.unit))
        schedule = schedule_services.schedule_save(
            actor=w.admin, unit=w.unit, kind="clinician", title="", clinician=clinician
        )
        citizen = make.citizen(f"P{n}", "Patient")
        CareRelation.objects.create(citizen=citizen, unit=w.unit)
        for hour in (9, 10, 11):
            slot = schedule_services.slot_add(
                actor=w.admin,
                schedule=schedule,
                starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(hour))),
                minutes=30,
                visit_kind="at_unit",
                audience="listed",
            )
            if hour == 10:
                services.booking_make(actor=w.admin, citizen=citizen, slot=slot)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count("P49 Patient") == 1


def test_staff_move_and_cancel_a_visit_whatever_the_deadline(client, booking_world):
    w = booking_world
    UnitBookingRules.objects.create(unit=w.unit, change_until_hours=500)
    visit = services.booking_make(actor=w.clinician, citizen=w.patient, slot=w.slots[0])
    force_login_staff(client, w.clinician)
    url = f"/clinic/{w.unit.pk}/bookings/{visit.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "move", "m-slot": w.slots[2].pk, "m-reason": "Behandlaren sjuk"})
    moved = Booking.objects.get(replaces=visit)
    assert (
        response.url == f"/clinic/{w.unit.pk}/bookings/{moved.pk}/"
        and not Booking.objects.get(pk=visit.pk).patient_choice
    )
    assert (
        client.post(f"/clinic/{w.unit.pk}/bookings/{moved.pk}/", {"action": "cancel", "c-reason": ""}).status_code
        == 400
    )
    client.post(f"/clinic/{w.unit.pk}/bookings/{moved.pk}/", {"action": "cancel", "c-reason": "Sjuk"})
    assert Booking.objects.get(pk=moved.pk).status == "cancelled"
    page = client.get(f"/clinic/{w.unit.pk}/patients/{w.patient.pk}/").content.decode()
    assert f"/clinic/{w.unit.pk}/bookings/{moved.pk}/" in page


def test_staff_register_a_contact_and_record_its_steps(client, booking_world):
    w = booking_world
    force_login_staff(client, w.clinician)
    url = f"/clinic/{w.unit.pk}/guarantee/"
    assert client.get(url).status_code == 200
    # A citizen not yet registered needs names; what was typed stays on the page.
    refused = client.post(url, {"identity_number": "19121212-1212", "level": "primary"})
    assert refused.status_code == 400 and "19121212-1212" in refused.content.decode()
    assert not GuaranteeCase.objects.exists()
    made = client.post(
        url, {"identity_number": "19121212-1212", "given_name": "Nils", "family_name": "Ny", "level": "primary"}
    )
    case = GuaranteeCase.objects.get()
    assert made["Location"] == f"/clinic/{w.unit.pk}/guarantee/{case.pk}/"
    assert case.registered_by == w.clinician and case.source == "registered"
    assert CareRelation.objects.active().filter(citizen=case.citizen, unit=w.unit).exists()
    page = client.get(made["Location"]).content.decode()
    assert "Nils Ny" in page
    client.post(made["Location"], {"action": "step", "s-step": "contacted_at"})
    client.post(made["Location"], {"action": "wait", "w-days": "2"})
    case.refresh_from_db()
    assert case.contacted_at is not None and case.patient_wait_days == 2
    assert client.post(made["Location"], {"action": "end", "e-reason": ""}).status_code == 400
    client.post(made["Location"], {"action": "end", "e-reason": "Vill vänta med vård"})
    case.refresh_from_db()
    assert case.ended_at is not None
    assert "Nils Ny" not in client.get(url).content.decode()  # no longer followed
    force_login_staff(client, w.outsider)
    assert client.get(made["Location"]).status_code == 404
    assert client.post(url, {"identity_number": "19121212-1212", "level": "primary"}).status_code == 404


def test_the_analyst_sees_the_share_within_each_limit_and_downloads_the_month(client, booking_world, make):
    w = booking_world
    contact = timezone.now() - dt.timedelta(days=5)
    case = guarantee_register(actor=w.clinician, citizen=w.patient, unit=w.unit, level="primary", at=contact)
    guarantee_mark(actor=w.clinician, case=case, step="contacted_at", at=contact)
    guarantee_mark(actor=w.clinician, case=case, step="assessed_at", at=contact + dt.timedelta(days=2))
    analyst = make.staff("gunilla", (Role.ANALYST, w.unit))
    force_login_staff(client, analyst)
    month = f"{timezone.localdate():%Y-%m}"
    start = f"{timezone.localtime(contact):%Y-%m}"
    page = client.get("/care-guarantee/", {"start": start, "end": month})
    assert page.status_code == 200 and w.patient.given_name not in page.content.decode()
    download = client.get("/care-guarantee/", {"start": start, "end": month, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    assessed = [r for r in rows if r["measure"] == "assessment" and r["completed"] == "1"]
    assert len(assessed) == 1 and assessed[0]["completed_within_limit"] == "1"
    assert assessed[0]["unit_hsa_id"] == w.unit.hsa_id and assessed[0]["completed_1_3"] == "1"
    hidden = client.get("/care-guarantee/", {"start": start, "end": month, "threshold": 5, "format": "csv"})
    assessed = [r for r in csv.DictReader(io.StringIO(hidden.content.decode())) if r["measure"] == "assessment"]
    assert {r["completed"] for r in assessed} <= {"0", ".."} and ".." in {r["completed"] for r in assessed}
    assert client.get("/care-guarantee/", {"start": month, "end": start + "x"}).status_code == 400
    force_login_staff(client, w.clinician)  # not an analyst
    assert client.get("/care-guarantee/").status_code == 404


def test_the_unit_sets_its_booking_rules(client, booking_world):
    w = booking_world
    url = f"/clinic/{w.unit.pk}/settings/"
    force_login_staff(client, w.admin)
    data = {"action": "booking", "r-change_until_hours": "48", "r-remind_hours": "12", "r-guarantee_level": "primary"}
    client.post(url, data)
    rules = UnitBookingRules.objects.get(unit=w.unit)
    assert (rules.change_until_hours, rules.remind_hours, rules.guarantee_level) == (48, 12, "primary")
    bad = client.post(url, data | {"r-remind_hours": "0"})
    assert bad.status_code == 400 and UnitBookingRules.objects.get(unit=w.unit).remind_hours == 12
    force_login_staff(client, w.clinician)  # not an enrolment admin
    assert client.post(url, data).status_code == 404


def test_the_guarantee_list_costs_the_same_for_many_contacts(
    client, booking_world, make, django_assert_max_num_queries
):
    w = booking_world
    force_login_staff(client, w.clinician)
    url = f"/clinic/{w.unit.pk}/guarantee/"

    def add(n):
        for i in range(n):
            citizen = make.citizen("Kö", f"Nummer{GuaranteeCase.objects.count()}", birth=dt.date(1960, 1, 1 + i % 28))
            guarantee_register(actor=w.clinician, citizen=citizen, unit=w.unit, level="primary")

    add(3)
    with django_assert_max_num_queries(60) as few:
        assert client.get(url).status_code == 200
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_my_bookings_lists_what_is_current_and_the_last_30_days(booking_world):
    w = booking_world
    now = timezone.now()

    def visit(days, status):
        starts = now + dt.timedelta(days=days)
        slot = Slot.objects.create(
            schedule=w.schedule,
            starts_at=starts,
            ends_at=starts + dt.timedelta(minutes=30),
            visit_kind=VisitKind.AT_UNIT,
            audience=Audience.LISTED,
        )
        return Booking.objects.create(slot=slot, citizen=w.patient, unit=w.unit, status=status, waiting_since=now)

    coming = visit(5, Booking.Status.BOOKED)
    offered = visit(3, Booking.Status.OFFERED)
    cancelled_lately = visit(-10, Booking.Status.CANCELLED)
    done_lately = visit(-29, Booking.Status.ARRIVED)
    visit(-31, Booking.Status.ARRIVED)  # too long ago
    visit(-40, Booking.Status.CANCELLED)
    others = visit(6, Booking.Status.BOOKED)
    others.citizen = w.stranger
    others.save(update_fields=["citizen"])
    shown = bookings_for_citizen_user(w.patient.user)
    assert [b.pk for b in shown] == [done_lately.pk, cancelled_lately.pk, offered.pk, coming.pk]
    assert all(b.citizen == w.patient for b in shown)


def test_the_units_calendar_switches_day_and_week_and_steps_around_today(client, booking_world):
    w = booking_world
    force_login_staff(client, w.clinician)
    url = f"/clinic/{w.unit.pk}/calendar/"
    day = w.slots[0].starts_at.astimezone(timezone.get_current_timezone()).date()
    page = client.get(url, {"day": day.isoformat()}).content.decode()
    assert '<label for="cal-day">' in page and 'id="cal-day"' in page and '<select id="cal-view"' not in page
    assert 'view=day&amp;schedule=" aria-current="page">Dag</a>' in page
    assert f"?day={day + dt.timedelta(days=1)}&amp;view=day" in page and "Nästa dag" in page
    assert f"?day={timezone.localdate()}&amp;view=day" in page and "Idag" in page
    week = client.get(url, {"day": day.isoformat(), "view": "week"})
    monday = day - dt.timedelta(days=day.weekday())
    html = week.content.decode()
    assert 'aria-current="page">Vecka</a>' in html and "Föregående vecka" in html
    assert f"?day={monday + dt.timedelta(days=7)}&amp;view=week" in html and len(week.context["by_day"]) == 7
    # A day in the week shown keeps the week: the filter sends the view along.
    assert '<input type="hidden" name="view" value="week">' in html

"""Booking on the demo data: staff publish times and offer two to Sara; she
takes one, moves it to a web-bookable time soon, downloads the calendar file
and checks in; a clinician admits her from the shared queue. axe-core, no CSP
violation and reflow at 320 px on every page."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from fyren.booking.models import Booking
from fyren.organisations.models import CareUnit
from fyren.people.models import Citizen
from tests.e2e.demo import demo_login, logout


def _local(minutes: int) -> str:
    at = timezone.localtime() + dt.timedelta(minutes=minutes)
    return at.replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M")


def test_a_time_in_hand_to_the_waiting_room(demo_live, checked):
    page, live = checked.page, demo_live
    hamnen = CareUnit.objects.get(name="Psykiatrimottagning Hamnen")
    sara = Citizen.objects.get(given_name="Sara")

    # Staff: a shared schedule for any psychologist, three times, two offered.
    demo_login(page, live, "Johan Ek")
    page.goto(f"{live}/clinic/{hamnen.pk}/schedules/")
    checked.check("times and schedules")
    page.get_by_text("Nytt schema").click()
    page.get_by_label("Tiderna bokas hos").select_option("role")
    page.get_by_label("Namn (en titel som Psykolog, eller ett rum)").fill("Psykolog")
    page.get_by_role("button", name="Skapa schemat").click()
    for minutes, audience in ((10, "listed"), (2 * 24 * 60, "offered"), (3 * 24 * 60, "offered")):
        add = page.locator("form").filter(has=page.get_by_role("button", name="Lägg till tiden"))
        add.get_by_label("Schema").select_option(label="Psykolog")
        add.get_by_label("Börjar").fill(_local(minutes))
        add.get_by_label("Typ av besök").select_option("video")
        add.get_by_label("Vem får boka").select_option(audience)
        add.get_by_role("button", name="Lägg till tiden").click()
        expect(page.get_by_text("Sparat.")).to_be_visible()
    page.goto(f"{live}/clinic/{hamnen.pk}/patients/{sara.pk}/times/")
    checked.check("offer times")
    free = page.get_by_role("group", name="Lediga tider")
    free.get_by_label("Psykolog", exact=False).nth(1).check()
    free.get_by_label("Psykolog", exact=False).nth(2).check()
    page.get_by_role("button", name="Erbjud tiderna").click()
    expect(page.get_by_text("Tiderna är erbjudna patienten.")).to_be_visible()
    page.goto(f"{live}/clinic/{hamnen.pk}/calendar/?view=week")
    checked.check("the unit's week")
    logout(page)

    # Sara: takes one of the offered times, moves it to the time soon, checks in.
    demo_login(page, live, "Sara Nilsson")
    page.get_by_role("link", name="Mina besök: erbjudna tider, bokningar och webbokning").click()
    checked.check("my visits with offers")
    offered = Booking.objects.filter(citizen=sara, unit=hamnen, status="offered").order_by("slot__starts_at").first()
    page.locator(f"form[action='/me/bookings/{offered.pk}/accept/'] button").click()
    expect(page.get_by_text("Tiden är bokad.")).to_be_visible()
    taken = Booking.objects.get(pk=offered.pk, status="booked")
    page.goto(f"{live}/me/bookings/{taken.pk}/")
    checked.check("a visit")
    page.get_by_label("Tid").select_option(index=0)
    page.get_by_role("button", name="Flytta till den här tiden").click()
    expect(page.get_by_text("Besöket är flyttat.")).to_be_visible()
    moved = Booking.objects.get(replaces=taken)
    with page.expect_download() as download:
        page.get_by_role("link", name="Lägg in i min kalender").click()
    assert download.value.suggested_filename.endswith(".ics")
    page.get_by_role("button", name="Anmäl dig").click()
    expect(page.get_by_text("Du är anmäld.").first).to_be_visible()
    # She waits to be let in: one thing said, and no link yet (decisions.md #88).
    state = page.locator("#visit-state")
    expect(state).to_contain_text("Vänta: videomötet öppnas här när behandlaren släpper in dig.")
    expect(page.get_by_role("link", name="Öppna videomötet")).to_have_count(0)
    checked.check("checked in, waiting to be let in")
    # The old address of the moved visit leads to the current one.
    page.goto(f"{live}/me/bookings/{taken.pk}/")
    expect(page).to_have_url(f"{live}/me/bookings/{moved.pk}/")
    page.goto(f"{live}/")
    page.get_by_role("link", name="Anslutna appar").click()
    expect(page.get_by_text("Ingen app har tillgång till ditt konto.")).to_be_visible()
    checked.check("connected apps")
    logout(page)

    # A clinician takes her from the shared queue.
    demo_login(page, live, "Anna Lind")
    page.goto(f"{live}/clinic/{hamnen.pk}/waiting-room/")
    queue = page.get_by_role("region", name="Psykolog Gemensam kö")
    expect(queue).to_contain_text("Sara Nilsson")
    checked.check("waiting room")
    queue.get_by_role("button", name="Ta nästa patient").click()
    expect(page.get_by_text("Du tog Sara Nilsson")).to_be_visible()
    expect(page.get_by_role("link", name="Öppna videomötet – Sara Nilsson")).to_be_visible()
    checked.check("waiting room after admitting")
    assert Booking.objects.get(pk=moved.pk).admitted_at is not None
    logout(page)

    # Sara's page now gives her the link (the page checks by itself while she waits).
    demo_login(page, live, "Sara Nilsson")
    page.goto(f"{live}/me/bookings/{moved.pk}/")
    expect(page.locator("#visit-state")).to_contain_text("Behandlaren har släppt in dig.")
    expect(page.get_by_role("link", name="Öppna videomötet")).to_be_visible()
    checked.check("let in, with the video link")


def test_the_care_guarantee_for_the_unit_and_the_analyst(demo_live, checked):
    page, live = checked.page, demo_live
    fyrbacken = CareUnit.objects.get(name="Vårdcentralen Fyrbacken")
    # The unit: Gunnar's contact is on its last day; the assessment is recorded.
    demo_login(page, live, "Eva Falk")
    page.goto(f"{live}/clinic/{fyrbacken.pk}/settings/")
    expect(page.get_by_label("Vårdgaranti som enheten mäts mot")).to_have_value("primary")
    checked.check("unit settings with booking rules")
    page.get_by_role("link", name="Vårdgaranti", exact=True).first.click()
    checked.check("contacts followed against the care guarantee")
    page.get_by_role("link", name="Gunnar Blom").click()
    expect(page.get_by_text("sista dag").first).to_be_visible()
    checked.check("one contact")
    page.get_by_label("Steg", exact=True).select_option("assessed_at")
    page.get_by_role("button", name="Registrera steget").click()
    expect(page.get_by_text("Sparat.")).to_be_visible()
    expect(page.get_by_text("inom gränsen").first).to_be_visible()
    logout(page)

    # The analyst: the share within each limit per unit and month, and the file.
    demo_login(page, live, "Ali Haddad")
    page.get_by_role("link", name="Vårdgarantin per enhet och månad").click()
    first = (timezone.localdate() - dt.timedelta(days=120)).strftime("%Y-%m")
    page.get_by_label("Första månad").fill(first)
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("cell", name="Medicinsk bedömning inom 3 dagar").first).to_be_visible()
    checked.check("care guarantee figures")
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner månadsfilen").click()
    assert download.value.suggested_filename.startswith("care-guarantee-")

"""What users stumbled on (#28), walked on the demo data as `make run` loads it:
the visit today that Sara checks in to, moving her video visit at Hamnen, what
changed in Min plan since she agreed, the waiting room from the clinician's
side, the unit's menu from the start page and at phone width, the calendar's
switch, reports that open with figures, the research delivery as one zip, and
no page asking for something that is not there (the favicon). axe-core, no
CSP violation and reflow at 320 px on every page."""

import csv
import datetime as dt
import io
import zipfile

from django.utils import timezone
from playwright.sync_api import expect

from fyren.booking.models import Booking
from fyren.organisations.models import CareUnit
from fyren.people.models import Citizen
from tests.e2e.demo import demo_login, logout


def test_the_citizen_the_clinician_and_the_analysts_on_the_demo(demo_live, checked, tmp_path):
    page, live = checked.page, demo_live
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    hamnen = CareUnit.objects.get(name="Psykiatrimottagning Hamnen")
    sara = Citizen.objects.get(given_name="Sara", family_name="Nilsson")
    now = timezone.now()

    # Sara: the visit today is there to check in to, without making a time by hand.
    demo_login(page, live, "Sara Nilsson")
    today = Booking.objects.get(
        citizen=sara, unit=hamnen, status="booked", slot__starts_at__lte=now + dt.timedelta(minutes=15)
    )
    page.goto(f"{live}/me/bookings/{today.pk}/")
    expect(page.locator("#visit-state")).to_contain_text("Anmäl dig när du är redo.")
    checked.check("today's visit, check-in open")
    page.get_by_role("button", name="Anmäl dig").click()
    state = page.locator("#visit-state")
    expect(state).to_contain_text("Vänta: videomötet öppnas här när behandlaren släpper in dig.")
    expect(page.get_by_role("link", name="Öppna videomötet")).to_have_count(0)
    checked.check("checked in, waiting")

    # Moving her video visit at Hamnen: only Hamnen's video times in the same schedule.
    later = Booking.objects.get(
        citizen=sara, unit=hamnen, status="booked", slot__starts_at__gt=now + dt.timedelta(days=1)
    )
    page.goto(f"{live}/me/bookings/{later.pk}/")
    options = page.get_by_label("Tid").locator("option").all_text_contents()
    assert options and all("Anna Lind (Video)" in o for o in options), options
    checked.check("moving a video visit")
    page.get_by_label("Tid").select_option(index=0)
    page.get_by_role("button", name="Flytta till den här tiden").click()
    expect(page.get_by_text("Besöket är flyttat.")).to_be_visible()
    assert Booking.objects.get(replaces=later).slot.visit_kind == "video"

    # Min plan: what changed since she agreed, said in dates and units, still there on the next look.
    page.goto(f"{live}/me/plan/{sara.pk}/")
    agreement = page.get_by_role("region", name="Godkännande")
    expect(agreement).to_contain_text("Det här har ändrats sedan du godkände:")
    expect(agreement).not_to_contain_text("version")
    checked.check("Min plan, asked to agree again")
    page.reload()
    expect(agreement).to_contain_text("Det här har ändrats sedan du godkände:")
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=tmp_path / "min-plan-375.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    logout(page)

    # Anna: the unit's pages from the start page; the waiting room says who waits and who is late.
    demo_login(page, live, "Anna Lind")
    page.goto(f"{live}/account/start/")
    unit_card = page.get_by_role("region", name="Psykiatrimottagning Hamnen")
    for name in ("Väntrum", "Vårdgaranti", "Kalender"):
        expect(unit_card.get_by_role("link", name=name, exact=True)).to_be_visible()
    checked.check("staff start page")
    unit_card.get_by_role("link", name="Väntrum", exact=True).click()
    expect(page.get_by_text("väntar på att bli insläppt").first).to_be_visible()
    sara_row = page.locator("li").filter(has_text="Sara Nilsson").first
    sara_row.get_by_role("button", name="Jag är cirka 10 minuter sen: meddela patienten").click()
    expect(page.get_by_text("att du är sen").first).to_be_visible()
    checked.check("waiting room")
    page.set_viewport_size({"width": 375, "height": 800})
    groups = page.locator(".workspace-group")
    assert groups.count() >= 3
    tops = {round(groups.nth(i).bounding_box()["y"]) for i in range(groups.count())}
    assert len(tops) == groups.count()  # one group a line at phone width
    page.screenshot(path=tmp_path / "waiting-room-375.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    sara_row = page.locator("li").filter(has_text="Sara Nilsson").first
    sara_row.get_by_role("button", name="Släpp in").first.click()

    # The calendar: a day/week switch, today and the days around, labels on their fields.
    page.get_by_role("navigation", name="Arbetsyta på Psykiatrimottagning Hamnen").get_by_role(
        "link", name="Kalender"
    ).click()
    page.get_by_role("link", name="Vecka", exact=True).click()
    expect(page.get_by_role("link", name="Vecka", exact=True)).to_have_attribute("aria-current", "page")
    expect(page.get_by_label("En dag i veckan")).to_be_visible()
    expect(page.get_by_label("Schema")).to_be_visible()
    checked.check("the calendar by week")
    page.get_by_role("link", name="Nästa vecka").click()
    page.get_by_role("link", name="Idag").click()
    expect(page.get_by_role("link", name="Idag")).to_have_attribute("aria-current", "date")
    logout(page)

    # Sara is let in: the link is hers now.
    demo_login(page, live, "Sara Nilsson")
    page.goto(f"{live}/me/bookings/{today.pk}/")
    expect(page.get_by_role("link", name="Öppna videomötet")).to_be_visible()
    checked.check("let in")
    logout(page)

    # Ali, the analyst: the reports show their figures when opened.
    demo_login(page, live, "Ali Haddad")
    page.goto(f"{live}/care-guarantee/")
    expect(page.locator("main table").first).to_be_visible()
    checked.check("care guarantee opened")
    page.goto(f"{live}/pathways/lead-times/")
    expect(page.locator("main table").first).to_be_visible()
    checked.check("lead times opened")
    page.goto(f"{live}/reporting/national/")
    expect(page.locator("main table").first).to_be_visible()
    checked.check("national report opened")
    logout(page)

    # Lena Berg, the data administrator: one download of the whole delivery.
    demo_login(page, live, "Lena Berg")
    page.goto(f"{live}/research/")
    page.get_by_role("link", name="Internetbaserad KBT vid oro: ett år efter behandlingen").click()
    page.get_by_role("button", name="Gör ett uttag").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner hela leveransen (zip)").click()
    archive = zipfile.ZipFile(download.value.path())
    names = set(archive.namelist())
    assert {"manifest.csv", "answers.csv", "scores.parquet", "data_dictionary.csv"} <= names
    answers = list(csv.DictReader(io.StringIO(archive.read("answers.csv").decode())))
    assert answers and answers[0]["response"] == "1"  # rows, numbered from 1
    checked.check("research project after the export")
    logout(page)

    assert not missing, missing

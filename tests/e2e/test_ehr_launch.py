"""Hamnen's record system opens Fyren for a patient (SMART EHR launch), in the
browser, on the demo data: the demo's record system (the one `make run` starts,
``manage.py demo_record_system``) lists Hamnen's patients; "Öppna i Fyren" goes
through its authorisation server and back, Fyren's login when its identity is
not trusted, and lands on the patient's program; a choice between programs, a
patient Fyren cannot show and a refused launch are plain pages. axe-core, no CSP
violation and reflow at 320 px on each of Fyren's pages."""

import datetime as dt

from playwright.sync_api import expect

from fyren.api.ehr_standin import patient
from fyren.api.models import LaunchingRecordSystem
from fyren.care.models import Enrolment
from fyren.demo.identities import personnummer
from fyren.demo.management.commands.demo_record_system import Command
from fyren.people.models import Citizen


def test_the_record_system_opens_the_patients_program(demo_live, checked, settings):
    page, live = checked.page, demo_live
    settings.FYREN_PUBLIC_URL = live
    settings.FYREN_LAUNCH_HTTP_ALLOWED = True
    ehr = Command().record_system("Journalsystem Hamnen", 0).start()
    try:
        LaunchingRecordSystem.objects.update(issuer=ehr.fhir_base, trusted_identity=False)

        # Not trusted: Fyren's own login first, then on to Sara's program.
        page.goto(ehr.base + "/")
        page.get_by_role("row", name="Sara Nilsson").get_by_role("link", name="Öppna i Fyren").click()
        expect(page.get_by_role("heading", name="Logga in som vårdpersonal")).to_be_visible()
        checked.check("the staff login, on the way from the record system")
        page.get_by_role("link", name="Logga in med demo-e-legitimation").click()
        page.get_by_role("button", name="Logga in som Anna Lind").click()
        expect(page.get_by_role("heading", name="Sara Nilsson: Oro – KBT via internet")).to_be_visible()
        checked.check("Sara's program, opened from the record system")

        # Trusted: straight in. Karin has two ended programs at Hamnen: a choice.
        LaunchingRecordSystem.objects.update(trusted_identity=True)
        karin = Citizen.objects.get(given_name="Karin")
        version = Enrolment.objects.filter(citizen__given_name="Sara").first().program_version
        unit = Enrolment.objects.filter(citizen__given_name="Sara").first().unit
        for _ in range(2):
            Enrolment.objects.create(citizen=karin, program_version=version, unit=unit, status="completed")
        page.goto(ehr.base + "/")
        page.get_by_role("row", name="Karin Andersson").get_by_role("link", name="Öppna i Fyren").click()
        expect(page.get_by_text("Patienten har mer än ett program på din enhet. Välj ett.")).to_be_visible()
        checked.check("a choice of programs")
        page.get_by_role("link", name="Oro – KBT via internet").first.click()
        expect(page.get_by_role("heading", name="Karin Andersson: Oro – KBT via internet")).to_be_visible()

        # A patient not in care at Hamnen: nothing shown, nothing said about elsewhere.
        ehr.add(patient("ny", "Ny", "Person", personnummer(dt.date(1991, 4, 4), "321")))
        page.goto(ehr.launch_url("ny"))
        expect(page.get_by_role("heading", name="Ingen patient att visa")).to_be_visible()
        checked.check("no patient to show")

        # A record system Fyren does not know.
        page.goto(f"{live}/smart/launch?iss=https://okand.example/fhir&launch=x")
        expect(page.get_by_role("heading", name="Fyren kunde inte öppna patienten")).to_be_visible()
        checked.check("a refused launch")
        assert ehr.refusals == []
    finally:
        ehr.stop()

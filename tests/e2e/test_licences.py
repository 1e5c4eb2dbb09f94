"""Licensed professions on the demo data, in the browser (#32): Fyrbacken counts
the care guarantee's medical assessment only from a physician or a nurse. Oskar
Vik, a KBT therapist without a licence, held Gunnar's visit yesterday: the visit
page says so and the case still waits for its assessment, until Eva Falk (a
registered nurse) records hers. Erik Berg keeps the licences and reads Hamnen's
results beside the region's. axe-core, no CSP
violation and reflow at 320 px on each page."""

from playwright.sync_api import expect

from fyren.accounts.models import Licence
from fyren.booking.models import Booking, GuaranteeCase
from fyren.organisations.models import CareUnit
from tests.e2e.demo import demo_login, logout


def test_only_a_licensed_professionals_assessment_counts(demo_live, checked):
    page, live = checked.page, demo_live
    visit = Booking.objects.get(held_by__username="oskar.vik")
    case = GuaranteeCase.objects.filter(citizen=visit.citizen, unit=visit.unit, assessed_at__isnull=True).latest(
        "contact_at"
    )
    demo_login(page, live, "Eva Falk")
    page.goto(f"{live}/clinic/{visit.unit_id}/guarantee/")
    expect(page.get_by_text("legitimerad personal i dessa yrken: Läkare, Sjuksköterska")).to_be_visible()
    checked.check("the care guarantee with the unit's rule")
    page.goto(f"{live}/clinic/{visit.unit_id}/bookings/{visit.pk}/")
    expect(page.get_by_text("Oskar Vik (ingen legitimation registrerad)")).to_be_visible()
    checked.check("a visit held without a licence")
    page.goto(f"{live}/clinic/{visit.unit_id}/guarantee/{case.pk}/")
    page.get_by_label("Steg", exact=True).select_option(label="Medicinsk bedömning av legitimerad personal")
    page.get_by_label("Bedömd av").select_option(label="Oskar Vik")
    page.get_by_role("button", name="Registrera steget").click()
    expect(
        page.get_by_text("Bara en bedömning av legitimerad personal i ett yrke som enheten godtar räknas.")
    ).to_be_visible()
    checked.check("an assessment refused")
    page.get_by_label("Bedömd av").select_option(label="Jag")
    page.get_by_role("button", name="Registrera steget").click()
    expect(page.get_by_text("Eva Falk (legitimerad: Sjuksköterska)")).to_be_visible()
    checked.check("the case with its assessment")
    logout(page)

    demo_login(page, live, "Erik Berg")
    page.goto(f"{live}/account/units/{visit.unit_id}/licences/")
    expect(page.get_by_role("heading", name="Legitimationer på Vårdcentralen Fyrbacken")).to_be_visible()
    checked.check("the licences page")
    page.get_by_label("Medarbetare").select_option(label="Oskar Vik")
    page.get_by_label("Legitimationsyrke").select_option(label="Psykoterapeut")
    page.get_by_label("Legitimationsnummer").fill("77")
    page.get_by_label("Legitimation utfärdad").fill("2018-05-04")
    page.get_by_role("button", name="Registrera legitimationen").click()
    expect(page.get_by_text("Ett legitimationsnummer har 6 till 10 siffror.")).to_be_visible()
    expect(page.get_by_label("Legitimationsnummer")).to_have_value("77")
    page.get_by_label("Legitimationsnummer").fill("778899")
    page.get_by_role("button", name="Registrera legitimationen").click()
    expect(page.get_by_text("Legitimationen är registrerad.")).to_be_visible()
    checked.check("a licence recorded")
    assert Licence.objects.get(user__username="oskar.vik").profession == "PT"

    # Erik also manages Hamnen: its results beside the region's.
    hamnen = CareUnit.objects.get(name="Psykiatrimottagning Hamnen")
    page.goto(f"{live}/reporting/units/{hamnen.pk}/")
    expect(page.get_by_role("heading", name="Resultat för Psykiatrimottagning Hamnen")).to_be_visible()
    expect(page.get_by_role("heading", name="Vilka som började, efter kön och ålder")).to_be_visible()
    checked.check("the unit's results")

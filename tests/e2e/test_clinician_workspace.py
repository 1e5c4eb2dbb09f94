"""A citizen's PHQ-9 answer with item 9 above 0 and a message with urgent words
become urgent flags at the top of the clinician's pages; the clinician replies,
acknowledges by keyboard, and exports the journal note. axe-core on every page."""

import pytest
from playwright.sync_api import expect

from fyren.flags.models import Flag
from fyren.journal.models import JournalExport
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture


@pytest.fixture
def live(transactional_db, live_server, settings, enrolled):  # noqa: F811
    settings.DEMO = True
    return live_server.url


def test_urgent_flags_reply_acknowledge_and_journal_export(live, checked, enrolled):  # noqa: F811
    page = checked.page
    page.goto(live + "/account/login/demo-eid/")
    page.get_by_role("button", name="Logga in som Pia Patient").click()
    page.get_by_role("button", name="Svara på PHQ-9 – frågor om nedstämdhet").click()
    for n in range(1, 9):
        page.locator(f"#q-{n}-0").check()
    page.get_by_role("group", name="Tankar på att det vore bättre").get_by_label("Flera dagar").check()
    page.get_by_role("button", name="Skicka mina svar").click()
    expect(page.get_by_role("alert")).to_contain_text("112")

    # The citizen writes to the care team; urgent words bring guidance at once.
    page.goto(f"{live}/me/enrolments/{enrolled.enrolment.pk}/")
    page.get_by_role("link", name="Meddelanden med ditt vårdteam").click()
    checked.check("the citizen's empty conversation")
    page.get_by_label("Ditt meddelande").fill("Jag orkar inte mer. Jag vill inte leva längre.")
    page.get_by_role("button", name="Skicka", exact=True).click()
    expect(page.get_by_text("Ditt meddelande är skickat.")).to_be_visible()
    guidance = page.get_by_role("alert")
    expect(guidance).to_contain_text("112")
    expect(guidance).to_contain_text("1177")
    checked.check("conversation with urgent guidance")
    assert Flag.objects.filter(urgent=True).count() == 2
    page.get_by_role("button", name="Logga ut").click()

    # The clinician sees both urgent flags at the top of every page of the unit.
    page.goto(live + "/account/login/demo-eid/")
    page.get_by_role("button", name="Logga in som Clinician Staff").click()
    base = f"{live}/clinic/{enrolled.unit.pk}"
    page.goto(base + "/")
    banner = page.locator(".urgent-banner")
    expect(banner.get_by_role("heading")).to_have_text("2 brådskande flaggor väntar på kvittering")
    expect(banner).to_contain_text("Svar på formulär")
    expect(banner).to_contain_text("vill inte leva")
    checked.check("dashboard with urgent flags")
    page.get_by_role("link", name="Väntande meddelanden").first.click()
    expect(page.locator(".urgent-banner")).to_be_visible()
    checked.check("inbox")
    page.get_by_role("link", name="Pia Patient", exact=True).click()
    checked.check("the unit's conversation")
    page.get_by_label("Ditt meddelande").fill("Vi ringer dig inom en timme. Ring 112 om det är akut.")
    page.get_by_role("button", name="Skicka", exact=True).click()
    expect(page.get_by_text("Ditt meddelande är skickat.")).to_be_visible()
    expect(page.get_by_text("Besvarat av")).to_be_visible()

    # The banner names nobody; "Hantera" opens the urgent flags with names. Acknowledge both by keyboard, with a note.
    expect(page.locator(".urgent-banner")).not_to_contain_text("Pia Patient")
    for _ in range(2):
        page.locator(".urgent-banner a.button").first.focus()
        page.keyboard.press("Enter")
        expect(page.locator(".urgent-card").first).to_contain_text("Pia Patient")
        note = page.locator(".urgent-card textarea").first
        note.focus()
        page.keyboard.type("Ringt patienten, ingen akut fara, besök i morgon.")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(page.get_by_text("Flaggan är kvitterad.")).to_be_visible()
    expect(page.locator(".urgent-banner")).to_have_count(0)
    assert not Flag.objects.filter(urgent=True, acknowledged_at__isnull=True).exists()
    checked.check("thread after acknowledging")

    for path, label in (("/flags/?handled=1", "flags"), ("/absence/", "absence"), ("/handovers/", "handovers")):
        page.goto(base + path)
        checked.check(label)

    # The enrolment overview, and the journal note.
    page.goto(f"{base}/enrolments/{enrolled.enrolment.pk}/")
    expect(page.get_by_role("heading", name="Resultat från formulär")).to_be_visible()
    checked.check("enrolment overview")
    page.get_by_role("link", name="Journalanteckning och FHIR-export").click()
    expect(page.locator("pre.journal-note")).to_contain_text("Skattningar")
    checked.check("journal preview")
    page.get_by_role("button", name="Markera som exporterad och hämta anteckningen").click()
    note = page.get_by_label("Kopiera anteckningen till journalen")
    expect(note).to_contain_text("brådskande")
    expect(note).to_contain_text("1 från patienten, 1 från vårdteamet")
    checked.check("journal note")
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned som FHIR R4 Bundle (JSON)").click()
    assert download.value.suggested_filename.endswith(".json")
    assert JournalExport.objects.count() == 1
    page.goto(f"{base}/enrolments/{enrolled.enrolment.pk}/")
    expect(page.get_by_text("Dokumenterat till och med")).to_be_visible()
    checked.fits_narrow_screen()

    # Handing over: the receiving unit is chosen region by region, on a page of its own.
    page.get_by_role("link", name="Välj mottagande enhet").click()
    page.get_by_label("Regionens enheter").select_option(label=enrolled.other_region.name)
    page.get_by_role("button", name="Visa regionens enheter").click()
    page.get_by_label("Mottagande vårdenhet").select_option(label=enrolled.other_unit.name)
    page.get_by_label("Orsak och sammanfattning för den mottagande enheten").fill("Flyttar till Umeå")
    checked.check("handover request")
    page.get_by_role("button", name="Be enheten ta över").click()
    expect(page.get_by_text("Den mottagande enheten ombeds acceptera överlämningen.")).to_be_visible()
    assert enrolled.enrolment.handovers.get().to_unit == enrolled.other_unit

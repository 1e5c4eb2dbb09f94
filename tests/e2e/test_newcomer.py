"""A newcomer's day one, on the demo data exactly as `make run` loads it: a
citizen with no care relation self-enrols through the screening gate, works in
the first module, answers the baseline PHQ-9 with an item-9 answer and writes an
urgent message; the clinician sees both without the banner naming anyone,
opens the answers, replies, acknowledges and exports to the record; the log
reviewer finds the reads and downloads them. axe-core, no CSP violation and
reflow at 320 px on every page."""

from pathlib import Path

from playwright.sync_api import expect

from fyren.audit.models import AccessLogEntry, AuditEvent
from fyren.care.models import Enrolment
from fyren.flags.models import Flag
from fyren.journal.models import JournalExport
from fyren.organisations.models import CareUnit
from fyren.people.models import Citizen
from tests.e2e.demo import demo_login, logout


def test_a_newcomers_first_day(demo_live, checked):
    page, live = checked.page, demo_live
    britt = Citizen.objects.get(given_name="Britt")
    hamnen = CareUnit.objects.get(name="Psykiatrimottagning Hamnen")

    # The citizen: self-enrolment through the screening gate.
    demo_login(page, live, "Britt Blom")
    checked.check("citizen start")
    page.get_by_role("link", name="Program du kan starta själv").click()
    checked.check("open programs")
    page.get_by_role("link", name="Sömnskolan – bättre sömn på egen hand vid Psykiatrimottagning Hamnen").click()
    checked.check("program description")
    page.get_by_role("button", name="Starta programmet").click()
    checked.check("screening")
    page.locator("#q-1-0").check()
    page.locator("#q-2-1").check()
    page.get_by_role("button", name="Skicka mina svar").click()
    expect(page.get_by_text("Välkommen! Ditt program har startat.")).to_be_visible()
    enrolment = Enrolment.objects.get(citizen=britt)
    assert enrolment.start_kind == "self" and [c.username for c in enrolment.clinicians.all()] == ["anna.lind"]
    team = page.get_by_role("region", name="Ditt vårdteam")
    expect(team).to_contain_text("Anna Lind vid Psykiatrimottagning Hamnen är ansvarig för ditt program")
    expect(team).to_contain_text("Meddelanden besvaras inom 48 timmar")
    # The page shown only when sleep stays short is not linked before it applies.
    expect(page.get_by_role("link", name="Om sömnen fortfarande är dålig")).to_have_count(0)
    checked.check("plan after self-enrolment")

    # The first module.
    page.get_by_role("link", name="Sömnens grunder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sömnens grunder")
    checked.check("module 1 page")
    page.get_by_role("link", name="Min plan").first.click()

    # The baseline PHQ-9, with thoughts of self-harm on several days.
    page.get_by_role("button", name="Svara på PHQ9").click()
    checked.check("PHQ-9")
    for n in range(1, 9):
        page.locator(f"#q-{n}-1").check()
    page.locator("#q-9-1").check()
    page.get_by_role("button", name="Skicka mina svar").click()
    safety = page.get_by_role("alert")
    expect(safety).to_contain_text("112")
    expect(safety).to_contain_text("90101")
    checked.check("PHQ-9 result with safety guidance")

    # An urgent message, through the header.
    page.get_by_role("link", name="Meddelanden", exact=True).click()
    checked.check("citizen's messages")
    page.get_by_role("link", name="Sömnskolan").first.click()
    page.get_by_label("Ditt meddelande").fill("Jag sover inte alls och ibland vill jag inte leva.")
    page.get_by_role("button", name="Skicka", exact=True).click()
    expect(page.get_by_text("Ditt meddelande är skickat.")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Självmordslinjen")
    checked.check("conversation with urgent guidance")
    assert Flag.objects.filter(citizen=britt, urgent=True).count() == 2
    logout(page)

    # The clinician: the banner says what and when, not who.
    demo_login(page, live, "Anna Lind")
    page.goto(f"{live}/clinic/{hamnen.pk}/")
    banner = page.locator(".urgent-banner")
    expect(banner.get_by_role("heading")).to_have_text("2 brådskande flaggor väntar på kvittering")
    expect(banner).not_to_contain_text("Britt")
    checked.check("dashboard with the urgent banner")
    banner.get_by_role("link", name="Hantera").first.click()
    card = page.locator(".urgent-card").filter(has_text="Svar på formulär")
    expect(card).to_contain_text("Britt Blom")
    checked.check("urgent flags with names")
    card.get_by_role("link", name="Se svaren som gav flaggan").click()
    expect(page.locator("#item-9")).to_contain_text("Flera dagar")
    expect(page.locator("#item-9")).to_contain_text("gav en brådskande flagga")
    checked.check("PHQ-9 item by item")

    # Reply to the message.
    page.get_by_role("link", name="Väntande meddelanden").first.click()
    checked.check("inbox")
    page.get_by_role("link", name="Britt Blom", exact=True).click()
    page.get_by_label("Ditt meddelande").fill("Hej Britt, jag ringer dig inom en timme. Ring 112 om det är akut.")
    page.get_by_role("button", name="Skicka", exact=True).click()
    expect(page.get_by_text("Ditt meddelande är skickat.")).to_be_visible()
    checked.check("the unit's conversation after replying")

    # Acknowledge both flags with a note, by keyboard.
    for _ in range(2):
        page.locator(".urgent-banner a.button").first.focus()
        page.keyboard.press("Enter")
        page.locator(".urgent-card textarea").first.focus()
        page.keyboard.type("Ringt Britt, ingen akut fara, besök bokat i morgon.")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(page.get_by_text("Flaggan är kvitterad.")).to_be_visible()
    expect(page.locator(".urgent-banner")).to_have_count(0)
    checked.check("flags after acknowledging")

    # The enrolment, and the export to the medical record.
    page.goto(f"{live}/clinic/{hamnen.pk}/enrolments/{enrolment.pk}/")
    checked.check("enrolment overview")
    page.get_by_role("link", name="Journalanteckning och FHIR-export").click()
    checked.check("journal preview")
    # Hamnen's record system subscribes to journal notes: the note goes there (no copying by hand),
    # and its page says how far it has come (the demo's subscription waits for its handshake here).
    expect(page.get_by_text("går till Journalsystem Hamnen av sig själv")).to_be_visible()
    page.get_by_role("button", name="Markera som exporterad och hämta anteckningen").click()
    expect(page.get_by_label("Anteckningen som skickades")).to_contain_text("brådskande")
    expect(page.get_by_role("region", name="Till journalen")).to_contain_text("Journalsystem Hamnen")
    checked.check("journal note")
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned som FHIR R4 Bundle (JSON)").click()
    assert download.value.suggested_filename.endswith(".json")
    assert JournalExport.objects.filter(enrolment=enrolment).count() == 1
    logout(page)

    # The log reviewer finds Anna's reads of Britt and downloads them.
    demo_login(page, live, "Lena Holm")
    page.get_by_role("link", name="Logggranskning").click()
    page.get_by_label("Invånarens person- eller samordningsnummer").fill(britt.formatted_identity_number)
    page.get_by_role("button", name="Filtrera").click()
    rows = page.locator("table.log tbody tr")
    expect(rows.filter(has_text="Anna Lind").first).to_contain_text("Behandlare")
    expect(rows.filter(has_text="formulärsvar").first).to_be_visible()
    expect(page.locator("table.log")).to_contain_text(britt.formatted_identity_number)
    checked.check("log review filtered to Britt")
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned de här raderna (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert britt.formatted_identity_number in text and "Anna Lind" in text and "formulärsvar" in text
    assert AccessLogEntry.objects.filter(action="export", object_type="access_log_export", citizen=britt).exists()
    assert AuditEvent.objects.filter(action="access_log.export").exists()

"""A citizen answers PHQ-9 with item 9 above 0 and immediately sees the safety
guidance; an urgent flag is raised for the unit."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from fyren.flags.models import Flag
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture


@pytest.fixture
def live(transactional_db, live_server, settings, enrolled):  # noqa: F811
    settings.DEMO = True
    return live_server.url


def test_phq9_with_item_nine_shows_safety_guidance(live, checked, enrolled):  # noqa: F811
    page = checked.page
    page.goto(live + "/account/login/demo-eid/")
    page.get_by_role("button", name="Logga in som Pia Patient").click()
    checked.check("my page with a due questionnaire")
    page.get_by_role("button", name="Svara på PHQ-9 – frågor om nedstämdhet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("PHQ-9 – frågor om nedstämdhet")
    checked.check("questionnaire, all questions")
    for n in range(1, 9):
        page.locator(f"#q-{n}-0").check()
    page.get_by_role("button", name="Skicka mina svar").click()
    expect(page.get_by_text("Besvara frågan.")).to_be_visible()  # item 9 was left out
    checked.check("questionnaire with a missing answer")
    expect(page.locator("#q-1-0")).to_be_checked()  # nothing typed is lost
    page.get_by_role("group", name="Tankar på att det vore bättre").get_by_label("Flera dagar").check()
    page.get_by_role("button", name="Skicka mina svar").click()
    safety = page.get_by_role("alert")
    expect(safety).to_contain_text("112")
    expect(safety).to_contain_text("1177")
    checked.check("result with safety guidance")
    flag = Flag.objects.get()
    assert flag.urgent and flag.unit == enrolled.unit
    page.get_by_role("button", name="Logga ut").click()

    # The clinician sees the answered send on the patient's page and can schedule another.
    page.goto(live + "/account/login/demo-eid/")
    page.get_by_role("button", name="Logga in som Clinician Staff").click()
    page.goto(f"{live}/clinic/{enrolled.unit.pk}/patients/{enrolled.patient.pk}/")
    expect(page).to_have_title("Pia Patient – Fyren")
    checked.check("patient page with questionnaire sends")
    page.get_by_label("Formulär", exact=True).select_option("gad7")
    # Three years ahead is refused with the range and the date kept; a month ahead is taken.
    page.get_by_label("Skicka den").fill((dt.date.today() + dt.timedelta(days=3 * 365)).isoformat())
    page.get_by_role("button", name="Schemalägg ett formulär").click()
    expect(page.get_by_text("Välj ett datum från")).to_be_visible()
    page.get_by_label("Skicka den").fill((dt.date.today() + dt.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Schemalägg ett formulär").click()
    expect(page.get_by_text("Formuläret är schemalagt.")).to_be_visible()
    checked.check("patient page after scheduling")


def test_one_question_per_screen_on_a_phone(live, checked, enrolled):  # noqa: F811
    page = checked.page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live + "/account/login/demo-eid/")
    page.get_by_role("button", name="Logga in som Pia Patient").click()
    page.get_by_role("button", name="Svara på PHQ-9 – frågor om nedstämdhet").click()
    page.get_by_role("link", name="Visa en fråga i taget").click()
    for n in range(1, 10):
        expect(page.get_by_text(f"Fråga {n} av 9")).to_be_visible()
        if n == 1:
            checked.check("one question per screen")
            checked.fits_narrow_screen()
        page.get_by_label("Inte alls").check()
        page.get_by_role("button", name="Skicka mina svar" if n == 9 else "Nästa fråga").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tack för dina svar")
    expect(page.get_by_text("Inga eller minimala depressiva symtom.")).to_be_visible()
    checked.check("result")
    page.get_by_role("link", name="Se dina svar över tid").click()
    checked.check("history")

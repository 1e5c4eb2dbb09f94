"""The citizen works through module 1 (worksheet, diary), marks it done and the
next module opens. axe-core on every page."""

import pytest
from playwright.sync_api import expect

from fyren.care.models import DiaryEntry, ElementAnswer
from fyren.care.tests.test_journey import journey  # noqa: F401 - fixture


@pytest.fixture
def live(transactional_db, live_server, settings, journey):  # noqa: F811
    settings.DEMO = True
    return live_server.url


def test_module_one_then_the_next_opens(live, checked, journey):  # noqa: F811
    page = checked.page
    page.goto(live + "/account/login/demo-eid/")
    page.get_by_role("button", name="Logga in som Pia Patient").click()
    page.locator(f"a[href='/me/enrolments/{journey.enrolment.pk}/']").click()
    expect(page.get_by_text("Ditt nästa steg")).to_be_visible()
    checked.check("my plan")
    page.locator(".next-step a.button").click()
    checked.check("module 1 page")
    page.get_by_label("Text", exact=True).first.fill("Sova sju timmar")
    expect(page.locator("[data-autosave-status]").first).to_have_text("Sparat.", timeout=10000)
    assert ElementAnswer.objects.get().value == {"fields": {"goal": "Sova sju timmar"}}
    page.get_by_role("button", name="Skicka till min behandlare").click()
    expect(page.get_by_text("Skickat till din behandlare.")).to_be_visible()
    checked.check("module 1 page after sending")
    diary = page.get_by_role("group", name="Ny anteckning")
    diary.get_by_label("Text").first.fill("7,5")
    diary.get_by_label("Text").nth(1).fill("22:30")
    page.get_by_role("button", name="Spara anteckningen").click()
    expect(page.get_by_text("Anteckningen är sparad.")).to_be_visible()
    assert DiaryEntry.objects.get().values == {"hours": 7.5, "bed": "22:30"}
    checked.check("module 1 page with a diary entry")
    page.get_by_role("button", name="Jag är klar med modulen").click()
    expect(page.get_by_text("Bra jobbat!")).to_be_visible()
    checked.check("plan after module 1")
    expect(page.locator(".module-open")).to_have_count(1)
    expect(page.locator(".module-done")).to_have_count(1)

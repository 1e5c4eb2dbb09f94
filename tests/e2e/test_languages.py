"""#19 in the browser. The citizen's main pages in Arabic (right to left) are
compared with reviewed reference screenshots (``references/``), and pass
axe-core and reflow at phone width; axe-core passes in every page language;
the main citizen journey works with the keyboard alone.

A reference is written when it is missing or ``FYREN_UPDATE_REFERENCES=1``, and
the test then fails so that a person looks at the picture before it is
committed. What changes from day to day (dates, times) is masked."""

import io
import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from playwright.sync_api import expect

from fyren.care.models import ElementAnswer, Enrolment
from fyren.care.tests.test_journey import journey  # noqa: F401 - fixture
from fyren.messaging.models import Thread
from fyren.programs.models import Step

from .demo import demo_login

REFERENCES = Path(__file__).parent / "references"
DYNAMIC = "time, .meta, input[type=date], .el-diary table"
TOLERANCE = 0.01  # share of pixels allowed to differ (font hinting, anti-aliasing)


def _differing_share(expected: bytes, actual: bytes) -> float:
    a, b = (Image.open(io.BytesIO(png)).convert("RGB") for png in (expected, actual))
    if a.size != b.size:
        return 1.0
    changed = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > 48 else 0)
    return changed.histogram()[255] / (a.size[0] * a.size[1])


def matches_reference(page, name: str, written: list[str]) -> None:
    page.wait_for_load_state("load")
    shot = page.screenshot(full_page=True, mask=[page.locator(DYNAMIC)], animations="disabled", caret="hide")
    reference = REFERENCES / f"{name}.png"
    if os.environ.get("FYREN_UPDATE_REFERENCES") == "1" or not reference.exists():
        reference.write_bytes(shot)
        written.append(reference.name)
        return
    share = _differing_share(reference.read_bytes(), shot)
    if share > TOLERANCE:
        (REFERENCES / f"{name}.actual.png").write_bytes(shot)
        raise AssertionError(f"{name}: {share:.1%} of the page differs from its reference (see {name}.actual.png)")


def test_the_citizens_main_pages_in_arabic_match_their_references(demo_live, checked):
    """Amira reads Arabic: after logging in, every page is in Arabic, right to
    left, and the sleep program too."""
    page = checked.page
    page.set_viewport_size({"width": 1280, "height": 900})
    demo_login(page, demo_live, "Amira Yousef")
    enrolment = Enrolment.objects.get(citizen__given_name="Amira", language="ar")
    plan = list(
        Step.objects.filter(version=enrolment.program_version).order_by("section__module__position", "position")
    )
    thread = Thread.objects.get(enrolment=enrolment)
    pages = [
        ("ar-start", "/me/"),
        ("ar-plan", f"/me/enrolments/{enrolment.pk}/"),
        ("ar-text-page", f"/me/enrolments/{enrolment.pk}/steps/{plan[0].key}/"),
        ("ar-diary-page", f"/me/enrolments/{enrolment.pk}/steps/{plan[2].key}/"),
        ("ar-conversation", f"/me/messages/{thread.pk}/"),
        ("ar-visits", "/me/bookings/"),
        ("ar-display", "/account/display/"),
    ]
    written: list[str] = []
    for name, path in pages:
        page.goto(demo_live + path)
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
        checked.check(name)
        matches_reference(page, name, written)
    # The sleep program's PHQ-9, in the Arabic translation the demo region added.
    page.goto(demo_live + "/me/")
    page.get_by_role("button", name="PHQ-9 – استبيان صحة المريض").click()
    expect(page.get_by_text("قلة الاهتمام أو المتعة في القيام بالأشياء")).to_be_visible()
    assert page.locator("main .notice").count() == 0
    checked.check("ar-questionnaire")
    matches_reference(page, "ar-questionnaire", written)
    page.set_viewport_size({"width": 390, "height": 844})
    for name, path in pages[:3]:
        page.goto(demo_live + path)
        checked.fits_narrow_screen(name)
        matches_reference(page, f"{name}-phone", written)
    if written:
        pytest.fail(f"references written: {', '.join(written)}; look at them, and commit them if they are right")


@pytest.mark.parametrize("language", ["en", "fi", "fa", "so", "ti", "uk"])
def test_axe_finds_nothing_in_each_page_language(demo_live, checked, language):
    page = checked.page
    demo_login(page, demo_live, "Sara Nilsson")
    page.select_option("#language-select", language)
    page.locator(".language-form button").click()
    enrolment = Enrolment.objects.filter(citizen__given_name="Sara").first()
    for path in ("/me/", f"/me/enrolments/{enrolment.pk}/", "/me/messages/", "/me/bookings/", "/account/display/"):
        page.goto(demo_live + path)
        assert page.evaluate("document.documentElement.lang") == language
        checked.check(f"{language} {path}")


def test_gunnar_reads_the_sleep_program_in_easy_to_read_swedish_with_larger_text(demo_live, checked):
    """The demo's citizen who seldom uses a computer: larger text remembered on
    him, the program in easy-to-read Swedish (lättläst), at phone width."""
    page = checked.page
    page.set_viewport_size({"width": 390, "height": 844})
    demo_login(page, demo_live, "Gunnar Blom")
    enrolment = Enrolment.objects.get(citizen__given_name="Gunnar", language="sv-x-lattlast")
    assert "sv-x-lattlast" in enrolment.program_version.languages
    expect(page.get_by_role("link", name="Sömnskolan – sov bättre")).to_be_visible()
    first = Step.objects.filter(version=enrolment.program_version).order_by("section__module__position", "position")[0]
    page.goto(f"{demo_live}/me/enrolments/{enrolment.pk}/steps/{first.key}/")
    assert "text-large" in page.evaluate("document.documentElement.className")
    expect(page.locator("main div[lang='sv-x-lattlast']").first).to_contain_text("Alla behöver inte sova lika mycket.")
    expect(page.get_by_label("Läs programmet på")).to_have_value("sv-x-lattlast")
    checked.check("lättläst text page")
    checked.fits_narrow_screen("lättläst text page")


def tab_to(page, describe: str, *, limit: int = 120):
    """Press Tab until the focused element is ``describe`` (a CSS selector the
    element must match, or its accessible text), and check its focus is visible."""
    page.wait_for_load_state("load")
    for _ in range(limit):
        page.keyboard.press("Tab")
        found = page.evaluate(
            """(want) => {
                const e = document.activeElement;
                if (!e || e === document.body) return false;
                const text = (e.innerText || e.value || e.getAttribute('aria-label') || '').trim();
                let matches = false;
                try { matches = e.matches(want); } catch (error) { matches = false; }
                return matches || text === want;
            }""",
            describe,
        )
        if found:
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"{describe}: the focus is not visible"
            return
    raise AssertionError(f"{describe} cannot be reached with the Tab key")


def press_enter_and_wait(page):
    """Enter on a focused link or submit button, and the page it leads to loaded."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.fixture
def live(transactional_db, live_server, settings, journey):  # noqa: F811
    settings.DEMO = True
    return live_server.url


def test_the_citizen_journey_works_with_the_keyboard_alone(live, checked, journey):  # noqa: F811
    page = checked.page
    page.goto(live + "/account/login/demo-eid/")
    tab_to(page, "Logga in som Pia Patient")
    press_enter_and_wait(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pia")
    tab_to(page, f"a[href='/me/enrolments/{journey.enrolment.pk}/']")
    press_enter_and_wait(page)
    expect(page.get_by_text("Ditt nästa steg")).to_be_visible()
    tab_to(page, ".next-step a.button")
    press_enter_and_wait(page)
    tab_to(page, "textarea")
    page.keyboard.type("Sova sju timmar")
    tab_to(page, "Skicka till min behandlare")
    press_enter_and_wait(page)
    expect(page.get_by_text("Skickat till din behandlare.")).to_be_visible()
    assert ElementAnswer.objects.get().value == {"fields": {"goal": "Sova sju timmar"}}
    tab_to(page, "Jag är klar med modulen")
    press_enter_and_wait(page)
    expect(page.get_by_text("Bra jobbat!")).to_be_visible()
    # Larger text, by keyboard too.
    tab_to(page, "Textstorlek och kontrast")
    press_enter_and_wait(page)
    tab_to(page, "input[name=text_size]")  # the group takes one Tab; arrows choose within it
    page.keyboard.press("ArrowDown")
    tab_to(page, "Spara")
    press_enter_and_wait(page)
    assert "text-large" in page.evaluate("document.documentElement.className")

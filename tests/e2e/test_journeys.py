import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, current_totp
from fyren.audit.models import AccessLogEntry


@pytest.fixture
def live(transactional_db, live_server, settings, world):
    settings.DEMO = True
    return live_server.url


def test_a_citizen_logs_in_with_demo_eid_and_sees_who_read_their_data(live, checked, world):
    page = checked.page
    page.goto(live + "/")
    checked.check("start page")
    page.get_by_role("link", name="Logga in med demo-e-legitimation").click()
    checked.check("demo e-ID")
    page.get_by_role("button", name="Logga in som Pia Patient").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hej, Pia")
    checked.check("citizen start")

    page.get_by_role("link", name="Vem har läst mina uppgifter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vem har läst mina uppgifter")
    checked.check("access log")

    page.goto(live + "/me/contact/")
    checked.check("contact form")
    page.get_by_label("Mobilnummer").fill("123")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Ange ett mobilnummer")).to_be_visible()
    expect(page.get_by_label("Mobilnummer")).to_have_value("123")  # nothing typed is lost
    checked.check("contact form with error")

    page.get_by_label("Språk", exact=True).select_option("en")
    page.get_by_role("button", name="Ändra").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact details and language")
    checked.check("contact form in English")


def test_a_clinician_logs_in_with_password_and_totp_and_reads_a_patient(live, checked, world):
    page = checked.page
    page.goto(live + "/")
    page.get_by_role("link", name="Logga in med lösenord och kod").click()
    checked.check("staff login")
    page.get_by_label("Användarnamn").fill("clinician")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_label("Kod från din autentiseringsapp").fill(current_totp(world.clinician))
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Välkommen"))
    checked.check("staff start")

    page.get_by_role("link", name="Patienter").click()
    checked.check("patient list")
    page.get_by_role("link", name="Pia Patient").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pia Patient")
    checked.check("patient page")
    assert AccessLogEntry.objects.filter(actor=world.clinician, citizen=world.patient, object_type="citizen").exists()

    page.goto(f"{live}/clinic/{world.unit.pk}/emergency-access/")
    checked.check("emergency access")
    page.get_by_label("Invånarens person- eller samordningsnummer").fill(world.stranger.identity_number)
    page.get_by_role("button", name="Öppna nödåtkomst").click()
    checked.check("emergency access with error")
    page.get_by_label("Skäl till nödåtkomst").fill("Brought in unconscious, needs history")
    page.get_by_role("button", name="Öppna nödåtkomst").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sven Stranger")
    checked.check("patient page through emergency access")

    page.goto(f"{live}/clinic/{world.unit.pk}/patients/new/")
    checked.check("register patient")


def test_admin_and_log_review_pages(live, checked, world):
    page = checked.page
    page.goto(live + "/account/login/demo-eid/")
    checked.check("demo e-ID")
    page.get_by_role("button", name="Logga in som Accessadmin Staff").click()
    checked.check("access admin start")
    page.get_by_role("link", name="Roller på enheten").click()
    checked.check("unit roles")
    page.get_by_label("Medarbetare", exact=True).fill("nobody")
    page.get_by_role("button", name="Ge roll").click()
    checked.check("unit roles with error")
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_text("Du är utloggad.")).to_be_visible()
    checked.check("logged out")

    page.goto(live + "/account/login/demo-eid/")
    page.get_by_role("button", name="Logga in som Reviewer Staff").click()
    checked.check("reviewer start")
    page.get_by_role("link", name="Logggranskning").click()
    checked.check("log review")


def test_keyboard_users_can_skip_to_the_content(live, checked):
    page = checked.page
    page.goto(live + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


@pytest.mark.parametrize("width", [320, 640])
def test_pages_fit_a_phone_and_200_percent_zoom(live, checked, world, width):
    page = checked.page
    page.set_viewport_size({"width": width, "height": 800})
    for path in ["/", "/account/login/", "/account/login/demo-eid/"]:
        page.goto(live + path)
        checked.fits_narrow_screen()
    page.get_by_role("button", name="Logga in som Pia Patient").click()
    checked.fits_narrow_screen()
    checked.check("citizen start on a narrow screen")


def test_a_new_staff_member_sets_up_the_authenticator_at_first_login(live, checked, make):
    from binascii import unhexlify

    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    make.staff("firsttimer", totp=False)
    page = checked.page
    page.goto(live + "/account/login/")
    page.get_by_label("Användarnamn").fill("firsttimer")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ställ in din autentiseringsapp")
    expect(page.get_by_role("img", name="QR-kod för autentiseringsappen")).to_be_visible()
    checked.check("authenticator set-up")
    device = TOTPDevice.objects.get(user__username="firsttimer", confirmed=False)
    page.get_by_label("Kod från din autentiseringsapp").fill(f"{totp(unhexlify(device.key)):06d}")
    page.get_by_role("button", name="Bekräfta och logga in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Välkommen"))
    checked.check("staff start without roles")

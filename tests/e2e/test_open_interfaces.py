"""The open interfaces on the demo data, in the browser: a citizen lets the
Fyren app into her account (the approval page, the code, the token, the app
listed under connected apps, revoked); the region's data administrator makes a
research export and reads its k-anonymity report; a citizen's research page.
axe-core, no CSP violation and reflow at 320 px on every page."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

from oauth2_provider.models import Application
from playwright.sync_api import expect

from tests.e2e.demo import demo_login, logout


def test_a_citizen_lets_the_app_in_and_takes_it_back(demo_live, checked):
    page, live = checked.page, demo_live
    Application.objects.filter(client_id="fyren-app").update(redirect_uris=f"{live}/api/v1/docs")
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = {
        "response_type": "code",
        "client_id": "fyren-app",
        "redirect_uri": f"{live}/api/v1/docs",
        "scope": "patient/Appointment.rs patient/Communication.rs",
        "state": "s1",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    demo_login(page, live, "Sara Nilsson")
    page.goto(f"{live}/o/authorize/?{urlencode(query)}")
    expect(page.get_by_role("heading", name="Får Fyren-appen använda ditt konto?")).to_be_visible()
    expect(page.get_by_text("Läsa dina egna uppgifter: besök")).to_be_visible()
    checked.check("the approval page")
    page.get_by_role("button", name="Tillåt").click()
    page.wait_for_url("**/api/v1/docs?**")
    code = parse_qs(urlsplit(page.url).query)["code"][0]
    checked.check("the API documentation")
    issued = page.request.post(
        f"{live}/o/token/",
        form={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": f"{live}/api/v1/docs",
            "client_id": "fyren-app",
            "code_verifier": verifier,
        },
    )
    assert issued.ok, issued.text()
    bearer = issued.json()["access_token"]
    bookings = page.request.get(f"{live}/api/v1/me/bookings", headers={"Authorization": f"Bearer {bearer}"})
    assert bookings.ok
    page.goto(f"{live}/me/")
    page.get_by_role("link", name="Anslutna appar").click()
    expect(page.get_by_text("Fyren-appen", exact=True)).to_be_visible()
    checked.check("connected apps")
    page.get_by_role("button", name="Ta bort tillgången").click()
    expect(page.get_by_text("Fyren-appen har inte längre tillgång")).to_be_visible()
    gone = page.request.get(f"{live}/api/v1/me/bookings", headers={"Authorization": f"Bearer {bearer}"})
    assert gone.status == 401
    page.goto(f"{live}/me/")
    page.get_by_role("link", name="Forskning").click()
    expect(page.get_by_text("Inget forskningsprojekt ber om dina uppgifter.")).to_be_visible()
    checked.check("research consent, nothing asked")
    logout(page)


def test_the_data_administrator_makes_a_research_export(demo_live, checked):
    page, live = checked.page, demo_live
    demo_login(page, live, "Lena Berg")
    page.get_by_role("link", name="Forskningsprojekt: godkänn dem och gör deras uttag").click()
    checked.check("research projects")
    page.get_by_role("link", name="Internetbaserad KBT vid oro: ett år efter behandlingen").click()
    expect(page.get_by_text("20 har samtyckt")).to_be_visible()
    page.get_by_role("button", name="Gör ett uttag").click()
    expect(page.get_by_text("Uttaget är gjort.")).to_be_visible()
    expect(page.get_by_text("10 personer ingår.")).to_be_visible()
    page.get_by_text("Vad som inte togs med").click()
    expect(page.get_by_text("50-59, M, Region Skärlanda, Oro – KBT via internet: 1")).to_be_visible()
    checked.check("the project with its export")
    with page.expect_download() as download:
        page.get_by_role("link", name="scores.csv").click()
    assert download.value.suggested_filename.endswith("scores.csv")
    logout(page)

"""*Kontakta mig* on the demo data, in the browser (#32): Karin, in no program at
Fyrbacken, asks it to call her; a mistake keeps what she typed; the request
lands in Fyrbacken's inbox, where Eva Falk sees how and when to reach her, and
the care guarantee's case runs from today. Then Anna Lind books Sara a visit in
Fyrbacken's times, which Fyrbacken opens to Hamnen. axe-core, no CSP violation and
reflow at 320 px on each page."""

from playwright.sync_api import expect

from fyren.booking.models import Booking, GuaranteeCase
from fyren.messaging.models import Thread
from fyren.organisations.models import CareUnit
from fyren.people.models import Citizen
from tests.e2e.demo import demo_login, logout


def test_a_citizen_asks_a_unit_to_contact_her(demo_live, checked):
    page, live = checked.page, demo_live
    demo_login(page, live, "Karin Andersson")
    page.goto(f"{live}/me/messages/")
    page.get_by_role("link", name="Be en enhet kontakta mig").click()
    checked.check("the units that take contact requests")
    page.get_by_role("link", name="Vårdcentralen Fyrbacken").click()
    page.get_by_label("Vad det gäller, med några ord").fill("Sömnproblem")
    page.get_by_label("Det du vill berätta för enheten").fill("Jag sover dåligt sedan en månad.")
    page.get_by_label("Ring mig").check()
    page.get_by_label("Telefonnummer").fill("")
    page.get_by_label("När det passar dig").fill("Eftermiddagar")
    page.get_by_role("button", name="Skicka begäran").click()
    expect(page.get_by_text("Ange ett telefonnummer som enheten kan ringa")).to_be_visible()
    expect(page.get_by_label("Vad det gäller, med några ord")).to_have_value("Sömnproblem")
    checked.check("the contact request form after a mistake")
    page.get_by_label("Telefonnummer").fill("070-111 22 33")
    page.get_by_role("button", name="Skicka begäran").click()
    expect(page.get_by_text("Din förfrågan är skickad.")).to_be_visible()
    checked.check("the request as a conversation")
    case = GuaranteeCase.objects.get(
        citizen__given_name="Karin", unit__name="Vårdcentralen Fyrbacken", source="contact"
    )
    assert case.assessed_at is None
    logout(page)

    demo_login(page, live, "Eva Falk")
    page.goto(f"{live}/clinic/{case.unit_id}/inbox/")
    expect(page.get_by_text("Sömnproblem")).to_be_visible()
    thread = Thread.objects.get(subject="Sömnproblem")
    page.goto(f"{live}/clinic/{case.unit_id}/threads/{thread.pk}/")
    expect(page.get_by_text("070-111 22 33")).to_be_visible()
    expect(page.get_by_text("passar: Eftermiddagar")).to_be_visible()
    checked.check("the request in the unit's inbox")
    logout(page)

    # Fyrbacken lets Hamnen book into Eva's times: Anna books Sara a follow-up there.
    sara = Citizen.objects.get(given_name="Sara")
    hamnen = CareUnit.objects.get(name="Psykiatrimottagning Hamnen")
    demo_login(page, live, "Anna Lind")
    page.goto(f"{live}/clinic/{hamnen.pk}/patients/{sara.pk}/")
    page.get_by_role("link", name="Boka på en annan enhet").click()
    checked.check("booking at another unit")
    page.get_by_role("button", name="Boka tiden").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Boka tiden").click()
    expect(page.get_by_text("Tiden är bokad på den andra enheten.")).to_be_visible()
    visit = Booking.objects.get(citizen=sara, booked_by_unit=hamnen)
    assert visit.unit.name == "Vårdcentralen Fyrbacken" and visit.created_by.username == "anna.lind"

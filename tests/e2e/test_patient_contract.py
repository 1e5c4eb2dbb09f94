"""A patient contract across two units, on the demo data: a psychiatry
clinician builds the contract and invites the primary-care unit, which accepts
and adds an activity; the citizen reads the plan, comments and agrees; the
first clinician finds the comment in the unit's inbox. Then the care episode
with its lead times, and the analyst's figures. axe-core, no CSP violation
and reflow at 320 px on every page."""

from playwright.sync_api import expect

from fyren.careplans.models import Agreement, Comment, Participant
from fyren.episodes.models import Episode
from fyren.organisations.models import CareUnit
from fyren.people.models import Citizen
from tests.e2e.demo import demo_login, logout


def test_a_contract_across_two_units(demo_live, checked):
    page, live = checked.page, demo_live
    karin = Citizen.objects.get(given_name="Karin")
    hamnen = CareUnit.objects.get(name="Psykiatrimottagning Hamnen")
    fyrbacken = CareUnit.objects.get(name="Vårdcentralen Fyrbacken")

    # Psychiatry: start the contract, a goal, the fixed care contact, invite primary care.
    demo_login(page, live, "Anna Lind")
    page.goto(f"{live}/clinic/{hamnen.pk}/patients/{karin.pk}/")
    checked.check("patient page with episodes")
    page.get_by_role("button", name="Påbörja ett patientkontrakt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Patientkontrakt: Karin Andersson")
    checked.check("new contract")
    page.get_by_text("Lägg till ett mål").click()
    page.get_by_label("Mål, med patientens egna ord").fill("Kunna gå till jobbet utan att oroa mig hela dagen")
    page.get_by_label("Mäts med (frivilligt)").select_option("phq9")
    page.get_by_label("Poängen ska vara").select_option("at_most")
    page.get_by_label("Målpoäng").fill("9")
    page.get_by_role("button", name="Lägg till målet").click()
    expect(page.get_by_text("Sparat. Patienten ser ändringen.")).to_be_visible()
    page.get_by_label("Fast vårdkontakt").select_option(label="Anna Lind")
    page.get_by_label("Hur patienten når hen").fill("Meddelande i Fyren")
    page.get_by_role("button", name="Spara fast vårdkontakt").click()
    page.get_by_text("Bjud in en annan enhet").click()
    page.get_by_label("Enhet att bjuda in").select_option(label="Vårdcentralen Fyrbacken (Region Fyrland)")
    page.get_by_label("Meddelande till enheten").fill("Vi vill samordna sömn och blodtryck med er.")
    page.get_by_role("button", name="Skicka inbjudan").click()
    expect(page.locator("#units-heading + ul")).to_contain_text("Vårdcentralen Fyrbacken – Inbjuden")
    checked.check("contract with an invitation")
    logout(page)

    # Primary care: accept, name the fixed care contact, add an activity.
    demo_login(page, live, "Eva Falk")
    page.goto(f"{live}/clinic/{fyrbacken.pk}/")
    page.get_by_role("link", name="Inbjudningar till kontrakt").click()
    checked.check("invitations")
    page.get_by_role("link", name="Karin Andersson").click()
    checked.check("invitation")
    page.get_by_label("Svar").select_option("accept")
    page.get_by_role("button", name="Skicka svaret").click()
    expect(page.get_by_text("Din enhet deltar i kontraktet.")).to_be_visible()
    page.get_by_label("Hur patienten når hen").fill("Telefontid vardagar 8–9")
    page.get_by_role("button", name="Spara fast vårdkontakt").click()
    page.get_by_text("Lägg till en aktivitet").click()
    page.get_by_label("Vad", exact=True).fill("Sömnskola i grupp")
    page.get_by_label("Hur", exact=True).select_option("visit")
    page.get_by_label("Vem (en roll)").fill("Distriktssköterska")
    page.get_by_label("Hur ofta (t.ex. varannan vecka)").fill("Varannan vecka")
    page.get_by_role("button", name="Lägg till aktiviteten").click()
    expect(page.get_by_role("row", name="Sömnskola i grupp")).to_be_visible()
    checked.check("contract seen by the second unit")
    assert Participant.objects.get(unit=fyrbacken, contract__citizen=karin).status == "accepted"
    logout(page)

    # The citizen: Min plan, a comment on the goal, agreement.
    demo_login(page, live, "Karin Andersson")
    page.get_by_role("link", name="Min plan: mål, aktiviteter och vem jag kontaktar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Min plan")
    expect(page.get_by_role("region", name="Vem du kontaktar")).to_contain_text("Anna Lind")
    expect(page.get_by_role("region", name="Närmast i din plan")).to_contain_text("Sömnskola i grupp")
    checked.check("Min plan")
    page.get_by_label("Gäller").select_option(label="Mål: Kunna gå till jobbet utan att oroa mig hela dagen")
    page.get_by_label("Din kommentar").fill("Mornarna är värst, kan vi börja där?")
    page.get_by_role("button", name="Skicka kommentaren").click()
    expect(page.get_by_text("Din kommentar är skickad till enheten.")).to_be_visible()
    page.get_by_role("button", name="Jag godkänner planen").click()
    expect(page.get_by_text("Tack. Att du godkänner planen är registrerat.")).to_be_visible()
    checked.check("Min plan after agreeing")
    page.set_viewport_size({"width": 375, "height": 800})
    checked.check("Min plan at phone width")
    page.set_viewport_size({"width": 1280, "height": 800})
    assert Comment.objects.get(contract__citizen=karin).unit == hamnen
    assert Agreement.objects.filter(agreed_by=karin.user).count() == 1
    logout(page)

    # Psychiatry again: the comment waits in the inbox; the episode's lead times.
    demo_login(page, live, "Anna Lind")
    page.goto(f"{live}/clinic/{hamnen.pk}/inbox/")
    checked.check("inbox with the comment")
    page.get_by_role("link", name="Karin Andersson", exact=True).click()
    expect(page.locator("main")).to_contain_text("Mornarna är värst")
    expect(page.locator("main")).to_contain_text("Om målet ”Kunna gå till jobbet")
    checked.check("the comment as a message")
    episode = Episode.objects.get(citizen=karin, unit=hamnen, status="open")
    page.goto(f"{live}/clinic/{hamnen.pk}/episodes/{episode.pk}/")
    expect(page.get_by_role("row", name="B→C")).to_contain_text("Över målet")
    checked.check("episode with lead times")
    page.goto(f"{live}/clinic/{hamnen.pk}/care-requests/")
    checked.check("care requests")
    page.get_by_role("link", name="Gunnar Blom").click()
    checked.check("a waiting care request")
    page.get_by_label("Ställningstagande").select_option("accept")
    page.get_by_role("button", name="Registrera ställningstagandet").click()
    expect(page.get_by_text("Ställningstagandet är registrerat.")).to_be_visible()
    logout(page)

    # The analyst: figures only.
    demo_login(page, live, "Ali Haddad")
    page.get_by_role("link", name="Ledtider i vårdförloppen").click()
    page.get_by_label("Period från").fill("2020-01-01")
    page.get_by_role("button", name="Visa").click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Psykiatrimottagning Hamnen")
    expect(table).not_to_contain_text("Karin")
    checked.check("lead times for the analyst")

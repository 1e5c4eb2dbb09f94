"""Reporting on the demo data: the analyst imports a file, sees the error of a
bad row, fixes it, opens the national report and downloads the XLSX; the
national analyst sees every region. axe-core, no CSP violation and reflow at
320 px on every page."""

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.demo import demo_login, logout

HEADER = (
    "record_id,region_code,unit_hsa_id,provider,kind,sex,age,started_on,completed_on,sessions,"
    "employer_contact_on,employment_service_contact_on\n"
)


def _file(completed: str) -> dict:
    year = timezone.localdate().year - 1
    rows = (
        f"j-1,03,,public,KBT,F,34,{year}-01-10,{completed},8,,\n"
        f"j-2,03,,private,IPT,M,41,{year}-02-01,{year}-05-01,10,,\n"
    )
    return {"name": "journal.csv", "mimeType": "text/csv", "buffer": (HEADER + rows).encode()}


def test_the_analyst_imports_fixes_a_row_and_downloads_the_report(demo_live, checked):
    page, live = checked.page, demo_live
    year = timezone.localdate().year - 1
    demo_login(page, live, "Ali Haddad")
    page.get_by_role("link", name="Uppföljning och rapportering: importer").click()
    checked.check("reporting: imports")
    page.get_by_label("CSV-fil").set_input_files(_file(f"{year}-13-01"))
    page.get_by_label("Journalsystem som id:na kommer från").fill("journalen")
    page.get_by_role("button", name="Importera").click()
    expect(page.get_by_text("Inget sparades")).to_be_visible()
    expect(page.get_by_role("cell", name="completed_on")).to_be_visible()
    checked.check("an import with an error")
    page.get_by_label("CSV-fil").set_input_files(_file(f"{year}-03-01"))
    page.get_by_label("Journalsystem som id:na kommer från").fill("journalen")
    page.get_by_role("button", name="Importera").click()
    expect(page.get_by_text("Filen är importerad.")).to_be_visible()
    page.get_by_role("link", name="Alla importer").click()
    page.get_by_role("link", name="Nationell uppföljning av behandlingar").click()
    page.get_by_role("button", name="Visa rapporten").click()
    expect(page.get_by_role("heading", name="T2. Psykologisk behandling", exact=False)).to_be_visible()
    expect(page.get_by_role("rowheader", name="Uppsala (03)").first).to_be_visible()
    expect(page.get_by_role("rowheader", name="Gotland (09)")).to_have_count(0)  # another region's row
    checked.check("the national report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner alla tabeller (XLSX)").click()
    assert download.value.suggested_filename == f"national-report-{year}.xlsx"
    logout(page)

    demo_login(page, live, "Greta Nord")
    page.get_by_role("link", name="Nationell uppföljning av behandlingar").first.click()
    page.get_by_label("Dölj antal under").fill("20")
    page.get_by_role("button", name="Visa rapporten").click()
    expect(page.get_by_role("rowheader", name="Gotland (09)").first).to_be_visible()
    checked.check("the national report with small counts hidden")
    page.goto(f"{live}/reporting/programs/")
    page.get_by_label("Inskrivningar påbörjade från").fill(f"{year}-01-01")
    page.get_by_role("button", name="Visa", exact=True).click()
    expect(page.get_by_role("heading", name="Oro – KBT via internet", exact=False).first).to_be_visible()
    expect(page.get_by_text("Patienten avbröt")).to_be_visible()
    checked.check("program use and outcomes")

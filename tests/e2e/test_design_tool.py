"""A designer builds, previews and submits a small program; a publisher publishes
it; it appears in the catalogue. axe-core checks every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from fyren.accounts.roles import Role
from fyren.programs.models import ProgramVersion


@pytest.fixture
def live(transactional_db, live_server, settings, world, make):
    settings.DEMO = True
    make.staff("designer", (Role.DESIGNER, world.unit))
    make.staff("publisher", (Role.PUBLISHER, world.unit))
    return live_server.url


def _demo_login(checked, live, name):
    page = checked.page
    page.goto(live + "/account/login/demo-eid/")
    page.get_by_role("button", name=f"Logga in som {name}").click()


def test_a_designer_builds_previews_and_submits_and_a_publisher_publishes(live, checked, world):
    page = checked.page
    _demo_login(checked, live, "Designer Staff")
    page.get_by_role("link", name="Designverktyg").click()
    checked.check("design home")
    page.get_by_role("link", name="Nytt program").click()
    checked.check("new program")
    page.get_by_label("Titel").fill("Stresshantering")
    page.get_by_label("Engelska").check()
    page.get_by_role("button", name="Skapa programmet").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stresshantering")
    checked.check("version edit, empty")

    page.get_by_label("Titel (Engelska)").first.fill("Stress management")
    page.get_by_label("Översikt (Svenska)").fill("Ett kort program om stress.")
    page.get_by_label("Översikt (Engelska)").fill("A short program about stress.")
    page.get_by_label("Målgrupp (Svenska)").fill("Vuxna med stress")
    page.get_by_label("Målgrupp (Engelska)").fill("Adults with stress")
    page.get_by_label("Indikationer (Svenska)").fill("Stress")
    page.get_by_label("Indikationer (Engelska)").fill("Stress")
    page.get_by_label("Kontakt- och nödinformation (Svenska)").fill("Ring 1177, vid fara 112")
    page.get_by_label("Kontakt- och nödinformation (Engelska)").fill("Call 1177, or 112")
    # Autosave stores what was typed without pressing Save.
    expect(page.locator("[data-autosave-status]").first).to_have_text("Sparat.", timeout=10000)
    version = ProgramVersion.objects.get(program__owner=world.region)
    assert version.summary == {"sv": "Ett kort program om stress.", "en": "A short program about stress."}

    page.get_by_role("button", name="Lägg till en modul").click()
    checked.check("version edit with a module")
    page.get_by_label("Titel (Svenska)").nth(1).fill("Vecka 1")
    page.get_by_label("Titel (Engelska)").nth(1).fill("Week 1")
    page.get_by_role("button", name=re.compile(r"Spara\s*: modul 1")).click()
    page.get_by_role("button", name=re.compile("Lägg till ett avsnitt")).click()
    page.get_by_role("button", name=re.compile("Lägg till en sida")).click()
    checked.check("page editor")
    page.get_by_label("Titel (Svenska)").fill("Om stress")
    page.get_by_label("Titel (Engelska)").fill("About stress")
    page.get_by_role("button", name=re.compile(r"Spara\s*: sidan")).click()
    page.get_by_label("Lägg till ett element").select_option("text")
    page.get_by_role("button", name="Lägg till").click()
    page.get_by_label("Text (Svenska)").fill("Stress är kroppens **larm**.")
    page.get_by_label("Text (Engelska)").fill("Stress is the body's **alarm**.")
    page.get_by_role("button", name=re.compile(r"Spara\s*: element 1")).click()
    checked.check("page editor with an element")

    page.get_by_role("link", name="Förhandsgranska sidan som patient").click()
    expect(page.locator(".preview-page strong")).to_have_text("larm")
    checked.check("citizen preview")
    page.get_by_role("link", name="Tillbaka till designverktyget").click()
    page.get_by_role("link", name="Förhandsgranska som behandlare").click()
    checked.check("clinician preview")
    page.get_by_role("link", name="Tillbaka till designverktyget").click()
    expect(page.get_by_text("Allt som kontrollerna letar efter finns på plats.")).to_be_visible()
    page.get_by_role("button", name="Skicka till granskning").click()
    expect(page.get_by_text("En utgivare kommer att titta på den.")).to_be_visible()
    checked.check("program page")
    page.get_by_role("button", name="Logga ut").click()

    _demo_login(checked, live, "Publisher Staff")
    page.get_by_role("link", name="Granskning och publicering").click()
    checked.check("review queue")
    page.get_by_role("link", name="Stresshantering").click()
    checked.check("review page")
    page.get_by_role("radio", name="Godkänn och publicera").check()
    page.get_by_role("button", name="Skicka beslut").click()
    checked.check("review page with error")  # the checklist is not confirmed yet
    for box in page.locator("input[type=checkbox][name^=check_]").all():
        box.check()
    page.get_by_role("radio", name="Godkänn och publicera").check()
    page.get_by_role("button", name="Skicka beslut").click()
    expect(page.get_by_text("Publicerad.")).to_be_visible()
    version.refresh_from_db()
    assert version.status == ProgramVersion.Status.PUBLISHED

    page.goto(live + "/catalogue/")
    checked.check("catalogue")
    page.get_by_role("link", name="Stresshantering").click()
    checked.check("catalogue program")
    page.get_by_role("button", name="Logga ut").click()

    # Editing the published program makes version 2; the comparison shows the change.
    _demo_login(checked, live, "Designer Staff")
    page.goto(f"{live}/design/programs/{version.program_id}/")
    page.get_by_role("button", name="Skapa en ny version att redigera").click()
    page.get_by_label("Översikt (Svenska)").fill("Ett kort program om stress och återhämtning.")
    page.get_by_role("button", name="Spara", exact=True).first.click()
    page.goto(f"{live}/design/programs/{version.program_id}/diff/")
    expect(page.locator("ins").first).to_contain_text("återhämtning")
    checked.check("compare versions")


def test_every_element_kind_is_accessible_in_the_editor_and_the_preview(live, checked, world, settings, tmp_path):
    from fyren.accounts.models import User
    from fyren.programs import elements
    from fyren.programs import services as svc
    from fyren.programs.models import Element, Module, Section, Step
    from fyren.programs.tests.test_elements import png_bytes

    settings.MEDIA_ROOT = tmp_path
    designer = User.objects.get(username="designer")
    version = svc.program_create(
        actor=designer, region=world.region, title="Alla element", kind="support", languages=["sv", "en"]
    )
    module = svc.node_add(actor=designer, version=version, model=Module, title={"sv": "Modul"})
    section = svc.node_add(actor=designer, version=version, model=Section, parent=module, title={"sv": "Avsnitt"})
    step = svc.node_add(actor=designer, version=version, model=Step, parent=section, title={"sv": "Allt"})
    two = {"sv": "Etikett", "en": "Label"}
    contents = {
        elements.TEXT: {"body": {"sv": "**Hej**", "en": "**Hello**"}},
        elements.IMAGE: {"alt": {"sv": "En fyr", "en": "A lighthouse"}},
        elements.VIDEO: {"title": two, "captions": {"sv": "WEBVTT\n\n00:00.000 --> 00:01.000\nHej\n"}},
        elements.AUDIO: {"title": two, "transcript": two},
        elements.EXERCISE: {"prompt": two, "mode": "worksheet", "fields": [{"key": "goal", "label": two}]},
        elements.QUESTIONNAIRE: {"instrument": "gad7"},
        elements.DIARY: {"title": two, "fields": [{"key": "hours", "label": two, "type": "number", "unit": "h"}]},
        elements.MEASUREMENT: {"label": two, "unit": "kg", "min": 30, "max": 300, "decimals": 1},
        elements.CHECKLIST: {"items": [{"key": "a", "label": two}]},
        elements.FILE: {"title": two},
    }
    for kind, content in contents.items():
        element = svc.node_add(actor=designer, version=version, model=Element, parent=step, kind=kind)
        svc.node_update(actor=designer, node=element, content={**element.content, **content})
        if kind == elements.IMAGE:
            svc.element_attach_file(actor=designer, element=element, data=png_bytes(), name="fyr.png")
    page = checked.page
    _demo_login(checked, live, "Designer Staff")
    page.goto(f"{live}/design/versions/{version.pk}/steps/{step.pk}/")
    checked.check("step editor with every element kind")
    page.goto(f"{live}/design/versions/{version.pk}/preview/?step={step.key}")
    expect(page.get_by_role("img", name="En fyr")).to_be_visible()
    checked.check("citizen preview of every element kind")
    page.goto(f"{live}/design/versions/{version.pk}/preview/clinician/")
    checked.check("clinician preview of every element kind")
    page.goto(f"{live}/design/versions/{version.pk}/element/{Element.objects.filter(step=step).first().pk}/delete/")
    checked.check("delete confirmation")
    page.goto(f"{live}/design/import/")
    checked.check("import page")
    page.goto(f"{live}/design/versions/{version.pk}/")
    page.get_by_label("Titel (Engelska)").first.fill("All elements")
    page.get_by_role("button", name="Spara", exact=True).first.click()
    checked.check("version edit after a full save")


def test_a_designer_adds_a_licensed_translation_of_a_library_instrument(live, checked, world, tmp_path):
    """#19: the sheet to translate, a sheet with a missing text refused with the
    line named and what was typed kept, then the translation added."""
    from fyren.instruments.library import LIBRARY
    from fyren.instruments.tests.test_translations import filled

    page = checked.page
    _demo_login(checked, live, "Designer Staff")
    page.goto(live + "/design/instruments/")
    checked.check("instruments")
    page.get_by_role("link", name="Översättningar av phq9").click()
    checked.check("translations of phq9")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Ladda ner arket att översätta")).click()
    assert download.value.suggested_filename == "phq9-translation.csv"
    wrong, right = tmp_path / "wrong.csv", tmp_path / "right.csv"
    wrong.write_text(filled(LIBRARY["phq9"], skip={"items/9/text"}), encoding="utf-8")
    right.write_text(filled(LIBRARY["phq9"]), encoding="utf-8")
    page.get_by_label("Översättningens språk").select_option("ar")
    page.get_by_label("Källa").fill("Den officiella arabiska versionen (Pfizer)")
    page.get_by_label("Rätt att använda den").fill("Fri att använda")
    page.get_by_label("Det ifyllda arket (CSV)").set_input_files(wrong)
    page.get_by_role("button", name="Lägg till översättningen").click()
    expect(page.get_by_text("items/9/text")).to_be_visible()
    expect(page.get_by_label("Källa")).to_have_value("Den officiella arabiska versionen (Pfizer)")
    checked.check("translation refused")
    page.get_by_label("Det ifyllda arket (CSV)").set_input_files(right)
    page.get_by_role("button", name="Lägg till översättningen").click()
    expect(page.get_by_role("cell", name="Den officiella arabiska versionen (Pfizer)")).to_be_visible()
    checked.check("translation added")
    page.set_viewport_size({"width": 390, "height": 844})
    checked.fits_narrow_screen("translations of phq9")

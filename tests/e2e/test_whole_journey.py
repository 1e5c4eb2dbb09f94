"""The whole journey: self-enrol through a screening gate, do module 1 with an
exercise and a diary entry, answer the due questionnaire, see module 2 open.
axe-core on every page."""

import pytest
from playwright.sync_api import expect

from fyren.accounts.roles import Role
from fyren.care.models import DiaryEntry, ElementAnswer, Enrolment
from fyren.programs import elements as k
from fyren.programs import services as program_services
from fyren.programs.models import Element, Module, Section, Step

BOTH = {"sv": "Sömnskola", "en": "Sleep school"}


@pytest.fixture
def live(transactional_db, live_server, settings, world, make):
    settings.DEMO = True
    designer = make.staff("designer", (Role.DESIGNER, world.unit))
    publisher = make.staff("publisher", (Role.PUBLISHER, world.unit))
    admin = make.staff("admin", (Role.CARE_PROVIDER_ADMIN, world.region))
    version = program_services.program_create(
        actor=designer, region=world.region, title="Sömnskola", kind="course", languages=["sv", "en"]
    )
    text = {"sv": "Om sömn", "en": "About sleep"}
    version.title, version.summary, version.target_group = BOTH, text, text
    version.indications, version.contact_info, version.unlock_rule = (
        text,
        {"sv": "Ring 1177", "en": "Call 1177"},
        "sequence",
    )
    version.screening = {"instrument": "phq2", "rules": [{"score": "total", "operator": ">=", "value": 3}]}
    version.save()
    steps = []
    for position, title in ((1, {"sv": "Vecka 1", "en": "Week 1"}), (2, {"sv": "Vecka 2", "en": "Week 2"})):
        module = Module.objects.create(version=version, position=position, title=title)
        section = Section.objects.create(version=version, module=module, position=1, title=title)
        steps.append(
            Step.objects.create(
                version=version, section=section, position=1, title={"sv": f"Sida {position}", "en": f"Page {position}"}
            )
        )

    def add(kind, step, **content):
        Element.objects.create(
            version=version,
            step=step,
            position=Element.objects.count() + 1,
            kind=kind,
            content={**k.empty_content(kind), **content},
        )

    add(k.EXERCISE, steps[0], prompt={"sv": "Beskriv din sömn.", "en": "Describe your sleep."}, mode="free_text")
    add(
        k.DIARY,
        steps[0],
        title={"sv": "Sömndagbok", "en": "Sleep diary"},
        fields=[{"key": "hours", "label": {"sv": "Timmar", "en": "Hours"}, "type": "number", "min": 0, "max": 24}],
    )
    add(k.QUESTIONNAIRE, steps[0], instrument="gad7", schedule={"at_start": True})
    add(k.TEXT, steps[1], body={"sv": "Välkommen till vecka 2", "en": "Welcome to week 2"})
    program_services.version_submit(actor=designer, version=version)
    program_services.version_review(
        actor=publisher,
        version=version,
        checklist=dict.fromkeys(program_services.CHECKLIST, True),
        comment="",
        approve=True,
    )
    program_services.unit_program_set(
        actor=admin,
        program=version.program,
        unit=world.unit,
        active=True,
        self_enrolment=True,
        self_enrolment_group={"sv": "Vuxna", "en": "Adults"},
    )
    return live_server.url


def test_the_whole_journey(live, checked, world):
    page = checked.page
    page.goto(live + "/account/login/demo-eid/")
    page.get_by_role("button", name="Logga in som Sven Stranger").click()
    page.get_by_role("link", name="Program du kan starta själv").click()
    checked.check("open programs")
    page.get_by_role("link", name="Sömnskola").click()
    checked.check("program description")
    page.get_by_role("button", name="Starta programmet").click()
    checked.check("screening questionnaire")
    page.locator("#q-1-0").check()
    page.locator("#q-2-1").check()
    page.get_by_role("button", name="Skicka mina svar").click()
    expect(page.get_by_text("Välkommen! Ditt program har startat.")).to_be_visible()
    assert Enrolment.objects.get(citizen=world.stranger).start_kind == "self"
    checked.check("my plan after self-enrolment")

    page.get_by_role("button", name="Svara på GAD7").click()
    for n in range(1, 8):
        page.locator(f"#q-{n}-1").check()
    page.get_by_role("button", name="Skicka mina svar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tack för dina svar")
    page.goto(f"{live}/me/enrolments/{Enrolment.objects.get(citizen=world.stranger).pk}/")
    checked.check("plan with the questionnaire done")

    page.get_by_role("link", name="Sida 1").first.click()
    checked.check("module 1 page")
    page.get_by_label("Ditt svar").fill("Jag vaknar ofta vid tre.")
    page.get_by_role("button", name="Skicka till min behandlare").click()
    expect(page.get_by_text("Skickat till din behandlare.")).to_be_visible()
    page.get_by_label("Timmar").fill("6")
    page.get_by_role("button", name="Spara anteckningen").click()
    expect(page.get_by_text("Anteckningen är sparad.")).to_be_visible()
    checked.check("module 1 after work")
    assert ElementAnswer.objects.get().status == "sent" and DiaryEntry.objects.count() == 1
    page.get_by_role("button", name="Jag är klar med modulen").click()
    expect(page.locator(".module-open h2")).to_have_text("Vecka 2")
    checked.check("plan with module 2 open")
    page.get_by_role("link", name="Sida 2").first.click()
    expect(page.get_by_text("Välkommen till vecka 2")).to_be_visible()
    checked.check("module 2 page")

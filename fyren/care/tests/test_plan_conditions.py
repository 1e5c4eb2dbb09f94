"""The plan never links a page the citizen cannot open: a step shown only when
an earlier answer holds is left out of the plan until it does, for every kind
of element whose answer a condition can name, and opening it early explains
why instead of a 404."""

import datetime as dt
import uuid

import pytest

from conftest import login_citizen
from fyren.accounts.roles import Role
from fyren.care import journey_services as services
from fyren.care.journey import LOCKED, NOT_APPLICABLE, plan_for
from fyren.care.models import HiddenContent
from fyren.care.services import enrolment_start
from fyren.programs import elements as k
from fyren.programs import services as program_services
from fyren.programs.models import Element, Module, Section, Step
from fyren.programs.tests.conftest import publish
from fyren.questionnaires import services as answering
from fyren.questionnaires.models import ScheduledSend

pytestmark = pytest.mark.django_db
BOTH = {"sv": "Text", "en": "Text"}
ASSESSMENT = {"indication": "Insomnia", "reason": "Motivated, mild", "risk_considered": True}


def _answer_questionnaire(world):
    send = ScheduledSend.objects.get(enrolment=world.enrolment, instrument_code="phq2")
    response = answering.response_start(
        actor=world.patient.user,
        citizen=world.patient,
        instrument_code="phq2",
        language="sv",
        enrolment=world.enrolment,
        send=send,
    )
    answering.response_submit(actor=world.patient.user, client_token=response.client_token, raw={"1": "2", "2": "1"})


def _save(world, name, raw):
    services.element_answer_save(actor=world.patient.user, enrolment=world.enrolment, element=world.el[name], raw=raw)


def _diary(world):
    services.diary_entry_add(
        actor=world.patient.user,
        enrolment=world.enrolment,
        element=world.el["diary"],
        day=dt.date.today(),
        raw={"hours": "4"},
        client_token=uuid.uuid4(),
    )


# kind of the answering element → (the ref's suffix, the condition, how the citizen answers so it holds)
SOURCES = {
    "questionnaire": (".score", {"op": "ge", "value": 3}, _answer_questionnaire),
    "measurement": ("", {"op": "lt", "value": 5}, lambda w: _save(w, "measurement", {"value": "4,5"})),
    "exercise": ("", {"op": "contains", "value": "sova"}, lambda w: _save(w, "exercise", {"text": "Kan inte sova"})),
    "worksheet": (".goal", {"op": "exists"}, lambda w: _save(w, "worksheet", {"fields": {"goal": "Somna före elva"}})),
    "checklist": (".a", {"op": "eq", "value": True}, lambda w: _save(w, "checklist", {"ticked": ["a"]})),
    "diary": (".hours", {"op": "lt", "value": 5}, _diary),
}


@pytest.fixture
def program(world, make):
    """Module 1: one page with an answering element of each kind, then one page
    per kind shown only when that element's answer meets its condition.
    Module 2 (in sequence, locked at first): one page."""
    designer = make.staff("designer", (Role.DESIGNER, world.unit))
    publisher = make.staff("publisher", (Role.PUBLISHER, world.unit))
    admin = make.staff("admin", (Role.CARE_PROVIDER_ADMIN, world.region))
    version = program_services.program_create(
        actor=designer, region=world.region, title="Sömn", kind="course", languages=["sv", "en"]
    )
    version.title, version.summary, version.target_group = BOTH, BOTH, BOTH
    version.indications, version.contact_info, version.unlock_rule = BOTH, BOTH, "sequence"
    version.save()
    module = Module.objects.create(version=version, position=1, title=BOTH)
    section = Section.objects.create(version=version, module=module, position=1, title=BOTH)
    first = Step.objects.create(version=version, section=section, position=1, title={"sv": "Start", "en": "Start"})

    def add(kind, **content):
        return Element.objects.create(
            version=version,
            step=first,
            position=Element.objects.filter(version=version).count() + 1,
            kind=kind,
            content={**k.empty_content(kind), **content},
        )

    world.el = {
        "questionnaire": add(k.QUESTIONNAIRE, instrument="phq2", schedule={"at_start": True}),
        "measurement": add(k.MEASUREMENT, label=BOTH, unit="h", min=0, max=24),
        "exercise": add(k.EXERCISE, prompt=BOTH, mode="free_text"),
        "worksheet": add(
            k.EXERCISE, prompt=BOTH, mode="worksheet", fields=[{"key": "goal", "label": BOTH, "multiline": False}]
        ),
        "checklist": add(k.CHECKLIST, items=[{"key": "a", "label": BOTH}, {"key": "b", "label": BOTH}]),
        "diary": add(
            k.DIARY, title=BOTH, fields=[{"key": "hours", "label": BOTH, "type": "number", "min": 0, "max": 24}]
        ),
    }
    world.conditional = {}
    for position, (name, (suffix, clause, _answer)) in enumerate(SOURCES.items(), start=2):
        step = Step.objects.create(
            version=version,
            section=section,
            position=position,
            title={"sv": f"Om {name}", "en": f"If {name}"},
            condition={"ref": world.el[name].short_key + suffix, **clause},
        )
        Element.objects.create(version=version, step=step, position=100 + position, kind=k.TEXT, content={"body": BOTH})
        world.conditional[name] = step
    second = Module.objects.create(version=version, position=2, title={"sv": "Del 2", "en": "Part 2"})
    section2 = Section.objects.create(version=version, module=second, position=1, title=BOTH)
    world.locked_step = Step.objects.create(version=version, section=section2, position=1, title=BOTH)
    Element.objects.create(version=version, step=world.locked_step, position=200, kind=k.TEXT, content={"body": BOTH})
    publish(version, designer=designer, publisher=publisher)
    program_services.unit_program_set(actor=admin, program=version.program, unit=world.unit, active=True)
    world.enrolment = enrolment_start(
        actor=world.clinician, citizen=world.patient, program_version=version, unit=world.unit, assessment=ASSESSMENT
    )
    world.first_step = first
    return world


def _url(world, step):
    return f"/me/enrolments/{world.enrolment.pk}/steps/{step.key}/"


@pytest.mark.parametrize("kind", list(SOURCES))
def test_a_conditional_step_is_neither_listed_nor_opened_until_its_answer_holds(client, program, kind):
    step = program.conditional[kind]
    login_citizen(client, program.patient)
    plan_page = client.get(f"/me/enrolments/{program.enrolment.pk}/").content.decode()
    assert _url(program, program.first_step) in plan_page
    assert _url(program, step) not in plan_page
    early = client.get(_url(program, step))
    assert early.status_code == 200
    assert "visas bara för den vars tidigare svar gör" in early.content.decode()
    assert (
        plan_for(program.enrolment).step_unavailable_reason(
            next(s for s in plan_for(program.enrolment).tree.steps() if s.key == step.key)
        )
        == NOT_APPLICABLE
    )

    SOURCES[kind][2](program)

    plan_page = client.get(f"/me/enrolments/{program.enrolment.pk}/").content.decode()
    assert _url(program, step) in plan_page
    assert client.get(_url(program, step)).status_code == 200
    assert "visas bara för den vars tidigare svar gör" not in client.get(_url(program, step)).content.decode()
    others = [s for name, s in program.conditional.items() if name != kind]
    assert all(_url(program, s) not in plan_page for s in others)


def test_a_step_in_a_locked_module_explains_itself(client, program):
    login_citizen(client, program.patient)
    page = client.get(_url(program, program.locked_step))
    assert page.status_code == 200 and "inte har öppnats ännu" in page.content.decode()
    the_plan = plan_for(program.enrolment)
    locked = next(s for s in the_plan.tree.steps() if s.key == program.locked_step.key)
    assert the_plan.step_unavailable_reason(locked) == LOCKED
    assert (
        _url(program, program.locked_step) not in client.get(f"/me/enrolments/{program.enrolment.pk}/").content.decode()
    )


def test_a_step_the_clinician_hid_explains_itself_and_an_unknown_key_is_404(client, program):
    HiddenContent.objects.create(
        enrolment=program.enrolment, key=program.first_step.section.module.key, hidden_by=program.clinician
    )
    login_citizen(client, program.patient)
    page = client.get(_url(program, program.first_step))
    assert page.status_code == 200 and "har tagit bort den här delen" in page.content.decode()
    assert client.get(f"/me/enrolments/{program.enrolment.pk}/steps/{uuid.uuid4()}/").status_code == 404


def test_the_explanation_is_not_shown_to_another_citizen(client, program):
    login_citizen(client, program.stranger)
    assert client.get(_url(program, program.conditional["measurement"])).status_code == 404

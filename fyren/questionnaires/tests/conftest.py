import pytest
from django.utils import translation

from fyren.accounts.roles import Role
from fyren.care.services import enrolment_start
from fyren.programs import elements
from fyren.programs import services as program_services
from fyren.programs.models import Element, Step
from fyren.programs.tests.conftest import fill_for_publishing

ASSESSMENT = {"indication": "Depression", "reason": "Mild", "risk_considered": True}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def enrolled(world, make):
    """The patient enrolled at unit A in a published program whose PHQ-9 is due at the start."""
    designer = make.staff("designer", (Role.DESIGNER, world.unit))
    publisher = make.staff("publisher", (Role.PUBLISHER, world.unit))
    admin = make.staff("admin", (Role.CARE_PROVIDER_ADMIN, world.region))
    version = program_services.program_create(
        actor=designer, region=world.region, title="Nedstämdhet", kind="treatment", languages=["sv", "en"]
    )
    fill_for_publishing(version)
    step = Step.objects.get(version=version)
    Element.objects.create(
        version=version,
        step=step,
        position=2,
        kind=elements.QUESTIONNAIRE,
        content={
            **elements.empty_content(elements.QUESTIONNAIRE),
            "instrument": "phq9",
            "schedule": {
                "at_start": True,
                "weekly": True,
                "before_each_module": True,
                "at_end": True,
                "follow_up_weeks": 12,
            },
        },
    )
    program_services.version_submit(actor=designer, version=version)
    program_services.version_review(
        actor=publisher,
        version=version,
        checklist=dict.fromkeys(program_services.CHECKLIST, True),
        comment="",
        approve=True,
    )
    program_services.unit_program_set(actor=admin, program=version.program, unit=world.unit, active=True)
    world.version = version
    world.enrolment = enrolment_start(
        actor=world.clinician,
        citizen=world.patient,
        program_version=version,
        unit=world.unit,
        assessment=ASSESSMENT,
    )
    world.send = world.enrolment.sends.get(reason="start")
    return world


def phq9_raw(values):
    return {str(n): str(v) for n, v in enumerate(values, start=1)}

import pytest

from fyren.accounts.roles import Role
from fyren.care.services import enrolment_start
from fyren.careplans import services
from fyren.programs import elements
from fyren.programs import services as program_services
from fyren.programs.models import Element, Step
from fyren.programs.tests.conftest import fill_for_publishing
from fyren.questionnaires.tests.conftest import ASSESSMENT, enrolled, phq9_raw  # noqa: F401


@pytest.fixture
def plan_world(world, make):
    """A contract started by unit A for its patient; a primary-care unit B2 of the
    same region with a clinician and an enrolment admin, not yet in the contract."""
    world.primary = make.unit(world.region, "A2", "Vårdcentral")
    world.gp = make.staff("gp", (Role.CLINICIAN, world.primary))
    world.gp_admin = make.staff("gpadmin", (Role.ENROLMENT_ADMIN, world.primary))
    world.contract = services.contract_start(actor=world.clinician, unit=world.unit, citizen=world.patient)
    return world


def join(w):
    """Unit A invites the primary-care unit, which accepts."""
    participant = services.contract_invite(actor=w.clinician, contract=w.contract, unit=w.unit, invited_unit=w.primary)
    services.invitation_answer(actor=w.gp, participant=participant, accept=True)
    w.contract.refresh_from_db()
    return participant


@pytest.fixture
def measured(plan_world, make):
    """The patient also runs, at unit A, a published program with a weight measurement."""
    w = plan_world
    designer = make.staff("designer", (Role.DESIGNER, w.unit))
    publisher = make.staff("publisher", (Role.PUBLISHER, w.unit))
    version = program_services.program_create(
        actor=designer, region=w.region, title="Vikten", kind="treatment", languages=["sv", "en"]
    )
    fill_for_publishing(version)
    w.weight = Element.objects.create(
        version=version,
        step=Step.objects.get(version=version),
        position=2,
        kind=elements.MEASUREMENT,
        content={**elements.empty_content(elements.MEASUREMENT), "label": {"sv": "Vikt", "en": "Weight"}, "unit": "kg"},
    )
    program_services.version_submit(actor=designer, version=version)
    program_services.version_review(
        actor=publisher,
        version=version,
        checklist=dict.fromkeys(program_services.CHECKLIST, True),
        comment="",
        approve=True,
    )
    program_services.unit_program_set(actor=w.provider_admin, program=version.program, unit=w.unit, active=True)
    w.measured_enrolment = enrolment_start(
        actor=w.clinician, citizen=w.patient, program_version=version, unit=w.unit, assessment=ASSESSMENT
    )
    return w

import pytest

from fyren.accounts.roles import Role
from fyren.careplans import services
from fyren.questionnaires.tests.conftest import enrolled, phq9_raw  # noqa: F401


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

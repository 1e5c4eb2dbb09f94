"""An imported questionnaire recognised as a known instrument must carry safety
alerts before a program using it can be published."""

import pytest

from fyren.accounts.roles import Role
from fyren.instruments.models import Instrument
from fyren.programs import elements
from fyren.programs import services as program_services
from fyren.programs.checks import version_problems
from fyren.programs.models import Element, Step
from fyren.programs.tests.conftest import fill_for_publishing
from fyren.programs.tree import load_tree

pytestmark = pytest.mark.django_db


def test_a_known_instrument_without_alerts_blocks_publishing(world, make):
    designer = make.staff("designer", (Role.DESIGNER, world.unit))
    version = program_services.program_create(
        actor=designer, region=world.region, title="Nedstämdhet", kind="treatment", languages=["sv", "en"]
    )
    fill_for_publishing(version)
    definition = {"code": "my_phq9", "known_instrument": "phq9", "alerts": [], "items": [], "scoring": {}}
    instrument = Instrument.objects.create(owner=world.region, code="my_phq9", definition=definition)
    content = {**elements.empty_content(elements.QUESTIONNAIRE), "instrument": "my_phq9"}
    Element.objects.create(
        version=version,
        step=Step.objects.get(version=version),
        position=2,
        kind=elements.QUESTIONNAIRE,
        content=content,
    )
    problems = [p.message for p in version_problems(load_tree(version))]
    assert any("PHQ9" in m and "safety alerts" in m for m in problems)
    instrument.definition = {**definition, "alerts": [{"type": "item", "link_id": "9"}]}
    instrument.save()
    assert not any("safety alerts" in p.message for p in version_problems(load_tree(version)))

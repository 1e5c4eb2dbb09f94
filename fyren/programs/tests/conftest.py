import pytest
from django.utils import translation

from fyren.accounts.roles import Role
from fyren.programs import elements
from fyren.programs import services as program_services
from fyren.programs.models import Element, Module, Section, Step
from fyren.programs.services import program_create


@pytest.fixture(autouse=True)
def _english():
    """Service messages in English, whatever catalogue is compiled."""
    with translation.override("en"):
        yield


VTT = "WEBVTT\n\n00:00.000 --> 00:02.000\nHej\n"


def fill_for_publishing(version):
    """Give a draft everything the checks ask for: texts in both languages and one page."""
    both = {"sv": "Text", "en": "Text"}
    version.title, version.summary, version.target_group = {"sv": "Oro", "en": "Worry"}, both, both
    version.indications, version.contact_info = both, {"sv": "Ring 1177, vid fara 112", "en": "Call 1177, 112"}
    version.save()
    module = Module.objects.create(version=version, position=1, title=both)
    section = Section.objects.create(version=version, module=module, position=1, title=both)
    step = Step.objects.create(version=version, section=section, position=1, title=both)
    Element.objects.create(version=version, step=step, position=1, kind=elements.TEXT, content={"body": both})
    return step


def publish(version, *, designer, publisher):
    """Submit ``version`` and approve it with every checklist item confirmed."""
    program_services.version_submit(actor=designer, version=version)
    program_services.version_review(
        actor=publisher,
        version=version,
        checklist=dict.fromkeys(program_services.CHECKLIST, True),
        comment="",
        approve=True,
    )
    return version


@pytest.fixture
def studio(world, make):
    """A designer and two publishers in Region Test, a care-provider admin, and a
    designer in the other region."""

    class Studio:
        pass

    s = Studio()
    s.world = world
    s.designer = make.staff("designer", (Role.DESIGNER, world.unit))
    s.publisher = make.staff("publisher", (Role.PUBLISHER, world.unit))
    s.second_publisher = make.staff("publisher2", (Role.PUBLISHER, world.unit))
    s.other_designer = make.staff("otherdesigner", (Role.DESIGNER, world.other_unit))
    s.other_admin = make.staff("otheradmin", (Role.CARE_PROVIDER_ADMIN, world.other_region))
    s.version = program_create(
        actor=s.designer, region=world.region, title="Oro", kind="treatment", languages=["sv", "en"]
    )
    return s


def add_image(studio, step, png: bytes):
    """An image element with alt texts and an uploaded PNG on ``step``."""
    image = program_services.node_add(
        actor=studio.designer,
        version=studio.version,
        model=Element,
        parent=step,
        kind=elements.IMAGE,
        content={"alt": {"sv": "Fyr", "en": "Lighthouse"}},
    )
    program_services.element_attach_file(actor=studio.designer, element=image, data=png, name="fyr.png")
    return image

"""A published version's tree is loaded once per process and shared by every
request (decisions #80): what one citizen answered must never reach the next
citizen's page through it, a draft is never shared, and a plan reads only the
answers its program's conditions need."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import login_citizen
from fyren.accounts.roles import Role
from fyren.care import journey_services as services
from fyren.care.journey import plan_for
from fyren.care.services import enrolment_start
from fyren.programs import elements as k
from fyren.programs import services as program_services
from fyren.programs.models import Element, ProgramVersion, Step
from fyren.programs.tests.conftest import fill_for_publishing, publish
from fyren.programs.tree import PUBLISHED_TREES_KEPT, published_tree, published_trees_clear

pytestmark = pytest.mark.django_db
BOTH = {"sv": "Text", "en": "Text"}
ASSESSMENT = {"indication": "Worry", "reason": "Motivated, mild", "risk_considered": True}


def _published_program(world, make, title, *, conditional=False):
    """A published program whose page has an exercise (and, if ``conditional``, a
    second page shown once the exercise is answered), active at the world's unit."""
    designer = make.staff(f"designer-{title}", (Role.DESIGNER, world.unit))
    publisher = make.staff(f"publisher-{title}", (Role.PUBLISHER, world.unit))
    admin = make.staff(f"admin-{title}", (Role.CARE_PROVIDER_ADMIN, world.region))
    version = program_services.program_create(
        actor=designer, region=world.region, title=title, kind="course", languages=["sv", "en"]
    )
    step = fill_for_publishing(version)
    exercise = Element.objects.create(
        version=version, step=step, position=2, kind=k.EXERCISE, content={**k.empty_content(k.EXERCISE), "prompt": BOTH}
    )
    if conditional:
        later = Step.objects.create(
            version=version,
            section=step.section,
            position=2,
            title=BOTH,
            condition={"ref": exercise.short_key, "op": "exists"},
        )
        Element.objects.create(version=version, step=later, position=3, kind=k.TEXT, content={"body": BOTH})
    publish(version, designer=designer, publisher=publisher)
    program_services.unit_program_set(actor=admin, program=version.program, unit=world.unit, active=True)
    return version, step, exercise


@pytest.fixture
def two_on_one_version(world, make):
    """A published program with an exercise, and two citizens enrolled in it."""
    world.version, world.step, world.exercise = _published_program(world, make, "Oro")
    world.other = make.citizen("Olle", "Other")
    make.care_relation(world.other, world.unit)
    world.enrolments = [
        enrolment_start(
            actor=world.clinician,
            citizen=citizen,
            program_version=world.version,
            unit=world.unit,
            assessment=ASSESSMENT,
        )
        for citizen in (world.patient, world.other)
    ]
    return world


def test_a_published_version_is_loaded_once_and_a_draft_every_time(two_on_one_version, make):
    w = two_on_one_version
    version = ProgramVersion.objects.get(pk=w.version.pk)
    first = published_tree(version)
    with CaptureQueriesContext(connection) as queries:
        again = published_tree(ProgramVersion.objects.get(pk=w.version.pk))
    assert again is first
    assert len(queries) == 1  # the version itself; its tree is not read again
    designer = make.staff("designer2", (Role.DESIGNER, w.unit))
    draft = program_services.program_create(
        actor=designer, region=w.region, title="Utkast", kind="course", languages=["sv"]
    )
    fill_for_publishing(draft)
    assert published_tree(draft) is not published_tree(draft)
    published_trees_clear()
    assert published_tree(version) is not first


def test_the_process_keeps_a_bounded_number_of_trees(two_on_one_version):
    version = two_on_one_version.version
    first = published_tree(version)
    for n in range(PUBLISHED_TREES_KEPT):
        stand_in = ProgramVersion.objects.get(pk=version.pk)
        stand_in.number = 1000 + n  # another key, the same rows: enough to fill the cache
        published_tree(stand_in)
    assert published_tree(version) is not first  # the oldest went first


def test_one_citizens_answers_never_reach_anothers_page(client, two_on_one_version):
    w = two_on_one_version
    mine, theirs = w.enrolments
    services.element_answer_save(
        actor=w.patient.user, enrolment=mine, element=w.exercise, raw={"text": "Mitt hemliga svar"}
    )
    login_citizen(client, w.patient)
    own = client.get(f"/me/enrolments/{mine.pk}/steps/{w.step.key}/")
    assert "Mitt hemliga svar" in own.content.decode()
    shared = published_tree(w.version)
    assert all(not hasattr(e, "answer") and not hasattr(e, "entries") for e in shared.elements())
    client.logout()
    login_citizen(client, w.other)
    other = client.get(f"/me/enrolments/{theirs.pk}/steps/{w.step.key}/")
    assert other.status_code == 200
    assert "Mitt hemliga svar" not in other.content.decode()
    assert other.context["elements"][1].answer is None
    # The downloadable copy writes onto a tree of its own.
    client.logout()
    login_citizen(client, w.patient)
    assert "Mitt hemliga svar" in client.get(f"/me/enrolments/{mine.pk}/download.html").content.decode()
    assert all(not hasattr(e, "answer") for e in published_tree(w.version).elements())


def _tables(queries) -> set[str]:
    return {table for q in queries for table in ("elementanswer", "diaryentry", "response") if table in q["sql"]}


def test_a_plan_reads_only_the_answers_its_conditions_need(two_on_one_version, make):
    w = two_on_one_version
    enrolment = w.enrolments[0]
    services.element_answer_save(actor=w.patient.user, enrolment=enrolment, element=w.exercise, raw={"text": "svar"})
    published_tree(w.version)  # loaded: only the plan's own reads are counted
    with CaptureQueriesContext(connection) as queries:
        plan = plan_for(enrolment)
    assert _tables(queries) == set()  # no condition in this program reads an answer
    assert [a.value["text"] for a in plan.answer_rows] == ["svar"]  # read when a page asks for them

    # A condition on the exercise: the plan reads the answers (not the diary, not questionnaires) and uses them.
    version, _step, exercise = _published_program(w, make, "Sömn", conditional=True)
    other = enrolment_start(
        actor=w.clinician, citizen=w.other, program_version=version, unit=w.unit, assessment=ASSESSMENT
    )
    published_tree(version)
    with CaptureQueriesContext(connection) as queries:
        before = plan_for(other)
    assert _tables(queries) == {"elementanswer"}
    assert len(before.visible_steps(before.tree.modules[0])) == 1
    services.element_answer_save(actor=w.other.user, enrolment=other, element=exercise, raw={"text": "svar"})
    assert len(plan_for(other).visible_steps(plan_for(other).tree.modules[0])) == 2

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fyren.accounts.roles import Role
from fyren.audit.models import AuditEvent
from fyren.programs import elements
from fyren.programs import services as svc
from fyren.programs.models import (
    Element,
    ImmutableVersionError,
    Module,
    ProgramVersion,
    Section,
    Step,
    UnitProgram,
)
from fyren.programs.tree import document, load_tree

from .conftest import fill_for_publishing

pytestmark = pytest.mark.django_db
Status = ProgramVersion.Status


def publish(s, version=None):
    version = version or s.version
    svc.version_submit(actor=s.designer, version=version)
    svc.version_review(
        actor=s.publisher, version=version, checklist=dict.fromkeys(svc.CHECKLIST, True), comment="", approve=True
    )
    version.refresh_from_db()
    return version


def test_a_designer_builds_a_program_node_by_node(studio):
    v, d = studio.version, studio.designer
    module = svc.node_add(actor=d, version=v, model=Module, title={"sv": "Vecka 1"})
    section = svc.node_add(actor=d, version=v, model=Section, parent=module)
    step = svc.node_add(actor=d, version=v, model=Step, parent=section)
    first = svc.node_add(actor=d, version=v, model=Element, parent=step, kind=elements.TEXT)
    second = svc.node_add(actor=d, version=v, model=Element, parent=step, kind=elements.CHECKLIST)
    assert (first.position, second.position) == (1, 2)
    svc.node_move(actor=d, node=second, offset=-1)
    assert [e.kind for e in Element.objects.filter(step=step)] == [elements.CHECKLIST, elements.TEXT]
    svc.node_move(actor=d, node=second, offset=-1)  # already first: nothing happens
    svc.node_update(actor=d, node=first, content={"body": {"sv": "Hej"}})
    svc.node_delete(actor=d, node=second)
    assert list(Element.objects.filter(step=step)) == [first]


def test_an_unknown_element_kind_and_malformed_content_are_refused(studio):
    v, d = studio.version, studio.designer
    step = fill_for_publishing(v)
    with pytest.raises(ValidationError):
        svc.node_add(actor=d, version=v, model=Element, parent=step, kind="hologram")
    element = svc.node_add(actor=d, version=v, model=Element, parent=step, kind=elements.MEASUREMENT)
    with pytest.raises(ValidationError):
        svc.node_update(actor=d, node=element, content={"label": {}, "unit": "kg", "min": 9, "max": 1})
    with pytest.raises(ValidationError):
        svc.node_update(actor=d, node=element, condition={"ref": "x", "op": "maybe"})


def test_a_designer_of_another_region_cannot_edit(studio):
    with pytest.raises(PermissionDenied):
        svc.node_add(actor=studio.other_designer, version=studio.version, model=Module)
    with pytest.raises(PermissionDenied):
        svc.version_update(actor=studio.other_designer, version=studio.version, kind="course")


def test_submission_is_refused_while_checks_fail(studio):
    with pytest.raises(ValidationError) as info:
        svc.version_submit(actor=studio.designer, version=studio.version)
    assert any("Add at least one module" in m for m in info.value.messages)
    studio.version.refresh_from_db()
    assert studio.version.status == Status.DRAFT


def test_the_workflow_from_draft_to_published(studio):
    fill_for_publishing(studio.version)
    version = publish(studio)
    assert version.status == Status.PUBLISHED and version.published_by == studio.publisher
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"program.create", "program_version.submit", "program_version.publish"} <= actions


def test_approval_needs_every_checklist_item(studio):
    fill_for_publishing(studio.version)
    svc.version_submit(actor=studio.designer, version=studio.version)
    partial = dict.fromkeys(svc.CHECKLIST, True) | {"licence": False}
    with pytest.raises(ValidationError):
        svc.version_review(actor=studio.publisher, version=studio.version, checklist=partial, comment="", approve=True)


def test_a_publisher_cannot_approve_their_own_submission(studio, make):
    both = make.staff("both", (Role.DESIGNER, studio.world.unit), (Role.PUBLISHER, studio.world.unit))
    fill_for_publishing(studio.version)
    svc.version_submit(actor=both, version=studio.version)
    with pytest.raises(ValidationError):
        svc.version_review(
            actor=both, version=studio.version, checklist=dict.fromkeys(svc.CHECKLIST, True), comment="", approve=True
        )


def test_a_publisher_returns_a_version_with_a_comment(studio):
    fill_for_publishing(studio.version)
    svc.version_submit(actor=studio.designer, version=studio.version)
    with pytest.raises(ValidationError):
        svc.version_review(actor=studio.publisher, version=studio.version, checklist={}, comment=" ", approve=False)
    review = svc.version_review(
        actor=studio.publisher, version=studio.version, checklist={}, comment="Add a video", approve=False
    )
    studio.version.refresh_from_db()
    assert studio.version.status == Status.DRAFT and review.comment == "Add a video"


def test_only_publishers_of_the_owner_region_review(studio, make):
    fill_for_publishing(studio.version)
    svc.version_submit(actor=studio.designer, version=studio.version)
    for outsider in (studio.designer, studio.other_designer, studio.world.clinician):
        with pytest.raises(PermissionDenied):
            svc.version_review(
                actor=outsider,
                version=studio.version,
                checklist=dict.fromkeys(svc.CHECKLIST, True),
                comment="",
                approve=True,
            )


def test_a_published_version_is_immutable(studio):
    fill_for_publishing(studio.version)
    version = publish(studio)
    element = Element.objects.get(version=version)
    with pytest.raises(ImmutableVersionError):
        svc.node_update(actor=studio.designer, node=element, content={"body": {"sv": "Ändrad", "en": "Changed"}})
    with pytest.raises(ImmutableVersionError):
        element.save()
    with pytest.raises(ImmutableVersionError):
        element.delete()
    with pytest.raises(ImmutableVersionError):
        Element.objects.filter(version=version).update(content={})
    with pytest.raises(ImmutableVersionError):
        Module.objects.filter(version=version).delete()
    version.kind = "course"
    with pytest.raises(ImmutableVersionError):
        version.save()
    with pytest.raises(ImmutableVersionError):
        svc.version_update(actor=studio.designer, version=version, kind="course")


def test_editing_a_published_program_makes_a_new_draft_with_the_same_keys(studio):
    fill_for_publishing(studio.version)
    v1 = publish(studio)
    v2 = svc.version_new_draft(actor=studio.designer, program=v1.program)
    assert (v2.number, v2.status, v2.based_on) == (2, Status.DRAFT, v1)
    doc1, doc2 = document(load_tree(v1)), document(load_tree(v2))
    assert doc1 == doc2
    with pytest.raises(ValidationError):
        svc.version_new_draft(actor=studio.designer, program=v1.program)  # one open version at a time
    element = Element.objects.get(version=v2)
    svc.node_update(actor=studio.designer, node=element, content={"body": {"sv": "Ny", "en": "New"}})
    assert Element.objects.get(version=v1).content == {"body": {"sv": "Text", "en": "Text"}}
    v2 = publish(studio, v2)
    v1.refresh_from_db()
    assert v1.status == Status.RETIRED and v2.status == Status.PUBLISHED


def test_adopting_and_offering_another_regions_program(studio):
    fill_for_publishing(studio.version)
    version = publish(studio)
    world = studio.world
    with pytest.raises(ValidationError):  # not adopted yet
        svc.unit_program_set(actor=studio.other_admin, program=version.program, unit=world.other_unit, active=True)
    svc.program_adopt(actor=studio.other_admin, program=version.program, region=world.other_region)
    row = svc.unit_program_set(
        actor=studio.other_admin,
        program=version.program,
        unit=world.other_unit,
        active=True,
        self_enrolment=True,
        self_enrolment_group={"sv": "Vuxna"},
    )
    assert row.self_enrolment
    with pytest.raises(PermissionDenied):  # not their region's unit
        svc.unit_program_set(actor=studio.other_admin, program=version.program, unit=world.unit, active=True)
    with pytest.raises(PermissionDenied):
        svc.program_adopt(actor=studio.designer, program=version.program, region=world.other_region)
    assert UnitProgram.objects.count() == 1


def test_copying_keeps_attribution_and_respects_the_licence(studio):
    fill_for_publishing(studio.version)
    version = publish(studio)
    world = studio.world
    copy = svc.program_copy(actor=studio.other_designer, program=version.program, region=world.other_region)
    assert copy.program.owner == world.other_region and copy.status == Status.DRAFT and copy.number == 1
    assert "Region Test" in copy.attribution and copy.program.copied_from == version
    svc.version_new_draft(actor=studio.designer, program=version.program)
    nd = ProgramVersion.objects.get(program=version.program, status=Status.DRAFT)
    nd.licence = "CC-BY-ND-4.0"
    nd.save()
    publish(studio, nd)
    with pytest.raises(ValidationError, match="does not allow"):
        svc.program_copy(actor=studio.other_designer, program=version.program, region=world.other_region)

"""A program citizens start on their own must ask about mood or risk: the
publisher and the care-provider admin are warned when it does not, and the
demo's open programs do."""

import pytest

from conftest import force_login_staff
from fyren.programs import checks
from fyren.programs import elements as k
from fyren.programs import services as svc
from fyren.programs.models import Element, ProgramVersion, Step, UnitProgram
from fyren.programs.tests.conftest import fill_for_publishing, publish
from fyren.programs.tree import load_tree

pytestmark = pytest.mark.django_db
WARNING = "has neither a screening nor a questionnaire at the start"


def _publish(studio, version):
    publish(version, designer=studio.designer, publisher=studio.publisher)


def test_the_warning_needs_a_unit_open_for_self_enrolment_and_no_safety_net(studio):
    step = fill_for_publishing(studio.version)
    tree = load_tree(studio.version)
    assert checks.self_enrolment_warnings(tree, open_at=[]) == []
    assert WARNING in checks.self_enrolment_warnings(tree, open_at=["Hamnen"])[0]

    Element.objects.create(
        version=studio.version, step=step, position=2, kind=k.QUESTIONNAIRE, content={"instrument": "phq9"}
    )
    assert checks.self_enrolment_warnings(load_tree(studio.version), open_at=["Hamnen"])  # not sent at the start
    Element.objects.filter(kind=k.QUESTIONNAIRE).update(content={"instrument": "phq9", "schedule": {"at_start": True}})
    assert checks.self_enrolment_warnings(load_tree(studio.version), open_at=["Hamnen"]) == []

    Element.objects.filter(kind=k.QUESTIONNAIRE).delete()
    studio.version.screening = {"instrument": "phq2", "rules": [{"score": "total", "operator": ">=", "value": 3}]}
    studio.version.save()
    assert checks.has_safety_net(load_tree(studio.version))


def test_the_admin_opening_it_and_the_publisher_reviewing_the_next_version_are_warned(client, studio, make):
    from fyren.accounts.roles import Role

    fill_for_publishing(studio.version)
    _publish(studio, studio.version)
    admin = make.staff("cpadmin", (Role.CARE_PROVIDER_ADMIN, studio.world.region))
    force_login_staff(client, admin)
    response = client.post(
        f"/catalogue/{studio.version.program_id}/offer/",
        {"unit": studio.world.unit.pk, "active": "on", "self_enrolment": "on"},
        follow=True,
    )
    assert UnitProgram.objects.get(unit=studio.world.unit).self_enrolment  # a warning, not a refusal
    assert "varken screening eller ett frågeformulär vid starten" in response.content.decode()

    draft = svc.version_new_draft(actor=studio.designer, program=studio.version.program)
    force_login_staff(client, studio.designer)
    assert (
        "varken screening eller ett frågeformulär vid starten"
        in client.get(f"/design/versions/{draft.pk}/").content.decode()
    )
    svc.version_submit(actor=studio.designer, version=draft)
    force_login_staff(client, studio.publisher)
    page = client.get(f"/review/versions/{draft.pk}/").content.decode()
    assert "varken screening eller ett frågeformulär vid starten" in page and studio.world.unit.name in page


def test_every_demo_program_open_for_self_enrolment_screens_and_asks_phq9_at_the_start():
    from fyren.demo.loader import load_demo_data

    load_demo_data()
    open_programs = {u.program_id for u in UnitProgram.objects.filter(self_enrolment=True, active=True)}
    assert open_programs
    for version in ProgramVersion.objects.filter(program_id__in=open_programs, status="published"):
        tree = load_tree(version)
        assert version.screening.get("instrument") == "phq2"
        baseline = [
            e for e in tree.elements() if e.kind == k.QUESTIONNAIRE and e.content.get("schedule", {}).get("at_start")
        ]
        assert [e.content["instrument"] for e in baseline] == ["phq9"]
        assert checks.self_enrolment_warnings(tree, open_at=["x"]) == []
    assert Step.objects.exists()

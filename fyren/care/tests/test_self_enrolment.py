import pytest

from conftest import login_citizen
from fyren.accounts.roles import Role
from fyren.care.models import CareRelation, Enrolment
from fyren.flags.models import Flag
from fyren.programs import services as program_services
from fyren.programs.tests.conftest import fill_for_publishing
from fyren.questionnaires.models import Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers(world, make):
    designer = make.staff("designer", (Role.DESIGNER, world.unit))
    publisher = make.staff("publisher", (Role.PUBLISHER, world.unit))
    admin = make.staff("admin", (Role.CARE_PROVIDER_ADMIN, world.region))
    made = {}
    for name, screening in (
        ("open", {}),
        (
            "gated",
            {
                "instrument": "phq9",
                "rules": [
                    {"score": "total", "operator": ">=", "value": 20},
                    {"item": "9", "operator": ">", "value": 0},
                ],
            },
        ),
    ):
        version = program_services.program_create(
            actor=designer, region=world.region, title=name, kind="course", languages=["sv", "en"]
        )
        fill_for_publishing(version)
        version.screening = screening
        version.save()
        program_services.version_submit(actor=designer, version=version)
        program_services.version_review(
            actor=publisher,
            version=version,
            checklist=dict.fromkeys(program_services.CHECKLIST, True),
            comment="",
            approve=True,
        )
        made[name] = program_services.unit_program_set(
            actor=admin,
            program=version.program,
            unit=world.unit,
            active=True,
            self_enrolment=True,
            self_enrolment_group={"sv": "Vuxna", "en": "Adults"},
        )
    world.offers = made
    return world


def _answers(values):
    return {f"q-{n}": str(v) for n, v in enumerate(values, start=1)}


def test_open_programs_are_listed_with_their_description(client, offers):
    login_citizen(client, offers.stranger)
    html = client.get("/me/enrolments/open/").content.decode()
    assert f"/me/enrolments/open/{offers.offers['open'].pk}/" in html and "Vuxna" in html
    detail = client.get(f"/me/enrolments/open/{offers.offers['open'].pk}/").content.decode()
    assert "Starta programmet" in detail


def test_starting_without_a_gate_enrols_at_once(client, offers):
    login_citizen(client, offers.stranger)
    response = client.post(f"/me/enrolments/open/{offers.offers['open'].pk}/")
    enrolment = Enrolment.objects.get(citizen=offers.stranger)
    assert response["Location"] == f"/me/enrolments/{enrolment.pk}/"
    assert enrolment.start_kind == "self" and enrolment.started_by == offers.stranger.user
    assert CareRelation.objects.active().filter(citizen=offers.stranger, unit=offers.unit).exists()


def _screen(client, offers, values):
    offer = offers.offers["gated"]
    client.post(f"/me/enrolments/open/{offer.pk}/")
    screening = Response.objects.get(screening_for=offer, citizen=offers.stranger)
    return client.post(
        f"/me/questionnaires/{screening.pk}/",
        {**_answers(values), "action": "submit", "client_token": str(screening.client_token)},
        follow=True,
    ), screening


def test_a_passed_screening_enrols(client, offers):
    login_citizen(client, offers.stranger)
    page, _screening = _screen(client, offers, [1] * 8 + [0])
    assert Enrolment.objects.filter(citizen=offers.stranger, start_kind="self").exists()
    assert page.status_code == 200


def test_a_refusing_screening_advises_care_and_flags_the_unit_only_with_consent(client, offers):
    login_citizen(client, offers.stranger)
    page, screening = _screen(client, offers, [0] * 8 + [2])
    html = page.content.decode()
    assert not Enrolment.objects.filter(citizen=offers.stranger).exists()
    assert "1177" in html and 'role="alert"' in html  # item 9: safety guidance too
    assert not Flag.objects.filter(kind="screening").exists()
    client.post(f"/me/enrolments/open/{offers.offers['gated'].pk}/screening/{screening.pk}/contact/")
    flag = Flag.objects.get(kind="screening")
    assert flag.unit == offers.unit and flag.urgent
    assert CareRelation.objects.active().filter(citizen=offers.stranger, unit=offers.unit).exists()
    client.post(f"/me/enrolments/open/{offers.offers['gated'].pk}/screening/{screening.pk}/contact/")
    assert Flag.objects.filter(kind="screening").count() == 1


def test_another_citizen_cannot_see_a_screening(client, offers):
    login_citizen(client, offers.stranger)
    _page, screening = _screen(client, offers, [3] * 9)
    client.logout()
    login_citizen(client, offers.patient)
    url = f"/me/enrolments/open/{offers.offers['gated'].pk}/screening/{screening.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(f"{url}contact/").status_code == 404

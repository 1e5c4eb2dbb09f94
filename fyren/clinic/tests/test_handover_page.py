"""The handover request's own page: the receiving unit chosen region by region,
what was typed kept on a mistake, and the enrolment page no longer listing every
unit in the country."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import force_login_staff
from fyren.care.models import Handover


def _url(enrolled):
    return f"/clinic/{enrolled.unit.pk}/enrolments/{enrolled.enrolment.pk}/handover/"


def test_the_page_lists_the_own_regions_units_first_and_another_region_on_request(client, enrolled, make):
    neighbour = make.unit(enrolled.region, "A2", "Unit A2")
    closed = make.unit(enrolled.region, "A3", "Closed unit", valid_to=dt.date(2021, 1, 1))
    force_login_staff(client, enrolled.clinician)
    page = client.get(_url(enrolled))
    assert page.status_code == 200
    choices = dict(page.context["form"].fields["to_unit"].choices)
    assert str(neighbour.pk) in choices
    assert str(enrolled.unit.pk) not in choices  # not to itself
    assert str(closed.pk) not in choices
    assert str(enrolled.other_unit.pk) not in choices  # another region's: on request
    other = client.get(_url(enrolled), {"region": enrolled.other_region.pk})
    assert str(enrolled.other_unit.pk) in dict(other.context["form"].fields["to_unit"].choices)
    assert page.context["region"] == enrolled.region
    assert {r.pk for r in page.context["regions"]} == {enrolled.region.pk, enrolled.other_region.pk}


def test_asking_another_unit_creates_the_request_and_returns_to_the_enrolment(client, enrolled):
    force_login_staff(client, enrolled.clinician)
    response = client.post(
        _url(enrolled),
        {"region": enrolled.other_region.pk, "to_unit": enrolled.other_unit.pk, "reason": "Flyttar till Umeå"},
    )
    assert response.status_code == 302
    assert response.url == f"/clinic/{enrolled.unit.pk}/enrolments/{enrolled.enrolment.pk}/"
    handover = Handover.objects.get(enrolment=enrolled.enrolment)
    assert (handover.to_unit, handover.reason, handover.status) == (enrolled.other_unit, "Flyttar till Umeå", "pending")
    page = client.get(_url(enrolled))
    assert page.context["pending"] == handover
    # While one is pending, posting again asks nobody else.
    client.post(_url(enrolled), {"region": enrolled.other_region.pk, "to_unit": enrolled.other_unit.pk, "reason": "x"})
    assert Handover.objects.filter(enrolment=enrolled.enrolment).count() == 1


def test_a_mistake_keeps_what_was_typed_and_asks_nobody(client, enrolled):
    force_login_staff(client, enrolled.clinician)
    missing_unit = client.post(_url(enrolled), {"region": enrolled.other_region.pk, "reason": "Flyttar norrut"})
    assert missing_unit.status_code == 400
    assert "Flyttar norrut" in missing_unit.content.decode()
    # A unit of another region than the one shown is not a choice (the list was for that region).
    wrong_region = client.post(
        _url(enrolled), {"region": enrolled.region.pk, "to_unit": enrolled.other_unit.pk, "reason": "Flyttar"}
    )
    assert wrong_region.status_code == 400
    own = client.post(_url(enrolled), {"region": enrolled.region.pk, "to_unit": enrolled.unit.pk, "reason": "x"})
    assert own.status_code == 400
    assert not Handover.objects.exists()


def test_the_enrolment_page_does_not_grow_with_the_countrys_units(client, enrolled, make):
    force_login_staff(client, enrolled.clinician)
    url = f"/clinic/{enrolled.unit.pk}/enrolments/{enrolled.enrolment.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        small = client.get(url)
    for n in range(40):
        make.unit(enrolled.other_region, f"C{n}", f"Unit C{n}")
    with CaptureQueriesContext(connection) as many:
        large = client.get(url)
    assert len(many) == len(few)
    assert len(large.content) == len(small.content)
    assert "Unit C1" not in large.content.decode()
    assert _url(enrolled) in large.content.decode()

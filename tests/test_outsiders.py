"""Every gated URL: an outsider gets 404, exactly like a missing object."""

import re

import pytest

from conftest import force_login_staff, login_citizen
from fyren.accounts.models import RoleAssignment

pytestmark = pytest.mark.django_db

# (method, url template) for pages gated on a unit role
STAFF_URLS = [
    ("get", "/clinic/{unit}/patients/"),
    ("get", "/clinic/{unit}/patients/{patient}/"),
    ("get", "/clinic/{unit}/patients/new/"),
    ("post", "/clinic/{unit}/patients/new/"),
    ("get", "/clinic/{unit}/emergency-access/"),
    ("post", "/clinic/{unit}/emergency-access/"),
    ("get", "/account/units/{unit}/roles/"),
    ("post", "/account/units/{unit}/roles/"),
    ("post", "/account/units/{unit}/roles/{assignment}/remove/"),
]

CITIZEN_URLS = [
    ("get", "/me/{patient}/access-log/"),
    ("get", "/me/{patient}/access-log.csv"),
]


def _url(template, world):
    assignment = RoleAssignment.objects.get(user=world.clinician, unit=world.unit)
    return template.format(unit=world.unit.pk, patient=world.patient.pk, assignment=assignment.pk)


@pytest.mark.parametrize(("method", "template"), STAFF_URLS)
def test_a_staff_member_of_another_unit_gets_404(client, world, method, template):
    force_login_staff(client, world.outsider)
    response = getattr(client, method)(_url(template, world))
    assert response.status_code == 404


@pytest.mark.parametrize(("method", "template"), STAFF_URLS)
def test_a_citizen_gets_404_on_staff_pages(client, world, method, template):
    login_citizen(client, world.stranger)
    assert getattr(client, method)(_url(template, world)).status_code == 404


@pytest.mark.parametrize(("method", "template"), STAFF_URLS + CITIZEN_URLS)
def test_an_anonymous_visitor_is_sent_to_log_in(client, world, method, template):
    response = getattr(client, method)(_url(template, world))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


@pytest.mark.parametrize(("method", "template"), CITIZEN_URLS)
def test_another_citizen_gets_404(client, world, method, template):
    login_citizen(client, world.stranger)
    assert getattr(client, method)(_url(template, world)).status_code == 404


@pytest.mark.parametrize(("method", "template"), CITIZEN_URLS)
def test_staff_get_404_on_citizen_pages(client, world, method, template):
    force_login_staff(client, world.clinician)
    assert getattr(client, method)(_url(template, world)).status_code == 404


@pytest.mark.parametrize("url", ["/me/", "/me/contact/"])
def test_staff_get_404_on_the_citizens_own_pages(client, world, url):
    force_login_staff(client, world.clinician)
    assert client.get(url).status_code == 404


def test_log_review_is_404_for_staff_without_the_role(client, world):
    force_login_staff(client, world.clinician)
    assert client.get("/log-review/").status_code == 404


def test_a_log_reviewer_of_another_region_sees_none_of_this_regions_log(client, world):
    from fyren.care.selectors import citizen_get_for_clinician

    citizen_get_for_clinician(actor=world.clinician, unit=world.unit, citizen_id=world.patient.pk)
    force_login_staff(client, world.outsider)
    html = client.get("/log-review/").content.decode()
    assert world.patient.identity_number not in html


def test_the_same_404_page_for_missing_and_forbidden(client, world):
    force_login_staff(client, world.clinician)
    forbidden = client.get(f"/clinic/{world.unit.pk}/patients/{world.stranger.pk}/")
    missing = client.get(f"/clinic/{world.unit.pk}/patients/999999/")
    assert forbidden.status_code == missing.status_code == 404
    # Identical but for the masked CSRF token and the return addresses of the
    # language form and the display settings' link.
    strip = re.compile(rb'(name="csrfmiddlewaretoken"|name="next" type="hidden") value="[^"]+"|\?next=[^"]+"')
    assert strip.sub(b"", forbidden.content) == strip.sub(b"", missing.content)


@pytest.mark.parametrize(
    "url",
    [
        "/me/enrolments/",
        "/me/enrolments/open/",
        "/me/enrolments/open/1/",
        "/me/enrolments/1/",
        "/me/enrolments/1/download.html",
    ],
)
def test_staff_get_404_on_the_citizens_program_pages(client, world, url):
    force_login_staff(client, world.clinician)
    assert client.get(url).status_code == 404

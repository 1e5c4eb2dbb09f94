import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from fyren.audit.models import AuditEvent
from fyren.people.models import Citizen
from fyren.people.selectors import citizen_for_user_or_404, citizens_represented_by
from fyren.people.services import (
    citizen_create,
    citizen_update_contact,
    guardian_relation_create,
    proxy_authorisation_create,
)
from fyren.people.validators import normalise_mobile

pytestmark = pytest.mark.django_db


def test_citizen_create_normalises_the_number_and_derives_birth_date_and_sex():
    citizen = citizen_create(actor=None, identity_number="121212-1212", given_name="Tolv", family_name="Tolvsson")
    assert citizen.identity_number == "201212121212"
    assert citizen.birth_date == dt.date(2012, 12, 12)
    assert citizen.legal_sex == Citizen.Sex.MALE
    assert citizen.user.is_citizen
    assert AuditEvent.objects.filter(action="citizen.create", object_id=str(citizen.pk)).exists()


def test_citizen_create_refuses_an_invalid_number_and_changes_nothing():
    with pytest.raises(ValidationError) as info:
        citizen_create(actor=None, identity_number="19121212-1213", given_name="A", family_name="B")
    assert "identity_number" in info.value.message_dict
    assert not Citizen.objects.exists()


def test_citizen_create_refuses_a_duplicate():
    citizen_create(actor=None, identity_number="19121212-1212", given_name="A", family_name="B")
    with pytest.raises(ValidationError):
        citizen_create(actor=None, identity_number="121212+1212", given_name="A", family_name="B")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("070-123 45 67", "+46701234567"),
        ("+46 70 123 45 67", "+46701234567"),
        ("0046701234567", "+46701234567"),
        ("+4915112345678", "+4915112345678"),
    ],
)
def test_mobile_numbers_are_normalised(text, expected):
    assert normalise_mobile(text) == expected


@pytest.mark.parametrize("text", ["08-123 456", "12345", "+46 8 123 456", "phone"])
def test_bad_mobile_numbers_are_refused(text):
    with pytest.raises(ValidationError):
        normalise_mobile(text)


def test_contact_change_is_audited_with_old_and_new_value(make):
    citizen = make.citizen()
    citizen_update_contact(
        actor=citizen.user, citizen=citizen, email="new@example.org", mobile="0701234567", preferred_language="en"
    )
    citizen.refresh_from_db()
    assert (citizen.email, citizen.mobile, citizen.preferred_language) == ("new@example.org", "+46701234567", "en")
    event = AuditEvent.objects.get(action="citizen.contact_change")
    assert event.data["old"]["email"] == "" and event.data["new"]["email"] == "new@example.org"


def test_a_guardian_acts_for_a_child_under_thirteen_only(make, today):
    parent = make.citizen("Karin", "Andersson")
    young = make.citizen("Elsa", "Andersson", birth=today.replace(year=today.year - 12) + dt.timedelta(days=1))
    older = make.citizen("Olle", "Andersson", birth=today.replace(year=today.year - 13) - dt.timedelta(days=1))
    guardian_relation_create(actor=None, guardian=parent, child=young, valid_from=young.birth_date)
    guardian_relation_create(actor=None, guardian=parent, child=older, valid_from=older.birth_date)
    assert list(citizens_represented_by(parent)) == [young]
    assert citizen_for_user_or_404(parent.user, young.pk) == young
    from django.http import Http404

    with pytest.raises(Http404):
        citizen_for_user_or_404(parent.user, older.pk)


def test_a_proxy_acts_only_within_the_validity_period(make, today):
    proxy, principal, other = make.citizen("Britt"), make.citizen("Gunnar"), make.citizen("Other")
    proxy_authorisation_create(
        actor=None,
        proxy=proxy,
        principal=principal,
        valid_from=today - dt.timedelta(days=1),
        valid_to=today + dt.timedelta(days=1),
    )
    proxy_authorisation_create(
        actor=None,
        proxy=proxy,
        principal=other,
        valid_from=today - dt.timedelta(days=10),
        valid_to=today - dt.timedelta(days=1),
    )
    assert list(citizens_represented_by(proxy)) == [principal]


def test_a_proxy_period_must_not_end_before_it_starts(make, today):
    with pytest.raises(ValidationError):
        proxy_authorisation_create(
            actor=None,
            proxy=make.citizen(),
            principal=make.citizen(),
            valid_from=today,
            valid_to=today - dt.timedelta(days=1),
        )

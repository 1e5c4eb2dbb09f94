"""The licences page (#32): the unit's access admin records and revokes the staff's
licences to practise; anyone else gets 404; bad input changes nothing and keeps
what was typed."""

import datetime as dt

import pytest

from conftest import force_login_staff
from fyren.accounts.models import Licence

pytestmark = pytest.mark.django_db


def url(w, unit=None):
    return f"/account/units/{(unit or w.unit).pk}/licences/"


def test_the_access_admin_records_and_revokes_a_licence(client, world):
    w = world
    force_login_staff(client, w.access_admin)
    page = client.get(url(w))
    assert page.status_code == 200
    text = page.content.decode()
    assert "840123" in text  # the clinician's licence as a psychologist
    done = client.post(
        url(w), {"user": w.log_reviewer.pk, "profession": "SJ", "number": "1234567", "issued_on": "2015-08-20"}
    )
    assert done.status_code == 302
    licence = Licence.objects.get(user=w.log_reviewer)
    assert licence.profession == "SJ" and licence.issued_on == dt.date(2015, 8, 20)
    revoke = f"{url(w)}{licence.pk}/revoke/"
    assert client.post(revoke, {"revoked_on": "2024-01-01"}).status_code == 302
    licence.refresh_from_db()
    assert licence.revoked_on == dt.date(2024, 1, 1)


def test_bad_input_changes_nothing_and_keeps_what_was_typed(client, world):
    w = world
    force_login_staff(client, w.access_admin)
    refused = client.post(
        url(w), {"user": w.log_reviewer.pk, "profession": "SJ", "number": "12", "issued_on": "2015-08-20"}
    )
    assert refused.status_code == 400
    assert 'value="12"' in refused.content.decode()
    assert not Licence.objects.filter(user=w.log_reviewer).exists()
    future = client.post(
        url(w), {"user": w.log_reviewer.pk, "profession": "SJ", "number": "1234567", "issued_on": "2999-01-01"}
    )
    assert future.status_code == 400 and not Licence.objects.filter(user=w.log_reviewer).exists()


def test_anyone_but_the_units_access_admin_gets_404(client, world):
    w = world
    licence = Licence.objects.get(user=w.clinician)
    for who in (w.outsider, w.clinician):
        force_login_staff(client, who)
        assert client.get(url(w)).status_code == 404
        assert client.post(url(w), {"user": w.clinician.pk, "profession": "LK", "number": "1234567"}).status_code == 404
        assert client.post(f"{url(w)}{licence.pk}/revoke/", {"revoked_on": "2024-01-01"}).status_code == 404
    # The outsider's own unit does not have unit A's staff's licences.
    force_login_staff(client, w.outsider)
    assert client.post(f"{url(w, w.other_unit)}{licence.pk}/revoke/", {"revoked_on": "2024-01-01"}).status_code == 404
    assert Licence.objects.get(pk=licence.pk).revoked_on is None

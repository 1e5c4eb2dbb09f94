import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, current_totp, force_login_staff
from fyren.accounts.middleware import LAST_SEEN_KEY, TOUCH_SECONDS
from fyren.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_staff_log_in_with_password_and_totp_code(client, world):
    response = client.post(
        "/account/login/", {"username": "clinician", "password": PASSWORD, "otp_token": current_totp(world.clinician)}
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/start/"
    assert client.get("/account/start/").status_code == 200


def test_a_password_without_a_code_is_not_enough(client, world):
    response = client.post("/account/login/", {"username": "clinician", "password": PASSWORD, "otp_token": ""})
    assert response.status_code == 400
    assert SESSION_KEY not in client.session
    assert "wrong" in response.content.decode().lower() or "fel" in response.content.decode().lower()


def test_a_wrong_code_is_refused(client, world):
    wrong = f"{(int(current_totp(world.clinician)) + 1) % 1000000:06d}"
    response = client.post("/account/login/", {"username": "clinician", "password": PASSWORD, "otp_token": wrong})
    assert response.status_code == 400
    assert SESSION_KEY not in client.session


def test_a_wrong_password_is_refused_and_the_typed_user_name_is_kept(client, world):
    response = client.post("/account/login/", {"username": "clinician", "password": "nope", "otp_token": "123456"})
    assert response.status_code == 400
    assert 'value="clinician"' in response.content.decode()


def test_a_citizen_account_cannot_use_the_staff_login(client, world):
    world.patient.user.set_password(PASSWORD)
    world.patient.user.save()
    response = client.post("/account/login/", {"username": world.patient.user.username, "password": PASSWORD})
    assert response.status_code == 400
    assert SESSION_KEY not in client.session


def test_failed_logins_are_throttled(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/account/login/", {"username": "clinician", "password": "wrong", "otp_token": "000000"})
    # Even the right password and code are refused while locked out.
    response = client.post(
        "/account/login/", {"username": "clinician", "password": PASSWORD, "otp_token": current_totp(world.clinician)}
    )
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_wrong_codes_count_towards_throttling(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/account/login/", {"username": "clinician", "password": PASSWORD, "otp_token": "000000"})
    response = client.post(
        "/account/login/", {"username": "clinician", "password": PASSWORD, "otp_token": current_totp(world.clinician)}
    )
    assert response.status_code == 429


def test_first_login_sets_up_the_authenticator_before_any_access(client, make):
    user = make.staff("newbie", totp=False)
    response = client.post("/account/login/", {"username": "newbie", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/account/login/authenticator/"
    assert SESSION_KEY not in client.session
    page = client.get("/account/login/authenticator/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    from binascii import unhexlify

    code = f"{totp(unhexlify(device.key)):06d}"
    assert (
        client.post(
            "/account/login/authenticator/", {"otp_token": "000000" if code != "000000" else "111111"}
        ).status_code
        == 200
    )
    TOTPDevice.objects.get(pk=device.pk).throttle_reset()  # django-otp delays retries after a wrong code
    response = client.post("/account/login/authenticator/", {"otp_token": code})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[SESSION_KEY] == str(user.pk)
    from fyren.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="totp.confirm", actor=user).exists()


def test_the_authenticator_page_needs_a_checked_password_first(client, db):
    assert client.get("/account/login/authenticator/").status_code == 302


def test_staff_sessions_end_after_fifteen_minutes_idle(client, world, settings):
    assert settings.FYREN_STAFF_IDLE_SECONDS == 15 * 60
    force_login_staff(client, world.clinician)
    assert client.get("/account/start/").status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 15 * 60 - 1
    session.save()
    response = client.get("/account/start/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert SESSION_KEY not in client.session


def test_activity_keeps_a_staff_session_alive(client, world):
    force_login_staff(client, world.clinician)
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 14 * 60
    session.save()
    assert client.get("/account/start/").status_code == 200
    assert client.session[LAST_SEEN_KEY] >= int(time.time()) - 1  # the activity is recorded


def test_the_session_is_not_written_on_every_request(client, world):
    """Within a minute of the last recorded activity, a request saves no session."""
    force_login_staff(client, world.clinician)
    client.get("/account/start/")
    recorded = client.session[LAST_SEEN_KEY]
    client.get("/account/start/")
    assert client.session[LAST_SEEN_KEY] == recorded
    session = client.session
    session[LAST_SEEN_KEY] = recorded - TOUCH_SECONDS
    session.save()
    client.get("/account/start/")
    assert client.session[LAST_SEEN_KEY] > recorded - TOUCH_SECONDS


def test_staff_pages_need_the_second_factor(client, world):
    client.force_login(world.clinician)  # password only, no verified device
    assert client.get(f"/clinic/{world.unit.pk}/patients/").status_code == 404


@override_settings(DEMO=True)
def test_demo_eid_lists_people_and_logs_in(client, world):
    page = client.get("/account/login/demo-eid/")
    assert page.status_code == 200
    assert world.patient.full_name in page.content.decode()
    response = client.post("/account/login/demo-eid/", {"user": world.patient.user.pk})
    assert response.status_code == 302
    assert client.get("/account/start/")["Location"] == "/me/"


@override_settings(DEMO=False)
def test_demo_eid_does_not_exist_without_demo_mode(client, world):
    assert client.get("/account/login/demo-eid/").status_code == 404
    assert client.post("/account/login/demo-eid/", {"user": world.patient.user.pk}).status_code == 404
    assert SESSION_KEY not in client.session


def test_logout_needs_post_and_ends_the_session(client, world):
    force_login_staff(client, world.clinician)
    assert client.get("/account/logout/").status_code == 405
    client.post("/account/logout/")
    assert SESSION_KEY not in client.session


def test_the_start_page_shows_the_actions_of_each_role(client, world, make):
    user = make.staff("multi", (Role.CLINICIAN, world.unit), (Role.ACCESS_ADMIN, world.unit))
    force_login_staff(client, user)
    html = client.get("/account/start/").content.decode()
    assert f"/clinic/{world.unit.pk}/patients/" in html
    assert f"/account/units/{world.unit.pk}/roles/" in html
    assert "/log-review/" not in html

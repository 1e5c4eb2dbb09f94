import base64
import datetime as dt
import hashlib
import secrets
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from conftest import login_citizen, login_staff
from fyren.audit.models import AccessLogEntry
from fyren.booking import services as booking
from fyren.booking.tests.conftest import booking_world  # noqa: F401 - fixture
from fyren.flags.services import flag_raise

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(db):
    return Application.objects.create(
        name="Mina besök-appen",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://app.example.org/callback",
    )


def token(app, user, scope, *, minutes=10):
    return AccessToken.objects.create(
        user=user,
        application=app,
        token=secrets.token_urlsafe(24),
        expires=timezone.now() + dt.timedelta(minutes=minutes),
        scope=scope,
    ).token


def get(client, url, bearer=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {bearer}"} if bearer else {}
    return client.get(url, **headers)


def test_the_openapi_document_the_docs_page_and_the_smart_configuration(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.") and "/api/v1/me/bookings" in schema["paths"]
    assert "/api/v1/me/bookings" in client.get("/api/v1/docs").content.decode()
    smart = client.get("/.well-known/smart-configuration").json()
    assert "patient/Appointment.rs" in smart["scopes_supported"] and smart["code_challenge_methods_supported"] == [
        "S256"
    ]


def test_a_citizen_app_reads_its_own_bookings_with_the_right_scope(client, booking_world, app):  # noqa: F811
    w = booking_world
    booking.booking_make(actor=w.patient.user, citizen=w.patient, slot=w.slots[0])
    mine = token(app, w.patient.user, "patient/Appointment.rs")
    body = get(client, "/api/v1/me/bookings", mine).json()
    assert [b["status"] for b in body] == ["booked"]
    narrow = token(app, w.patient.user, "patient/AuditEvent.rs")
    refused = get(client, "/api/v1/me/bookings", narrow)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "insufficient_scope"
    assert get(client, "/api/v1/me/bookings").status_code == 401
    expired = token(app, w.patient.user, "patient/Appointment.rs", minutes=-1)
    assert get(client, "/api/v1/me/bookings", expired).json()["error"]["code"] == "unauthenticated"
    other = token(app, w.stranger.user, "patient/Appointment.rs")
    assert get(client, "/api/v1/me/bookings", other).json() == []  # another citizen sees none of it


def test_revoking_a_token_ends_access(client, booking_world, app):  # noqa: F811
    w = booking_world
    mine = token(app, w.patient.user, "patient/Appointment.rs")
    assert get(client, "/api/v1/me/bookings", mine).status_code == 200
    AccessToken.objects.get(token=mine).revoke()
    assert get(client, "/api/v1/me/bookings", mine).status_code == 401


def test_a_clinician_app_reads_the_units_flags_logged_with_the_client(client, booking_world, app):  # noqa: F811
    w = booking_world
    flag_raise(kind="inactive", citizen=w.patient, unit=w.unit, message={"sv": "Inaktiv", "en": "Inactive"})
    staff = token(app, w.clinician, "user/*.rs")
    body = get(client, f"/api/v1/units/{w.unit.pk}/flags", staff).json()
    assert [f["citizen_id"] for f in body] == [w.patient.pk]
    entry = AccessLogEntry.objects.filter(object_type="flag_list", citizen_id=w.patient.pk).latest("seq")
    assert entry.actor_label.endswith("via Mina besök-appen")
    outsider = token(app, w.outsider, "user/*.rs")
    assert get(client, f"/api/v1/units/{w.unit.pk}/flags", outsider).status_code == 404
    citizen = token(app, w.patient.user, "user/*.rs")
    assert get(client, f"/api/v1/units/{w.unit.pk}/flags", citizen).status_code == 404


def test_the_citizens_access_log_is_paginated(client, booking_world, app):  # noqa: F811
    w = booking_world
    flag_raise(kind="inactive", citizen=w.patient, unit=w.unit, message={"sv": "Inaktiv", "en": "Inactive"})
    get(client, f"/api/v1/units/{w.unit.pk}/flags", token(app, w.clinician, "user/Flag.rs"))
    page = get(client, "/api/v1/me/access-log?limit=1", token(app, w.patient.user, "patient/AuditEvent.rs")).json()
    assert page["count"] >= 1 and len(page["items"]) == 1 and "via" in page["items"][0]["who"]


def test_a_person_sees_and_revokes_the_apps_connected_to_their_account(client, booking_world, app):  # noqa: F811
    w = booking_world
    mine = token(app, w.patient.user, "patient/Appointment.rs")
    other_app = Application.objects.create(
        name="Någon annans app",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://other.example.org/cb",
    )
    token(other_app, w.stranger.user, "patient/Appointment.rs")
    assert client.get("/account/apps/").status_code == 302  # log in first
    login_citizen(client, w.patient)
    page = client.get("/account/apps/").content.decode()
    assert "Mina besök-appen" in page and "Någon annans app" not in page
    assert client.post("/account/apps/", {"app": other_app.pk}).status_code == 404  # not connected by her
    client.post("/account/apps/", {"app": app.pk})
    assert get(client, "/api/v1/me/bookings", mine).status_code == 401
    after = client.get("/account/apps/").content.decode()
    assert "no longer has access" in after or "har inte längre" in after
    assert f'name="app" value="{app.pk}"' not in after
    client.logout()
    client.force_login(w.clinician)  # staff without the second factor
    assert client.get("/account/apps/").status_code == 404


def _pkce():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def _authorize_url(app, scope, challenge):
    query = urlencode(
        {
            "response_type": "code",
            "client_id": app.client_id,
            "redirect_uri": "https://app.example.org/callback",
            "scope": scope,
            "state": "xyz",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    return f"/o/authorize/?{query}"


def _code_flow(client, app, scope):
    """Approve on the page, then exchange the code with the verifier."""
    verifier, challenge = _pkce()
    url = _authorize_url(app, scope, challenge)
    page = client.get(url)
    assert page.status_code == 200, page.content[:300]
    form = dict(parse_qsl(url.split("?", 1)[1]))
    approved = client.post(url, {**form, "allow": "Authorize"})
    assert approved.status_code == 302
    query = dict(parse_qsl(urlsplit(approved["Location"]).query))
    assert query["state"] == "xyz"
    issued = client.post(
        "/o/token/",
        {
            "grant_type": "authorization_code",
            "code": query["code"],
            "redirect_uri": "https://app.example.org/callback",
            "client_id": app.client_id,
            "code_verifier": verifier,
        },
    )
    assert issued.status_code == 200, issued.content
    return page, issued.json()


def test_a_citizen_lets_an_app_in_after_the_e_id_login(client, booking_world, app):  # noqa: F811
    w = booking_world
    verifier, challenge = _pkce()
    anonymous = client.get(_authorize_url(app, "patient/Appointment.rs", challenge))
    assert anonymous.status_code == 302 and "/account/login/" in anonymous["Location"]  # login first
    login_citizen(client, w.patient)
    page, tokens = _code_flow(client, app, "patient/Appointment.rs launch/patient offline_access")
    assert "Mina besök-appen" in page.content.decode()
    assert tokens["patient"] == str(w.patient.pk)  # the SMART patient context
    assert tokens["scope"] == "patient/Appointment.rs launch/patient offline_access"
    assert get(client, "/api/v1/me/bookings", tokens["access_token"]).status_code == 200
    refreshed = client.post(
        "/o/token/",
        {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": app.client_id},
    )
    assert refreshed.status_code == 200 and refreshed.json()["refresh_token"] != tokens["refresh_token"]
    without_pkce = client.get(_authorize_url(app, "patient/Appointment.rs", "").replace("&code_challenge=", "&x="))
    assert "error=invalid_request" in without_pkce["Location"]  # PKCE is required
    assert "Code+challenge+required" in without_pkce["Location"]


def test_staff_need_their_second_factor_before_letting_an_app_in(client, booking_world, app):  # noqa: F811
    w = booking_world
    _verifier, challenge = _pkce()
    client.force_login(w.clinician)  # a password alone: not enough
    refused = client.get(_authorize_url(app, "user/*.rs", challenge))
    assert refused.status_code == 302 and "/account/login/" in refused["Location"]
    client.logout()
    login_staff(client, w.clinician)
    _page, tokens = _code_flow(client, app, "user/*.rs")
    assert get(client, f"/api/v1/units/{w.unit.pk}/flags", tokens["access_token"]).status_code == 200


def test_an_operator_revokes_an_apps_tokens_in_the_admin(client, booking_world, app):  # noqa: F811
    """The operators' admin (superuser with a second factor) ends tokens with an action."""
    w = booking_world
    mine = token(app, w.patient.user, "patient/Appointment.rs")
    operator = w.clinician
    operator.is_superuser = operator.is_staff = True
    operator.save()
    login_staff(client, operator)
    found = AccessToken.objects.get(token=mine)
    done = client.post(
        "/django-admin/oauth2_provider/accesstoken/", {"action": "revoke_tokens", "_selected_action": [found.pk]}
    )
    assert done.status_code == 302
    client.logout()
    assert get(client, "/api/v1/me/bookings", mine).status_code == 401


def test_the_openapi_document_declares_the_oauth_flows_and_each_operations_scope(client):
    schema = client.get("/api/v1/openapi.json").json()
    flows = schema["components"]["securitySchemes"]["smart"]["flows"]
    assert flows["authorizationCode"]["tokenUrl"] == flows["clientCredentials"]["tokenUrl"] == "/o/token/"
    assert flows["authorizationCode"]["authorizationUrl"] == "/o/authorize/"
    assert "patient/Appointment.rs" in flows["authorizationCode"]["scopes"]
    operations = {(path, method): op for path, methods in schema["paths"].items() for method, op in methods.items()}
    assert all(op["security"] and "smart" in op["security"][0] for op in operations.values())
    assert operations[("/api/v1/me/bookings", "get")]["security"] == [{"smart": ["patient/Appointment.rs"]}]
    assert operations[("/api/v1/units/{unit_id}/flags", "get")]["security"] == [{"smart": ["user/Flag.rs"]}]

import pytest
from django.test import Client

from conftest import force_login_staff, login_citizen

pytestmark = pytest.mark.django_db


def test_pages_send_a_strict_content_security_policy_and_other_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Request-ID"]


def test_no_page_contains_inline_script_or_style(client, world):
    force_login_staff(client, world.clinician)
    for url in ["/", "/account/login/", f"/clinic/{world.unit.pk}/patients/", "/account/start/"]:
        html = client.get(url, follow=True).content.decode()
        assert "<script" not in html and "style=" not in html and "<style" not in html, url


def test_forms_need_a_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/account/login/", {"username": "clinician", "password": "x"})
    assert response.status_code == 403


def test_session_and_csrf_cookies_are_httponly_and_samesite(client, settings):
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_user_text_is_escaped(client, world):
    world.patient.given_name = '<script>alert("x")</script>'
    world.patient.save()
    login_citizen(client, world.patient)
    html = client.get("/me/").content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_errors_show_no_stack_trace(world, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    from unittest import mock

    with mock.patch("fyren.accounts.views.render", side_effect=RuntimeError("secret internals")):
        response = client.get("/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "secret internals" not in body and "Traceback" not in body
    assert "112" in body

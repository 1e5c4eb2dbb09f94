"""The real OpenID Connect code flow with PKCE, against a real provider process
(node-oidc-provider from node_modules) started on 127.0.0.1 for the test."""

import socket
import subprocess
import time
from contextlib import closing

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from playwright.sync_api import expect

from fyren.people.models import Citizen
from tests.e2e.conftest import ROOT

CLIENT_ID, CLIENT_SECRET = "fyren-test", "a-test-secret-for-the-provider"


def _free_port():
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def provider(live_server):
    port = _free_port()
    callbacks = [f"{live_server.url}/account/login/e-id/callback/", f"{live_server.url}/account/login/siths/callback/"]
    process = subprocess.Popen(
        ["node", str(ROOT / "tests" / "oidc" / "provider.mjs"), str(port), CLIENT_ID, CLIENT_SECRET, *callbacks],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            discovery = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).json()
            break
        except requests.ConnectionError:
            if process.poll() is not None:
                pytest.fail(f"provider exited: {process.stdout.read()}")
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("the OpenID provider did not start")
    yield discovery
    process.terminate()
    process.wait(timeout=10)


def _config(discovery, scopes):
    return {
        "OIDC_RP_CLIENT_ID": CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_OP_AUTHORIZATION_ENDPOINT": discovery["authorization_endpoint"],
        "OIDC_OP_TOKEN_ENDPOINT": discovery["token_endpoint"],
        "OIDC_OP_USER_ENDPOINT": discovery["userinfo_endpoint"],
        "OIDC_OP_JWKS_ENDPOINT": discovery["jwks_uri"],
        "OIDC_RP_SIGN_ALGO": "RS256",
        "OIDC_RP_SCOPES": scopes,
        "OIDC_USE_PKCE": True,
        "OIDC_USE_NONCE": True,
        "OIDC_VERIFY_SSL": True,
        "OIDC_TIMEOUT": 10,
    }


@pytest.fixture
def oidc(transactional_db, settings, provider, world):
    settings.FYREN_OIDC = {
        "citizen": _config(provider, "openid profile https://id.oidc.se/scope/naturalPersonNumber"),
        "staff": _config(provider, "openid profile staff"),
    }
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "fyren.people.oidc.CitizenOIDCBackend",
        "fyren.accounts.oidc.StaffOIDCBackend",
    ]
    return provider


def _sign_in_at_provider(page, login):
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any")
    page.locator("button[type=submit]").click()
    # The provider asks for consent once per client.
    page.locator("button[type=submit]").click()


def test_a_citizen_logs_in_through_the_e_id_provider(live_server, oidc, checked, world):
    page = checked.page
    requests_seen = []
    page.on("request", lambda r: requests_seen.append(r.url))
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Logga in med e-legitimation").click()
    _sign_in_at_provider(page, world.patient.identity_number)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hej, Pia")
    authorize = next(url for url in requests_seen if url.startswith(oidc["authorization_endpoint"]))
    assert "code_challenge=" in authorize and "code_challenge_method=S256" in authorize and "nonce=" in authorize
    assert "response_type=code" in authorize


def test_a_citizen_unknown_to_fyren_is_registered_on_first_login(live_server, oidc, checked):
    page = checked.page
    page.goto(live_server.url + "/account/login/e-id/")
    _sign_in_at_provider(page, "19121212-1212")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hej, Test")
    citizen = Citizen.objects.get(identity_number="191212121212")
    assert citizen.user.is_citizen and citizen.birth_date.year == 1912


def test_staff_log_in_through_the_staff_provider_matched_on_hsa_id(live_server, oidc, checked, world):
    world.clinician.hsa_id = "SE2321000016-TEST1"
    world.clinician.save()
    page = checked.page
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Logga in med SITHS").click()
    _sign_in_at_provider(page, "SE2321000016-TEST1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Välkommen, Clinician Staff")
    page.get_by_role("link", name="Patienter").click()
    expect(page.get_by_role("link", name="Pia Patient")).to_be_visible()


def test_unknown_staff_are_refused(live_server, oidc, checked):
    page = checked.page
    page.goto(live_server.url + "/account/login/siths/")
    _sign_in_at_provider(page, "SE2321000016-NOBODY")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggningen misslyckades")
    checked.check("login failed")


def test_the_callback_refuses_a_forged_state(live_server, oidc, client):
    response = client.get("/account/login/e-id/callback/", {"code": "x", "state": "forged"})
    assert response.status_code in (302, 400)
    assert SESSION_KEY not in client.session


def test_without_configuration_the_oidc_urls_do_not_exist(client, db, settings):
    settings.FYREN_OIDC = {}
    assert client.get("/account/login/e-id/").status_code == 404
    assert client.get("/account/login/siths/").status_code == 404

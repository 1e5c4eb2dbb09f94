"""Larger text and high contrast (#19): for anyone, remembered per user."""

import re

import pytest

from conftest import login_citizen

pytestmark = pytest.mark.django_db


def test_a_visitor_chooses_larger_text_and_high_contrast_for_this_browser(client):
    assert 'class="text-' not in client.get("/").content.decode()
    response = client.post("/account/display/", {"text_size": "larger", "contrast": "high", "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    html = client.get("/").content.decode()
    assert '<html lang="sv" dir="ltr" class="text-larger contrast-high">' in html


def test_a_citizens_choice_follows_them_to_the_next_login(client, world):
    login_citizen(client, world.patient)
    client.post("/account/display/", {"text_size": "large", "contrast": ""})
    world.patient.user.refresh_from_db()
    assert (world.patient.user.text_size, world.patient.user.contrast) == ("large", "")
    client.logout()
    client.cookies.clear()  # another computer
    assert 'class="text-large"' not in client.get("/").content.decode()
    login_citizen(client, world.patient)
    assert 'class="text-large"' in client.get("/me/").content.decode()


def test_a_setting_that_does_not_exist_changes_nothing(client, world):
    login_citizen(client, world.patient)
    response = client.post("/account/display/", {"text_size": "huge", "contrast": "high"})
    assert response.status_code == 400
    world.patient.user.refresh_from_db()
    assert (world.patient.user.text_size, world.patient.user.contrast) == ("", "")
    # What was typed stays chosen on the page that says what is wrong.
    assert re.search(r'name="contrast" value="high"[^>]*checked', response.content.decode())


def test_every_page_links_to_the_settings(client):
    assert 'href="/account/display/?next=/"' in client.get("/").content.decode()

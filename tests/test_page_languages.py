"""The page languages (#19): eight of them, chosen by the user and remembered,
offered first from the browser's preference; right to left for Arabic and
Persian; dates and weekday names in the language; charts mirrored; the
catalogues' state reported per language."""

import datetime as dt
import re
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import formats, translation

from conftest import force_login_staff, login_citizen
from fyren.lib.languages import browser_languages, offer_for, ordered_for
from fyren.people.models import Citizen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import translations  # noqa: E402

CODES = ["sv", "en", "fi", "ar", "fa", "so", "ti", "uk"]


def test_the_eight_page_languages_and_the_citizens_choices_are_the_same():
    assert [code for code, _name in settings.LANGUAGES] == CODES
    assert set(Citizen.Language.values) == set(CODES)


def test_the_browsers_languages_are_read_in_their_order_of_preference():
    assert browser_languages("ar-SE,ar;q=0.9,en-GB;q=0.8,de;q=0.7") == ["ar", "en"]
    assert browser_languages("fi;q=0, so") == ["so"]  # q=0 means "not this one"
    assert browser_languages("") == browser_languages("*") == []
    assert [lang.code for lang in ordered_for("uk, fa;q=0.5")][:3] == ["uk", "fa", "sv"]
    assert [lang.code for lang in ordered_for("")] == CODES


def test_the_browsers_first_language_is_offered_unless_the_page_is_in_it():
    assert offer_for("ti-ER,ti;q=0.9", "sv").code == "ti"
    assert offer_for("sv-SE,en;q=0.5", "sv") is None
    assert offer_for("ar", "ar") is None
    assert offer_for("de-DE", "sv") is None


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "direction"), [("ar", "rtl"), ("fa", "rtl"), ("fi", "ltr"), ("so", "ltr")])
def test_every_page_says_its_language_and_direction(client, code, direction):
    client.post("/i18n/setlang/", {"language": code, "next": "/"})
    html = client.get("/").content.decode()
    assert f'<html lang="{code}" dir="{direction}">' in html
    # Each language is named in itself in the menu, with its own lang and direction.
    assert '<option value="ar" lang="ar" dir="rtl"' in html and ">Suomi</option>" in html


@pytest.mark.django_db
def test_an_arabic_browser_is_offered_arabic_until_a_language_is_chosen(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="ar-SE,ar;q=0.9").content.decode()
    assert '<html lang="sv"' in html  # Swedish until chosen
    offer = re.search(r'<div class="language-offer".*?</div>', html, re.S).group(0)
    assert 'name="language" value="ar" lang="ar" dir="rtl"' in offer
    assert 'value="sv" class="secondary"' in offer
    # The menu lists Arabic first.
    assert html.index('<option value="ar"') < html.index('<option value="sv"')
    client.post("/i18n/setlang/", {"language": "sv", "next": "/"})  # "keep this language"
    assert "language-offer" not in client.get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()


@pytest.mark.django_db
def test_a_citizens_choice_is_remembered_for_the_next_login(client, world):
    login_citizen(client, world.patient)
    client.post("/i18n/setlang/", {"language": "ar", "next": "/me/"})
    world.patient.refresh_from_db()
    assert world.patient.preferred_language == "ar"  # the notices use it too
    client.logout()
    client.cookies.clear()  # another device: no language cookie
    login_citizen(client, world.patient)
    assert '<html lang="ar" dir="rtl">' in client.get("/me/").content.decode()


@pytest.mark.django_db
def test_a_staff_members_choice_is_remembered_and_a_strange_code_changes_nothing(client, world):
    force_login_staff(client, world.clinician)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    world.clinician.refresh_from_db()
    assert world.clinician.language == ""
    client.post("/i18n/setlang/", {"language": "uk", "next": "/"})
    world.clinician.refresh_from_db()
    assert world.clinician.language == "uk"
    client.logout()
    client.cookies.clear()
    force_login_staff(client, world.clinician)
    # force_login sends user_logged_in as the real login does.
    assert '<html lang="uk" dir="ltr">' in client.get("/account/start/").content.decode()


@pytest.mark.parametrize(
    ("code", "short", "weekday"),
    [
        ("sv", "2026-12-07", "måndag"),
        ("en", "2026-12-07", "Monday"),  # English as read in Sweden: ISO dates
        ("fi", "7.12.2026", "maanantai"),
        ("ar", "07\u200f/12\u200f/2026", "الاثنين"),
        ("fa", "2026/12/7", "دوشنبه"),
        ("uk", "07.12.2026", "понеділок"),
        ("so", "07/12/2026", "Isniin"),  # the CLDR's names: Django has no Somali
        ("ti", "07/12/2026", "ሰኑይ"),
    ],
)
def test_dates_and_weekday_names_follow_the_language(code, short, weekday):
    day = dt.date(2026, 12, 7)
    with translation.override(code):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == short
        assert formats.date_format(day, "l").lower() == weekday.lower()


def test_charts_are_drawn_from_the_right_in_a_right_to_left_language():
    template = Template(
        "{% load direction %}<g{% mirror_group 640 %}></g>"
        '|{{ 34|mirror:640|floatformat:"1u" }}|{{ "end"|anchor }}|{{ "middle"|anchor }}'
    )
    with translation.override("sv"):
        assert template.render(Context()) == "<g></g>|34.0|end|middle"
    with translation.override("ar"):
        assert template.render(Context()) == '<g transform="translate(640 0) scale(-1 1)"></g>|606.0|start|middle'


def test_the_catalogue_report_counts_translated_and_reviewed_per_language(tmp_path, monkeypatch):
    po = tmp_path / "so" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        "# awaiting review\n"
        'msgid "Hello %(name)s"\nmsgstr "Salaan %(name)s"\n\n'
        'msgid "Monday"\nmsgstr "Isniin"\n\n'
        'msgid "Save"\nmsgstr ""\n\n'
        '#, python-format\nmsgid "Dropped %(n)s"\nmsgstr "Tuuray"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(translations, "LOCALE", tmp_path)
    monkeypatch.setattr(translations, "LANGUAGES", ["so"])
    assert translations.status() == [{"lang": "so", "messages": 4, "translated": 3, "reviewed": 2}]
    assert translations.check() == 1  # the placeholder left out of "Dropped %(n)s"


def test_every_shipped_catalogue_keeps_its_placeholders_and_markup():
    assert translations.check() == 0

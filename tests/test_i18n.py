"""Swedish is the default and complete; English is selectable. English is the
source language of the code, so it is complete by construction."""

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def test_every_user_facing_string_has_a_swedish_translation(tmp_path, monkeypatch):
    """Extract the strings afresh (needs gettext, which `make test` installs) and
    check the committed Swedish catalogue translates every one of them."""
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext is missing: install gettext (make test does)")
    target = tmp_path / "locale"
    shutil.copytree(ROOT / "locale", target, ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.chdir(ROOT)
    with override_settings(LOCALE_PATHS=[str(target)]):
        call_command(
            "makemessages",
            locale=["sv"],
            no_obsolete=True,
            no_location=True,
            verbosity=0,
            ignore_patterns=[".venv", "node_modules", "tests", "*/tests/*", "conftest.py", "locale"],
        )
    fresh = polib.pofile(str(target / "sv" / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in fresh if not e.translated()]
    assert untranslated == [], "Run `make messages` and translate: " + "; ".join(untranslated)


def test_the_committed_catalogue_has_no_fuzzy_or_empty_entries():
    po = polib.pofile(str(PO))
    assert po.percent_translated() == 100
    assert not po.fuzzy_entries()


@pytest.mark.django_db
def test_swedish_is_the_default_and_english_can_be_chosen(client):
    assert "Välkommen till Fyren" in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert "Welcome to Fyren" in html and '<html lang="en">' in html


@pytest.mark.django_db
def test_an_english_browser_still_gets_swedish_until_english_is_chosen(client):
    assert "Välkommen till Fyren" in client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

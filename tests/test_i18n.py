"""Swedish is the default and complete; English is selectable. English is the
source language of the code, so it is complete by construction."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def test_every_user_facing_string_has_a_swedish_translation(tmp_path):
    """Extract the strings afresh, in a copy of the project so nothing here
    changes (needs gettext, which `make test` installs), and check the committed
    Swedish catalogue translates every one of them."""
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext is missing: install gettext (make test does)")
    copy = tmp_path / "project"
    for name in ("config", "fyren", "templates", "locale"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("*.mo", "__pycache__", "tests"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale=sv", "--no-obsolete", "--no-location", "--verbosity=0"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(copy), "DATABASE_URL": "sqlite:///:memory:"},
    )
    assert result.returncode == 0, result.stderr
    fresh = polib.pofile(str(copy / "locale" / "sv" / "LC_MESSAGES" / "django.po"))
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
    assert "Welcome to Fyren" in html and '<html lang="en" dir="ltr">' in html


@pytest.mark.django_db
def test_an_english_browser_still_gets_swedish_until_english_is_chosen(client):
    assert "Välkommen till Fyren" in client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

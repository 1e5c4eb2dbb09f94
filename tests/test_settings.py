import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from fyren.lib.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 50


def _start(**env):
    """Import the settings in a fresh interpreter with only ``env`` set."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("FYREN_", "DATABASE_URL"))}
    clean.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; "
            "django.setup(); from django.conf import settings; "
            "print('DEBUG', settings.DEBUG, 'HSTS', settings.SECURE_HSTS_SECONDS, "
            "'SECURE_COOKIES', settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE, "
            "'SSL_REDIRECT', settings.SECURE_SSL_REDIRECT)",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_mode_starts_with_safe_settings():
    result = _start(FYREN_PRODUCTION="1", FYREN_SECRET_KEY=GOOD_KEY, FYREN_ALLOWED_HOSTS="fyren.example.org")
    assert result.returncode == 0, result.stderr
    assert "DEBUG False HSTS 63072000 SECURE_COOKIES True SSL_REDIRECT True" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"FYREN_DEBUG": "1"}, "FYREN_DEBUG must be off"),
        ({"FYREN_SECRET_KEY": ""}, "FYREN_SECRET_KEY"),
        ({"FYREN_ALLOWED_HOSTS": ""}, "FYREN_ALLOWED_HOSTS"),
        ({"FYREN_DEMO": "1"}, "FYREN_DEMO cannot be enabled"),
    ],
)
def test_production_mode_refuses_unsafe_settings(env, message):
    base = {"FYREN_PRODUCTION": "1", "FYREN_SECRET_KEY": GOOD_KEY, "FYREN_ALLOWED_HOSTS": "fyren.example.org"}
    result = _start(**{**base, **env})
    assert result.returncode != 0
    assert message in result.stderr


def test_a_bad_value_fails_loudly():
    result = _start(FYREN_DEBUG="maybe")
    assert result.returncode != 0 and "FYREN_DEBUG='maybe' is not a boolean" in result.stderr


def test_env_helpers(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert env_str("X_SECRET") == "from-a-file"
    monkeypatch.setenv("X_MISSING_FILE", str(tmp_path / "absent"))
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        env_str("X_MISSING")
    monkeypatch.setenv("X_INT", "12x")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("X_INT", 1)
    monkeypatch.setenv("X_INT", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 60"):
        env_int("X_INT", 1, minimum=60)
    monkeypatch.setenv("X_LIST", "a, b,,c")
    assert env_list("X_LIST") == ["a", "b", "c"]
    assert env_bool("X_UNSET", True) is True
    with pytest.raises(ImproperlyConfigured, match="must be set"):
        env_str("X_UNSET", required=True)

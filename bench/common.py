"""What the benchmarks share: Django on a throw-away database with the demo
loaded, and a logged-in staff client."""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def django_with_demo() -> None:
    """Set Django up on a throw-away SQLite database unless DATABASE_URL is set
    (then it must be an empty database it may migrate), migrate and load the demo."""
    tmp = tempfile.mkdtemp()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from fyren.demo.loader import load_demo_data

    call_command("migrate", verbosity=0)
    load_demo_data()


def staff_client(username: str):
    """A test client logged in as the demo staff member, second factor verified."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from fyren.accounts.models import User

    user = User.objects.get(username=username)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.filter(user=user).first().persistent_id
    session.save()
    return client


def gunicorn(port: int, env: dict, *, workers: int = 2, new_session: bool = False) -> subprocess.Popen:
    """gunicorn serving Fyren on 127.0.0.1:``port`` with ``env``, once it answers ``/``."""
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=new_session,
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)  # noqa: S310 - our server
            return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("gunicorn did not start")

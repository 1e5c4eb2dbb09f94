"""The worker is a real process and is killed with SIGKILL in the middle of a
batch, twice; after a restart and the sweep, every notice has been delivered,
and no notice more often than the policy allows (decisions.md #41: at most one
extra delivery per worker death that caught it after the gateway accepted it,
each counted in ``redeliveries``).

Runs against a scratch database of the same kind as the test run's (a file for
SQLite, a new database for PostgreSQL), because the worker is another process."""

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[3]
NOTICES = 40
SEED = f"""
from fyren.people.models import Citizen
from fyren.notifications.services import notify
c = Citizen.objects.create(identity_number="198505172382", identity_kind="personal",
    birth_date="1985-05-17", legal_sex="F", given_name="Pia", family_name="Patient",
    mobile="+46701234567", notify_sms=True)
for i in range({NOTICES}):
    notify(citizen=c, event="feedback", event_key=f"crash:{{i}}")
"""
REPORT = """
import json
from django.db.models import Sum
from fyren.notifications.models import Notification as N
print(json.dumps({"status": dict(Counter(N.objects.values_list("status", flat=True))),
    "keys": [str(k) for k in N.objects.values_list("idempotency_key", flat=True)],
    "redeliveries": N.objects.aggregate(s=Sum("redeliveries"))["s"] or 0}))
""".replace("import json", "import json\nfrom collections import Counter", 1)


@pytest.fixture
def scratch(tmp_path):
    """Environment for subprocesses using a fresh database of the test run's kind."""
    url = os.environ.get("DATABASE_URL", "")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "FYREN_SMS_BACKEND": "fyren.notifications.sms.FileSmsBackend",
        "FYREN_SMS_FILE": str(tmp_path / "sms.jsonl"),
        "FYREN_SMS_FILE_DELAY_MS": "200",
        "FYREN_NOTIFY_SENDING_TIMEOUT": "2",
        "FYREN_NOTIFY_QUEUED_TIMEOUT": "2",
        "FYREN_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    env.pop("FYREN_DEBUG", None)
    if url.startswith("postgres"):
        import psycopg

        name = f"fyren_crash_{os.getpid()}"
        parts = urlsplit(url)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
        yield env
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
        yield env


def _manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True, **kwargs
    )


def _start(env, *args):
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _report(env) -> dict:
    return json.loads(_manage(env, "shell", "--no-imports", "-c", REPORT).stdout.strip().splitlines()[-1])


def _sent_lines(env) -> list[dict]:
    path = Path(env["FYREN_SMS_FILE"])
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _wait(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_killing_the_worker_mid_batch_loses_no_notice(scratch):
    _manage(scratch, "migrate", "--noinput")
    _manage(scratch, "shell", "-c", SEED)
    worker_args = ("db_worker", "--interval", "0.2", "--no-startup-delay")
    kills = 0
    for wanted in (8, 16):
        worker = _start(scratch, *worker_args)
        assert _wait(lambda wanted=wanted: len(_sent_lines(scratch)) >= wanted, 60), "the worker sent nothing"
        time.sleep(0.13)  # land inside a send: after the gateway accepted, before the result is recorded
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        kills += 1
    before = _report(scratch)
    assert before["status"].get("sent", 0) < NOTICES  # the kills really interrupted the batch

    worker = _start(scratch, *worker_args)
    sweeper = _start(scratch, "sweep_notifications", "--loop", "1")
    try:
        done = _wait(lambda: _report(scratch)["status"] == {"sent": NOTICES}, 90)
    finally:
        for process in (worker, sweeper):
            process.kill()
            process.wait()
    after = _report(scratch)
    assert done, after["status"]
    deliveries = Counter(line["key"] for line in _sent_lines(scratch))
    assert set(deliveries) == set(after["keys"])  # every notice reached the gateway
    duplicates = sum(n - 1 for n in deliveries.values())
    print(
        f"worker kills: {kills}, before restart: {before['status']}, "
        f"redeliveries: {after['redeliveries']}, duplicates: {duplicates}"
    )
    assert duplicates <= after["redeliveries"] <= kills, (duplicates, after["redeliveries"], kills)

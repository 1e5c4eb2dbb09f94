"""The scaled-out configuration (FYREN_REDIS_URL): the cache, the sessions and
the task queue on a real Redis, with RQ's worker running the tasks. Run in a
separate process so the settings are read as a deployment reads them.
`make test` starts Redis (scripts/test-services.sh) and sets FYREN_TEST_REDIS_URL."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("FYREN_TEST_REDIS_URL", "")

SCRIPT = """
import django, redis
django.setup()
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.contrib.sessions.backends.cached_db import SessionStore
from django_tasks import task_backends

redis.Redis.from_url(settings.FYREN_REDIS_URL).flushdb()
call_command("migrate", "scheduler", verbosity=0)
call_command("migrate", "sessions", verbosity=0)
from fyren.scheduler.models import Heartbeat
from fyren.scheduler.tasks import worker_heartbeat

cache.set("fyren-probe", "here", 60)
assert cache.get("fyren-probe") == "here"
assert any(b"fyren-probe" in key for key in redis.Redis.from_url(settings.FYREN_REDIS_URL).keys()), "cache not in Redis"

session = SessionStore()
session["probe"] = 1
session.create()
assert SessionStore(session.session_key)["probe"] == 1

assert type(task_backends["default"]).__name__ == "RQBackend", type(task_backends["default"])
result = worker_heartbeat.enqueue()
assert not Heartbeat.objects.filter(name="worker").exists()  # queued in Redis, not run yet
call_command("rqworker", "default", burst=True, job_class="django_tasks_rq.Job", verbosity=0)
result.refresh()
assert result.status == "SUCCESSFUL", result.status
assert Heartbeat.objects.filter(name="worker").exists()
print("scale-out ok")
"""


@pytest.mark.skipif(not REDIS_URL, reason="FYREN_TEST_REDIS_URL is not set (make test sets it)")
def test_cache_sessions_and_tasks_run_on_redis(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path}/scale-out.sqlite3",
        "FYREN_REDIS_URL": REDIS_URL,
    }
    env.pop("FYREN_TASKS_BACKEND", None)
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "scale-out ok" in done.stdout

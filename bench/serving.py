"""Requests per second of the cheapest authenticated page (a citizen's contact
page) under gunicorn, with database connections opened per request
(FYREN_DB_CONN_MAX_AGE=0) and reused (the default), next to a floor measured
in the same run: the anonymous start page, which reads no database.

    DATABASE_URL=postgres://fyren:fyren@127.0.0.1:5432/fyren_bench .venv/bin/python bench/serving.py [--seconds 10]

The database named must exist and be empty or hold a previous bench run; the
demo is loaded into it. Load: 8 client threads with keep-alive on the same
machine; gunicorn with 2 sync workers.
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from common import gunicorn  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("FYREN_DEMO", "1")
PORT = 8791


def session_cookie() -> str:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from fyren.people.models import Citizen

    user = Citizen.objects.get(given_name="Sara").user
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def load(path: str, cookie: str, seconds: float, threads: int = 8, headers: dict | None = None) -> tuple[float, float]:
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        mine = []
        while time.monotonic() < stop:
            started = time.perf_counter()
            conn.request("GET", path, headers={**({"Cookie": cookie} if cookie else {}), **(headers or {})})
            response = conn.getresponse()
            response.read()
            assert response.status == 200, (path, response.status)
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return len(latencies) / seconds, statistics.median(latencies) * 1000


def serve(max_age: int, **extra_env: str):
    env = {**os.environ, "FYREN_DB_CONN_MAX_AGE": str(max_age), "FYREN_ALLOWED_HOSTS": "127.0.0.1", **extra_env}
    return gunicorn(PORT, env)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    subprocess.run([sys.executable, "manage.py", "load_demo_data"], cwd=ROOT, check=True, capture_output=True)
    cookie = session_cookie()
    print(f"database: {os.environ.get('DATABASE_URL', 'sqlite')}; {os.cpu_count()} cores; 2 gunicorn workers")
    for max_age in (0, 60):
        server = serve(max_age)
        try:
            load("/me/contact/", cookie, 2)  # warm up
            floor_rps, floor_p50 = load("/", "", args.seconds)
            page_rps, page_p50 = load("/me/contact/", cookie, args.seconds)
        finally:
            server.terminate()
            server.wait()
        print(
            f"CONN_MAX_AGE={max_age:>2}: /me/contact/ {page_rps:7.1f} req/s (p50 {page_p50:6.1f} ms) | "
            f"floor / {floor_rps:7.1f} req/s (p50 {floor_p50:6.1f} ms) | ratio {page_rps / floor_rps:.2f}"
        )


if __name__ == "__main__":
    main()

"""Where a page's time goes in process (#18): each page of the load mixes
requested N times through Django's test client (the full middleware, no
network, no server), printing mean milliseconds and queries per request next to
the floor view's, and of that the time spent waiting for SQL and rendering
templates (the rest is the ORM's Python, the views and the middleware); with
--profile PAGE, the functions that take its time.

    DATABASE_URL=postgres://fyren:fyren@127.0.0.1:5432/fyren_national \\
        .venv/bin/python bench/profile_pages.py [--requests 30] [--profile /me/]

Prepares the same people as bench/load.py (a few), on Sweden's data if it is
there, else on the demo. Asserts nothing.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.floor_settings")
os.environ.setdefault("FYREN_DEMO", "1")
os.environ.setdefault("FYREN_API_RATE", "1000000/min")
os.environ["FYREN_ALLOWED_HOSTS"] = "testserver,127.0.0.1"


def pages(people: dict) -> list[tuple[str, str, dict]]:
    citizen = people["citizens"][0]
    clinician = people["clinicians"][0]
    c, u = citizen, clinician["unit"]
    return [
        ("floor", "/bench/floor/", {"session": c["session"]}),
        ("citizen", "/me/contact/", {"session": c["session"]}),
        ("citizen", "/me/", {"session": c["session"]}),
        ("citizen", f"/me/enrolments/{c['enrolment']}/", {"session": c["session"]}),
        ("citizen", f"/me/enrolments/{c['enrolment']}/steps/{c['step']}/", {"session": c["session"]}),
        ("citizen", f"/me/messages/{c['thread']}/", {"session": c["session"]}),
        ("citizen", "/me/bookings/", {"session": c["session"]}),
        ("api", "/api/v1/me/enrolments", {"token": c["token"]}),
        ("api", "/api/v1/me/threads", {"token": c["token"]}),
        ("api", f"/fhir/Observation?patient={c['patient']}", {"token": c["token"]}),
        ("api", f"/fhir/Patient/{c['patient']}", {"token": c["token"]}),
        ("clinician", f"/clinic/{u}/?scope=unit", {"session": clinician["session"]}),
        ("clinician", f"/clinic/{u}/flags/", {"session": clinician["session"]}),
        ("clinician", f"/clinic/{u}/inbox/", {"session": clinician["session"]}),
        ("clinician", f"/clinic/{u}/enrolments/{clinician['enrolments'][0]}/", {"session": clinician["session"]}),
        ("clinician", f"/clinic/{u}/threads/{clinician['threads'][0]}/", {"session": clinician["session"]}),
        # Writes: a new client token each time, as a new message.
        ("citizen", f"POST /me/messages/{c['thread']}/", {"session": c["session"], "body": "Hej! En fråga."}),
        (
            "clinician",
            f"POST /clinic/{u}/threads/{clinician['threads'][0]}/",
            {"session": clinician["session"], "body": "Tack."},
        ),
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--people", type=int, default=3)
    parser.add_argument("--profile", default="")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--sql", default="", help="print the queries of the pages starting with this")
    parser.add_argument("--lines", type=int, default=40)
    args = parser.parse_args()
    spent = {"template": 0.0, "sql": 0.0}
    from load import prepare_people, setup_database

    national = setup_database()
    people = prepare_people(args.people, national)
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    settings.DEBUG = False
    from django.template.backends import django as django_backend

    render = django_backend.Template.render

    def timed_render(self, *a, spent=spent, **k):
        # Only the outermost template counts (includes render inside it).
        started, depth = time.perf_counter(), spent.setdefault("depth", 0)
        spent["depth"] = depth + 1
        try:
            return render(self, *a, **k)
        finally:
            spent["depth"] = depth
            if depth == 0:
                spent["template"] += time.perf_counter() - started

    django_backend.Template.render = timed_render

    def timed_sql(execute, sql, params, many, context, spent=spent):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent["sql"] += time.perf_counter() - started

    print(f"database: {'Sweden' if national else 'the demo'} ({connection.vendor}); {args.requests} requests per page")
    print(f"{'kind':10s} {'page':60s} {'ms':>7s} {'queries':>7s} {'status':>6s} {'sql ms':>7s} {'tmpl ms':>7s}")
    for kind, url, who in pages(people):
        client = Client()
        headers = {}
        if "session" in who:
            client.cookies[settings.SESSION_COOKIE_NAME] = who["session"]
        else:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {who['token']}"
        method, _sp, path = url.rpartition(" ")
        if method == "POST":

            def request(path=path, body=who["body"], client=client, headers=headers):
                return client.post(path, {"body": body, "client_token": str(uuid.uuid4())}, **headers)

        else:

            def request(path=path, client=client, headers=headers):
                return client.get(path, **headers)

        response = request()  # warm: caches, templates, connection
        queries: list[str] = []

        def counted(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            request()
        profiler = cProfile.Profile() if args.profile and url.startswith(args.profile) else None
        spent.update(template=0.0, sql=0.0)
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        with connection.execute_wrapper(timed_sql):
            for _ in range(args.requests):
                response = request()
        if profiler:
            profiler.disable()
        ms = (time.perf_counter() - started) * 1000 / args.requests
        sql_ms, template_ms = (spent[k] * 1000 / args.requests for k in ("sql", "template"))
        print(
            f"{kind:10s} {url[:60]:60s} {ms:7.1f} {len(queries):7d} {response.status_code:6d}"
            f" {sql_ms:7.1f} {template_ms:7.1f}"
        )
        if args.sql and url.startswith(args.sql):
            for sql in queries:
                print("    ", sql[:160])
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.lines)
            print(out.getvalue())


if __name__ == "__main__":
    main()

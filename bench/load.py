"""Load scenarios (#18): the citizen, clinician and API mixes under locust,
served by gunicorn on PostgreSQL, each next to a floor measured in the same
run (a minimal authenticated view doing one indexed query, bench/floor_urls.py).

    make bench-setup   # locust, from requirements/bench.txt
    DATABASE_URL=postgres://fyren:fyren@127.0.0.1:5432/fyren_national \\
        .venv/bin/python bench/load.py [--users 5] [--seconds 30] [--big-unit 10000] [--workers 2]

The database is used as it is if it holds data (e.g. after bench/national.py,
Sweden's load); an empty one gets the demo. It prepares the people the mixes
act as — citizens with a login, a session, a token and questionnaires due;
clinicians with a verified second factor at the units with the most open
enrolments — then, for each mix, starts locust headless (users that do not
wait) and prints requests/s (in all and per core), p50/p95/p99 and failures,
and the ratio to the floor. With --big-unit N, the demo's unit is grown to N open
enrolments and its dashboard and inbox are measured as a mix of their own.
Asserts nothing; the load generator runs on the same machine.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from common import gunicorn  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
PORT = 8793
MIXES = ("Floor", "CitizenMix", "ClinicianMix", "ApiMix")


def setup_database() -> bool:
    """Migrate; load the demo into an empty database. True if Sweden's load is there."""
    import django

    django.setup()
    from django.core.management import call_command

    from fyren.organisations.models import Region

    call_command("migrate", verbosity=0)
    if not Region.objects.exists():
        from fyren.demo.loader import load_demo_data

        load_demo_data()
    return Region.objects.filter(name__startswith="Nationell region").exists()


def _session(user, otp_device=None) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if otp_device is not None:
        session["otp_device_id"] = otp_device.persistent_id
    session.create()
    return session.session_key


def prepare_people(count: int, national: bool) -> dict:
    """Citizens (login, session, token, a step, a conversation, questionnaires due) and clinicians."""
    import datetime as dt
    import secrets

    from django.conf import settings
    from django.db.models import Count
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from oauth2_provider.models import AccessToken, Application

    from fyren.accounts.models import RoleAssignment, User
    from fyren.care.models import Enrolment
    from fyren.instruments.library import LIBRARY
    from fyren.messaging.models import Thread
    from fyren.messaging.services import thread_for_enrolment
    from fyren.programs.models import Step
    from fyren.questionnaires.models import ScheduledSend

    app = Application.objects.get(client_id="fyren-app")
    expires = timezone.now() + dt.timedelta(hours=6)
    enrolments = Enrolment.objects.filter(status="active", program_version__messaging_enabled=True)
    if national:
        enrolments = enrolments.filter(unit__region__name__startswith="Nationell region")
    citizens = []
    for enrolment in enrolments.select_related("citizen__user", "program_version").order_by("?")[:count]:
        citizen = enrolment.citizen
        if citizen.user is None:
            citizen.user = User.objects.create(
                username=f"load-{citizen.pk}", kind=User.Kind.CITIZEN, first_name=citizen.given_name
            )
            citizen.save(update_fields=["user"])
        step = (
            Step.objects.filter(version=enrolment.program_version)
            .order_by("section__module__position", "section__position", "position")
            .first()
        )
        sends = ScheduledSend.objects.bulk_create(
            ScheduledSend(enrolment=enrolment, instrument_code="phq9", due_on=timezone.localdate(), reason="manual")
            for _ in range(3)  # a few due at once, as a citizen might have
        )
        token = AccessToken.objects.create(
            user=citizen.user, application=app, token=secrets.token_urlsafe(24), expires=expires, scope="patient/*.rs"
        )
        citizens.append(
            {
                "session": _session(citizen.user),
                "enrolment": enrolment.pk,
                "step": str(step.key),
                "thread": thread_for_enrolment(enrolment).pk,
                "sends": [s.pk for s in sends],
                "token": token.token,
                "patient": citizen.pk,
            }
        )
    units = (
        Enrolment.objects.filter(status="active", unit__in=enrolments.values("unit"))
        .values("unit")
        .annotate(n=Count("pk"))
        .filter(n__lt=2000)  # ordinary units (the big one is measured on its own)
        .order_by("-n")[:10]
    )
    clinicians = []
    for row in units:
        assignment = RoleAssignment.objects.filter(unit_id=row["unit"], role="clinician").select_related("user").first()
        if assignment is None:
            continue
        device = TOTPDevice.objects.filter(user=assignment.user, confirmed=True).first() or TOTPDevice.objects.create(
            user=assignment.user, name="load", confirmed=True
        )
        open_here = Enrolment.objects.filter(unit_id=row["unit"], status="active")
        clinicians.append(
            {
                "session": _session(assignment.user, device),
                "unit": row["unit"],
                "enrolments": list(open_here.values_list("pk", flat=True)[:50]),
                "threads": list(Thread.objects.filter(unit_id=row["unit"]).values_list("pk", flat=True)[:50]),
            }
        )
    options = LIBRARY["phq9"]["option_sets"]
    phq9 = {
        item["link_id"]: options[item["options"]][0]["code"]
        for item in LIBRARY["phq9"]["items"]
        if item["type"] == "choice"
    }
    return {
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "citizens": citizens,
        "clinicians": clinicians,
        "tokens": citizens,
        "phq9": phq9,
    }


def add_big_unit(patients: int, people: dict) -> None:
    """The demo's unit (Hamnen) grown to N open enrolments, measured as a mix of its own
    (BigUnit) as the demo's clinician anna.lind."""
    from dashboard import add_patients
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from fyren.accounts.models import User
    from fyren.care.models import Enrolment

    sara = Enrolment.objects.filter(citizen__given_name="Sara").select_related("unit", "program_version").first()
    unit = sara.unit
    there = Enrolment.objects.filter(unit=unit, status__in=Enrolment.OPEN_STATUSES).count()
    if there < patients:  # a database kept from an earlier run has them already
        with transaction.atomic():
            add_patients(
                unit, sara.program_version, patients - there, prefix=f"big{unit.pk}-{there}-", start=100_000 + there
            )
    anna = User.objects.get(username="anna.lind")
    device = TOTPDevice.objects.filter(user=anna, confirmed=True).first()
    people["big"] = [{"session": _session(anna, device), "unit": unit.pk}]


def serve(workers: int = 2):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.floor_settings",
        "FYREN_ALLOWED_HOSTS": "127.0.0.1",
        "FYREN_DEMO": "1",
        # The API's rate limit per client would refuse the load (every token is the same app's).
        "FYREN_API_RATE": "1000000/min",
    }
    return gunicorn(PORT, env, workers=workers)


def run_mix(mix: str, users: int, seconds: int, people_file: str, out: Path) -> dict:
    subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--only-summary",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--host",
            f"http://127.0.0.1:{PORT}",
            "--csv",
            str(out / mix),
            "--loglevel",
            "ERROR",
            mix,
        ],
        cwd=ROOT,
        env={**os.environ, "FYREN_LOAD_PEOPLE": people_file},
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with open(out / f"{mix}_stats.csv") as f:
        rows = list(csv.DictReader(f))
    return {row["Name"]: row for row in rows}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--people", type=int, default=40)
    parser.add_argument("--big-unit", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's sync workers")
    args = parser.parse_args()
    national = setup_database()
    people = prepare_people(args.people, national)
    mixes = list(MIXES)
    if args.big_unit:
        add_big_unit(args.big_unit, people)
        mixes.append("BigUnit")
    out = Path(tempfile.mkdtemp())
    people_file = out / "people.json"
    people_file.write_text(json.dumps(people))
    cores = os.cpu_count() or 1
    print(
        f"database: {'Sweden' if national else 'the demo'}; {cores} cores; gunicorn {args.workers} sync workers; "
        f"locust {args.users} users without waiting, {args.seconds} s per mix, on the same machine"
    )
    server = serve(args.workers)
    results = {}
    try:
        for mix in mixes:
            results[mix] = run_mix(mix, args.users, args.seconds, str(people_file), out)
    finally:
        server.terminate()
        server.wait()
    floor = float(results["Floor"]["Aggregated"]["Requests/s"])
    columns = ("req/s", "/core", "p50", "p95", "p99", "fail", "ratio")
    print(f"{'mix / request':52s} " + " ".join(f"{c:>6s}" for c in columns))
    for mix in mixes:
        for name, row in results[mix].items():
            label = f"{mix} (all)" if name == "Aggregated" else f"  {name}"
            rps = float(row["Requests/s"])
            ratio = f"{rps / floor:6.2f}" if name == "Aggregated" else ""
            print(
                f"{label[:52]:52s} {rps:6.1f} {rps / cores:6.1f} {row['50%']:>6s} {row['95%']:>6s} "
                f"{row['99%']:>6s} {row['Failure Count']:>6s} {ratio:>6s}"
            )
    print("latencies in ms; ratio = the mix's requests/s over the floor's in the same run")


if __name__ == "__main__":
    main()

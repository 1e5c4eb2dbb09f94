"""Benchmark: the open interfaces at scale.

    DATABASE_URL=postgres://fyren:fyren@127.0.0.1:5432/fyren_bench .venv/bin/python bench/api.py \
        [--observations 600000] [--patients 20000] [--seconds 10] [--searches 400]

Loads the demo, then adds P patients in care at Psykiatrimottagning Hamnen, each
in a program, and completed questionnaires with a total score until there are N
Observations (one per score), all written in bulk. Then, under gunicorn (2 sync
workers, connections reused, 8 client threads on the same machine):

1. authenticated reads per second and per core of the REST API
   (`/api/v1/me/bookings`, a citizen's token) and the FHIR server
   (`/fhir/Observation?patient=…`, the unit's record system), next to the floor
   measured in the same run: the anonymous start page (no database, no token);
2. FHIR search latency, one client, S searches for a random patient's
   Observations (`_count=50`): p50 and p95, next to the floor of the same rows
   read with one raw SQL query per search.

The database named must exist and be empty or hold a previous bench run.
"""

import argparse
import datetime as dt
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import django_with_demo  # noqa: E402
from serving import PORT, load, serve  # noqa: E402

DEFINITION = {
    "code": "phq9",
    "version": "1",
    "name": {"en": "PHQ-9"},
    "items": [],
    "scoring": {"loinc": {"total": "44261-6"}},
}


def _number(i: int) -> str:
    """Twelve digits, unique for up to 500,000 patients (the serial's thousands move the year)."""
    return f"{1950 + (i // 1000) % 50}{(i // 100) % 12 + 1:02d}{i % 28 + 1:02d}{i % 10000:04d}"


def populate(observations: int, patients: int) -> list[int]:
    from django.db import connection, transaction
    from django.utils import timezone

    from fyren.care.models import CareRelation, Enrolment
    from fyren.organisations.models import CareUnit
    from fyren.people.models import Citizen
    from fyren.programs.models import ProgramVersion
    from fyren.questionnaires.models import Response

    hamnen = CareUnit.objects.get(name="Psykiatrimottagning Hamnen")
    have = Response.objects.filter(instrument_code="phq9", enrolment__unit=hamnen).count()
    if have >= observations:
        return list(Citizen.objects.filter(family_name="Bench").values_list("pk", flat=True))
    version = ProgramVersion.objects.filter(status="published", program__owner=hamnen.region).first()
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        citizens = Citizen.objects.bulk_create(
            [
                Citizen(
                    identity_number=_number(i),
                    identity_kind="personnummer",
                    birth_date=dt.date(1950 + i % 50, i % 12 + 1, i % 28 + 1),
                    legal_sex="F" if i % 2 else "M",
                    given_name="Patient",
                    family_name="Bench",
                )
                for i in range(patients)
            ],
            batch_size=2000,
        )
        CareRelation.objects.bulk_create(
            [CareRelation(citizen=c, unit=hamnen, reason="bench") for c in citizens], batch_size=2000
        )
        enrolments = Enrolment.objects.bulk_create(
            [Enrolment(citizen=c, program_version=version, unit=hamnen, started_at=now) for c in citizens],
            batch_size=2000,
        )
    per = observations // patients
    batch = []
    for n, enrolment in enumerate(enrolments):
        for k in range(per):
            at = now - dt.timedelta(days=7 * k)
            batch.append(
                Response(
                    citizen_id=enrolment.citizen_id,
                    enrolment=enrolment,
                    instrument_code="phq9",
                    definition=DEFINITION,
                    status="completed",
                    scores={"total": (n + k) % 28},
                    created_at=at,
                    submitted_at=at,
                )
            )
        if len(batch) >= 20000:
            Response.objects.bulk_create(batch, batch_size=5000)
            batch = []
    Response.objects.bulk_create(batch, batch_size=5000)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    print(f"populated {patients} patients, {per * patients} observations in {time.perf_counter() - started:.0f} s")
    return [c.pk for c in citizens]


def tokens():
    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application

    from fyren.people.models import Citizen

    journal = Application.objects.get(client_id="hamnen-journal")
    app = Application.objects.get(client_id="fyren-app")
    expires = timezone.now() + dt.timedelta(hours=2)
    system = AccessToken.objects.create(
        application=journal, token=secrets.token_urlsafe(24), expires=expires, scope="system/*.rs"
    )
    sara = Citizen.objects.get(given_name="Sara", family_name="Nilsson")
    citizen = AccessToken.objects.create(
        user=sara.user, application=app, token=secrets.token_urlsafe(24), expires=expires, scope="patient/*.rs"
    )
    return system.token, citizen.token


def search_latencies(token: str, patients: list[int], searches: int) -> list[float]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    out = []
    for _ in range(searches):
        patient = random.choice(patients)
        started = time.perf_counter()
        conn.request(
            "GET", f"/fhir/Observation?patient={patient}&_count=50", headers={"Authorization": f"Bearer {token}"}
        )
        response = conn.getresponse()
        body = response.read()
        assert response.status == 200 and b'"Observation"' in body, (response.status, body[:200])
        out.append((time.perf_counter() - started) * 1000)
    return out


def floor_latencies(patients: list[int], searches: int) -> list[float]:
    from django.db import connection

    out = []
    with connection.cursor() as cursor:
        for _ in range(searches):
            patient = random.choice(patients)
            started = time.perf_counter()
            cursor.execute(
                "SELECT id, scores, submitted_at FROM questionnaires_response "
                "WHERE citizen_id = %s AND status = 'completed' ORDER BY id LIMIT 51",
                [patient],
            )
            cursor.fetchall()
            out.append((time.perf_counter() - started) * 1000)
    return out


def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--observations", type=int, default=600_000)
    parser.add_argument("--patients", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--searches", type=int, default=400)
    args = parser.parse_args()
    os.environ.setdefault("FYREN_DEMO", "1")
    django_with_demo()
    from django.db import connection

    patients = populate(args.observations, args.patients)
    system, citizen = tokens()
    connection.close()
    cores = os.cpu_count() or 1
    print(f"database: {os.environ.get('DATABASE_URL')}; {cores} cores; 2 gunicorn workers; 8 client threads")
    server = serve(60, FYREN_API_RATE="1000000/min")
    try:
        one = random.choice(patients)
        fhir_path = f"/fhir/Observation?patient={one}&_count=20"
        load(fhir_path, "", 2, headers={"Authorization": f"Bearer {system}"})  # warm up
        floor_rps, floor_p50 = load("/", "", args.seconds)
        rest_rps, rest_p50 = load(
            "/api/v1/me/bookings", "", args.seconds, headers={"Authorization": f"Bearer {citizen}"}
        )
        fhir_rps, fhir_p50 = load(fhir_path, "", args.seconds, headers={"Authorization": f"Bearer {system}"})
        latencies = search_latencies(system, patients, args.searches)
    finally:
        server.terminate()
        server.wait()
    floor = floor_latencies(patients, args.searches)
    print(
        f"floor / (anonymous, no database): {floor_rps:7.1f} req/s, {floor_rps / cores:6.1f} per core "
        f"(p50 {floor_p50:.1f} ms)"
    )
    print(
        f"REST /api/v1/me/bookings:          {rest_rps:7.1f} req/s, {rest_rps / cores:6.1f} per core "
        f"(p50 {rest_p50:.1f} ms) | ratio to floor {rest_rps / floor_rps:.2f}"
    )
    print(
        f"FHIR Observation?patient (20):     {fhir_rps:7.1f} req/s, {fhir_rps / cores:6.1f} per core "
        f"(p50 {fhir_p50:.1f} ms) | ratio to floor {fhir_rps / floor_rps:.2f}"
    )
    print(
        f"FHIR search, {args.searches} random patients, _count=50: p50 {statistics.median(latencies):.1f} ms, "
        f"p95 {p95(latencies):.1f} ms | raw SQL floor p50 {statistics.median(floor):.2f} ms, p95 {p95(floor):.2f} ms"
    )


if __name__ == "__main__":
    main()

"""Benchmark: the clinician's pages with many patients.

Usage: .venv/bin/python bench/dashboard.py [--patients 2000] [--runs 5]
Loads the demo, adds N enrolled patients at Hamnen (two PHQ-9 answers, a
waiting message and a flag each), then renders the dashboard, the inbox and the
flag list as anna.lind. Uses a throw-away SQLite database unless DATABASE_URL
is set (then it must be an empty database it may migrate). Prints the median
time, queries and peak Python memory per page; asserts nothing.
"""

import argparse
import statistics
import time
import tracemalloc
import uuid

from common import django_with_demo, staff_client


def add_patients(unit, version, n, prefix="bench", start=0):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from fyren.care.models import CareRelation, Enrolment
    from fyren.flags.models import Flag
    from fyren.messaging.models import Message, Thread
    from fyren.people.models import Citizen
    from fyren.questionnaires.models import Response

    now = timezone.now()
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"{prefix}{i}", kind="citizen") for i in range(n)
    )
    citizens = Citizen.objects.bulk_create(
        Citizen(
            user=user,
            identity_number=f"{1900 + (i // 10000) % 100}0131{i % 10000:04d}",  # 31 January: no generated person has it
            given_name="Test",
            family_name=f"Patient {i:05d}",
            birth_date=f"19{50 + i % 50:02d}-01-01",
            legal_sex="F" if i % 2 else "M",
        )
        for i, user in enumerate(users, start=start)
    )
    CareRelation.objects.bulk_create(CareRelation(citizen=c, unit=unit) for c in citizens)
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(citizen=c, program_version=version, unit=unit) for c in citizens
    )
    Response.objects.bulk_create(
        Response(
            citizen=e.citizen,
            enrolment=e,
            instrument_code="phq9",
            definition={},
            status="completed",
            scores={"total": total},
            submitted_at=now,
            client_token=uuid.uuid4(),
        )
        for e in enrolments
        for total in (14, 9)
    )
    threads = Thread.objects.bulk_create(
        Thread(citizen=e.citizen, unit=unit, enrolment=e, waiting_since=now, last_message_at=now) for e in enrolments
    )
    Message.objects.bulk_create(
        Message(thread=t, sender=t.citizen.user, from_citizen=True, body="Hej", status="sent", sent_at=now)
        for t in threads
    )
    Flag.objects.bulk_create(
        Flag(kind="inactivity", citizen=e.citizen, unit=unit, enrolment=e, urgent=i % 100 == 0)
        for i, e in enumerate(enrolments)
    )
    # Bulk inserts bypass the services: the kept summary is computed once, as the generator does.
    from fyren.care.summary import summaries_refresh_all

    summaries_refresh_all(Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    django_with_demo()
    from django.db import connection, reset_queries
    from django.test.utils import override_settings

    from fyren.care.models import Enrolment

    sara_enrolment = Enrolment.objects.select_related("unit", "program_version").first()
    unit, version = sara_enrolment.unit, sara_enrolment.program_version
    start = time.perf_counter()
    add_patients(unit, version, args.patients)
    print(f"{args.patients} patients added in {time.perf_counter() - start:.1f} s")

    client = staff_client("anna.lind")
    pages = {
        "dashboard, whole unit": f"/clinic/{unit.pk}/?scope=unit",
        "dashboard, mine": f"/clinic/{unit.pk}/",
        "messages waiting": f"/clinic/{unit.pk}/inbox/",
        "flags": f"/clinic/{unit.pk}/flags/",
        "an enrolment": f"/clinic/{unit.pk}/enrolments/{sara_enrolment.pk}/",
    }
    with override_settings(DEBUG=True):
        for label, url in pages.items():
            times, queries = [], 0
            for _ in range(args.runs):
                reset_queries()
                began = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - began)
                queries = len(connection.queries)
                assert response.status_code == 200, (url, response.status_code)
            # One more run for memory: tracing slows Python down, so it is not timed.
            tracemalloc.start()
            client.get(url)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            print(
                f"{label:24s} median {statistics.median(times) * 1000:7.0f} ms  "
                f"{queries:3d} queries  peak {peak / 2**20:6.1f} MiB  {len(response.content) / 1024:6.0f} KiB"
            )


if __name__ == "__main__":
    main()

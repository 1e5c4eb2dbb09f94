"""Benchmark: access-log writes and chain verification.

Usage: .venv/bin/python bench/access_log.py [--entries 2000]
Uses a throw-away SQLite database unless DATABASE_URL is set (then it must be an
empty database it may migrate). Prints figures; asserts nothing.
"""

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=2000)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from fyren.accounts.models import User
    from fyren.audit.services import access_log_write, access_log_write_many
    from fyren.audit.verify import verify_access_log
    from fyren.demo.loader import load_demo_data
    from fyren.organisations.models import CareUnit
    from fyren.people.models import Citizen

    load_demo_data()
    actor = User.objects.get(username="anna.lind")
    unit = CareUnit.objects.order_by("pk").first()
    citizens = list(Citizen.objects.all())
    n = args.entries

    start = time.perf_counter()
    for i in range(n):
        access_log_write(
            actor=actor,
            citizen=citizens[i % len(citizens)],
            action="read",
            object_type="citizen",
            unit=unit,
            role="clinician",
        )
    single = time.perf_counter() - start

    # 200 different citizens, as on a list page (one page view logs each citizen once).
    from fyren.demo.identities import personnummer

    batch = Citizen.objects.bulk_create(
        Citizen(
            identity_number=personnummer(dt.date(1960, 1, 1) + dt.timedelta(days=i), "123"),
            identity_kind="personal",
            birth_date=dt.date(1960, 1, 1) + dt.timedelta(days=i),
            legal_sex="M",
            given_name="Bench",
            family_name=str(i),
        )
        for i in range(200)
    )
    rounds = max(1, n // 200)
    start = time.perf_counter()
    for _ in range(rounds):
        access_log_write_many(
            actor=actor, citizens=batch, action="read", object_type="patient_list", unit=unit, role="clinician"
        )
    bulk = time.perf_counter() - start

    start = time.perf_counter()
    report = verify_access_log()
    verify = time.perf_counter() - start
    assert report.ok, report.problems

    print(f"database: {connection.vendor}")
    print(
        f"single writes: {n} entries in {single:.2f} s = {n / single:,.0f} entries/s ({single / n * 1000:.2f} ms each)"
    )
    print(f"list writes (200 per call): {rounds * 200} entries in {bulk:.2f} s = {rounds * 200 / bulk:,.0f} entries/s")
    print(f"verify: {report.checked} entries in {verify:.2f} s = {report.checked / verify:,.0f} entries/s")


if __name__ == "__main__":
    main()

"""Benchmark: access-log writes and chain verification.

Usage: .venv/bin/python bench/access_log.py [--entries 2000] [--writers 1,4,16]
Uses a throw-away SQLite database unless DATABASE_URL is set (then it must be an
empty database it may migrate). Prints figures; asserts only that the chains verify.

With PostgreSQL it also runs W concurrent writers (threads, one connection
each) writing single entries: at W different units (one chain each, as when
many units work at once) and all at one unit (one chain, the old single point
of contention), next to a floor in the same run: the same threads inserting
rows into an unlocked table.
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
    parser.add_argument("--writers", default="1,4,16")
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
    if connection.vendor == "postgresql":
        concurrent(actor, citizens, [int(w) for w in args.writers.split(",")], n)
        report = verify_access_log()
        assert report.ok, report.problems
        print(f"verify after the concurrent writes: {report.checked} entries in {report.chains} chains, intact")


def concurrent(actor, citizens, writer_counts, n):
    """W writer processes (one interpreter and one connection each, as gunicorn's
    workers), each writing n / W single entries."""
    import multiprocessing

    from django.db import connection, connections

    from fyren.organisations.models import CareUnit

    base = CareUnit.objects.order_by("pk").first()
    units = list(CareUnit.objects.order_by("pk"))
    while len(units) < max(writer_counts):
        k = len(units)
        units.append(
            CareUnit.objects.create(
                name=f"Bench unit {k}",
                hsa_id=f"{base.hsa_id[:10]}-B{k:03d}",
                region=base.region,
                valid_from=base.valid_from,
            )
        )
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_floor (id bigserial primary key, at timestamptz, note text)")
    connections.close_all()  # every process opens its own
    context = multiprocessing.get_context("fork")

    def run(writers, kind):
        barrier = context.Barrier(writers + 1)
        procs = [
            context.Process(target=_writer, args=(kind, k, n // writers, barrier, actor.pk, units, citizens))
            for k in range(writers)
        ]
        for proc in procs:
            proc.start()
        barrier.wait()
        started = time.perf_counter()
        for proc in procs:
            proc.join()
        return (n // writers) * writers / (time.perf_counter() - started)

    print("concurrent single writes (entries/s): writers | at different units | all at one unit | floor (raw INSERT)")
    for writers in writer_counts:
        spread, same, raw = run(writers, "spread"), run(writers, "same"), run(writers, "floor")
        print(f"  {writers:>2} | {spread:8,.0f} | {same:8,.0f} | {raw:8,.0f} (ratio {spread / raw:.2f})")


def _writer(kind, k, count, barrier, actor_id, units, citizens):
    from django.db import connection, connections

    from fyren.accounts.models import User
    from fyren.audit.services import access_log_write

    actor = User.objects.get(pk=actor_id)
    barrier.wait()
    for i in range(count):
        if kind == "floor":
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO bench_floor (at, note) VALUES (now(), %s)", [f"{k}-{i}"])
        else:
            unit = units[k] if kind == "spread" else units[0]
            access_log_write(
                actor=actor,
                citizen=citizens[i % len(citizens)],
                action="read",
                object_type="citizen",
                unit=unit,
                role="clinician",
            )
    connections.close_all()


if __name__ == "__main__":
    main()

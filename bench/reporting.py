"""Benchmark: importing treatment records and running the national report.

    DATABASE_URL=postgres://fyren:fyren@127.0.0.1:5432/fyren_bench .venv/bin/python bench/reporting.py \
        [--rows 1000000] [--runs 3]

Loads the demo, writes a CSV of N treatment records (21 regions, every kind,
completed over one year) in memory and imports it through ``treatments_import``
(every row checked, then COPY and one INSERT … ON CONFLICT on PostgreSQL),
next to a floor in the same run: a raw COPY of the same CSV into an unindexed
table. Imports the same file again (all rows unchanged). Then times the
national report for the year (tables 1–7) against the same aggregation as one
raw SQL query, and prints the ratios. Asserts nothing about time.
"""

import argparse
import datetime as dt
import io
import random
import statistics
import time

from common import django_with_demo

KINDS = ("MMR1", "MMR2", "BEHAVIOURAL_MEDICINE", "ACTIVE_TRAINING", "OTHER_PAIN")
KINDS += ("KBT", "IKBT", "IPT", "PDT", "EMDR", "OTHER_PSYCH")
HEADER = (
    "record_id,region_code,unit_hsa_id,provider,kind,sex,age,started_on,completed_on,sessions,"
    "employer_contact_on,employment_service_contact_on\n"
)


def make_csv(n: int, year: int) -> bytes:
    from fyren.organisations.counties import COUNTIES

    rng = random.Random(1)
    codes = list(COUNTIES)
    first = dt.date(year, 1, 1)
    out = io.StringIO()
    out.write(HEADER)
    for i in range(n):
        completed = first + dt.timedelta(days=rng.randrange(365))
        started = completed - dt.timedelta(days=rng.randrange(20, 200))
        employer = (completed - dt.timedelta(days=9)).isoformat() if i % 40 == 0 else ""
        out.write(
            f"b{i},{codes[i % 21]},,{'private' if i % 3 else 'public'},{KINDS[i % 11]},{'F' if i % 10 < 7 else 'M'},"
            f"{18 + i % 49},{started.isoformat()},{completed.isoformat()},{4 + i % 12},{employer},\n"
        )
    return out.getvalue().encode()


def copy_floor(data: bytes) -> float:
    from django.db import connection, transaction

    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE floor_in (record_id text, region_code text, unit_hsa_id text, provider text,"
            " kind text, sex text, age smallint, started_on date, completed_on date, sessions smallint,"
            " employer_contact_on date, employment_service_contact_on date) ON COMMIT DROP"
        )
        with cursor.cursor.copy("COPY floor_in FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            copy.write(data)
    return time.perf_counter() - began


FLOOR_SQL = (
    "SELECT region_code, kind, sex, provider, count(*) FROM reporting_treatment"
    " WHERE completed_on >= %s AND completed_on <= %s AND age >= 16 AND age <= 67"
    " GROUP BY region_code, kind, sex, provider"
)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    django_with_demo()
    from django.db import connection
    from django.utils import timezone

    from fyren.reporting.national import default_rules
    from fyren.reporting.selectors import national_report
    from fyren.reporting.services import treatments_import

    year = timezone.localdate().year - 1
    data = make_csv(args.rows, year)
    print(f"database: {connection.vendor}; {args.rows:,} rows, {len(data) / 1e6:.0f} MB")
    floor = copy_floor(data) if connection.vendor == "postgresql" else None

    began = time.perf_counter()
    run = treatments_import(actor=None, data=data, filename="bench.csv", source="bench")
    first = time.perf_counter() - began
    began = time.perf_counter()
    again = treatments_import(actor=None, data=data, filename="bench.csv", source="bench")
    second = time.perf_counter() - began
    assert run.created == args.rows and again.unchanged == args.rows, (run.created, again.unchanged)
    print(f"import (all new): {first:.1f} s ({args.rows / first:,.0f} rows/s)")
    print(f"import again (all unchanged): {second:.1f} s")
    if floor is not None:
        print(f"floor (raw COPY of the CSV, no checks, no indexes): {floor:.1f} s; ratio {first / floor:.1f}")

    rules = default_rules(year)
    report, raw = [], []
    for _ in range(args.runs):
        began = time.perf_counter()
        national_report(rules, [year])
        report.append(time.perf_counter() - began)
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, [dt.date(year, 1, 1), dt.date(year, 12, 31)])
            cursor.fetchall()
        raw.append(time.perf_counter() - began)
    r, f = statistics.median(report), statistics.median(raw)
    print(f"national report {year} (tables 1–7): {r * 1000:.0f} ms; floor (one raw GROUP BY): {f * 1000:.0f} ms;")
    print(f"ratio {r / f:.2f} (median of {args.runs})")


if __name__ == "__main__":
    main()

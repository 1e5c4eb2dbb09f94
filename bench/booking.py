"""Benchmark: booking throughput under contention.

    DATABASE_URL=postgres://fyren:fyren@127.0.0.1:5432/fyren_bench .venv/bin/python bench/booking.py \
        [--threads 8] [--slots 600]

Loads the demo, publishes N web-bookable times at Vårdcentralen Fyrbacken and
lets T citizens (threads, one database connection each) race for them: every
thread walks the same times in the same order and books each through
``booking_make`` as a citizen would; the loser of each race is told "taken" by
the database's one-holding-booking constraint and moves on. Prints bookings/s
and attempts/s, and the same race as the floor in the same run: raw SQL
``INSERT … ON CONFLICT DO NOTHING`` of a booking row per time (no checks, no
log, no audit). Ends by checking that no time was booked twice. The database
named must exist and be empty or hold a previous bench run (SQLite works too
but serialises every writer, so it is no measure of contention).
"""

import argparse
import datetime as dt
import threading
import time

from common import django_with_demo


def publish(n: int, start: dt.datetime):
    from fyren.accounts.models import User
    from fyren.booking import schedule_services, services
    from fyren.organisations.models import CareUnit

    unit = CareUnit.objects.get(name="Vårdcentralen Fyrbacken")
    admin = next(u for u in User.objects.filter(kind="staff") if services.care_role(u, unit))
    schedule = schedule_services.schedule_save(actor=admin, unit=unit, kind="room", title=f"Bench {start:%H%M%S}")
    return unit, [
        schedule_services.slot_add(
            actor=admin,
            schedule=schedule,
            starts_at=start + dt.timedelta(minutes=15 * i),
            minutes=15,
            visit_kind="at_unit",
            audience="listed",
        )
        for i in range(n)
    ]


def citizens(unit, n: int):
    from fyren.care.models import CareRelation
    from fyren.people.services import citizen_create

    made = []
    for i in range(n):
        # Test personal identity numbers of the 1990s (valid check digit computed).
        digits = f"1990{(i % 12) + 1:02d}{(i % 28) + 1:02d}{900 + i:03d}"
        citizen = citizen_create(
            actor=None, identity_number=digits + _check(digits[2:]), given_name="Bench", family_name=str(i)
        )
        CareRelation.objects.create(citizen=citizen, unit=unit, reason="bench")
        made.append(citizen)
    return made


def _check(nine: str) -> str:
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def race(slots, people, attempt) -> tuple[float, int, int]:
    """Every thread tries every time in the same order; returns (seconds, won, lost)."""
    from django.db import connections

    barrier = threading.Barrier(len(people))
    won, lost = [0] * len(people), [0] * len(people)

    def run(k, citizen):
        barrier.wait()
        for slot in slots:
            if attempt(citizen, slot):
                won[k] += 1
            else:
                lost[k] += 1
        connections.close_all()

    threads = [threading.Thread(target=run, args=(k, c)) for k, c in enumerate(people)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - began, sum(won), sum(lost)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--slots", type=int, default=600)
    args = parser.parse_args()
    django_with_demo()
    from django.core.exceptions import ValidationError
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from fyren.booking.models import Booking
    from fyren.booking.services import booking_make

    start = timezone.now() + dt.timedelta(days=30)
    unit, slots = publish(args.slots, start)
    people = citizens(unit, args.threads)

    def with_service(citizen, slot):
        try:
            booking_make(actor=citizen.user, citizen=citizen, slot=slot)
            return True
        except ValidationError:
            return False

    seconds, won, lost = race(slots, people, with_service)

    _, floor_slots = publish(args.slots, start + dt.timedelta(days=60))
    assert Booking._meta.db_table == "booking_booking"
    sql = (
        "INSERT INTO booking_booking (slot_id, citizen_id, unit_id, status, reason, waiting_since, created_at,"
        " answered_at, patient_choice, end_reason, video_room)"
        " VALUES (%s, %s, %s, 'booked', '', %s, %s, %s, false, '', '') ON CONFLICT DO NOTHING"
    )

    def with_sql(citizen, slot):
        from django.db import connection as conn

        now = timezone.now()
        with conn.cursor() as cursor:
            cursor.execute(sql, [slot.pk, citizen.pk, unit.pk, now, now, now])
            return cursor.rowcount == 1

    floor_seconds, floor_won, floor_lost = race(floor_slots, people, with_sql)

    doubles = (
        Booking.objects.filter(status__in=Booking.HOLDING)
        .values("slot_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    print(f"database: {connection.vendor}; {args.threads} threads racing for {args.slots} times")
    print(
        f"booking_make: {won / seconds:,.0f} bookings/s, {(won + lost) / seconds:,.0f} attempts/s"
        f" ({won} booked, {lost} refused as taken, {seconds:.2f} s)"
    )
    print(
        f"floor (raw INSERT … ON CONFLICT): {floor_won / floor_seconds:,.0f} bookings/s,"
        f" {(floor_won + floor_lost) / floor_seconds:,.0f} attempts/s"
    )
    print(f"ratio (floor / service, bookings/s): {(floor_won / floor_seconds) / (won / seconds):.1f}")
    print(f"times held by two bookings: {doubles}")
    assert won == len(slots) and floor_won == len(floor_slots), "every time is booked exactly once"


if __name__ == "__main__":
    main()

"""The national data generator (#18): Sweden's load in a database a benchmark can reuse.

    DATABASE_URL=postgres://fyren:fyren@127.0.0.1:5432/fyren_national .venv/bin/python bench/national.py [--scale 1]

At scale 1: 21 regions, 300 care units, 3,000 staff (clinicians), 60,000 open
and 240,000 ended enrolments (one citizen each; the open ones in care at their
unit), a conversation per enrolment with 600,000 messages, 1,200,000 answered
questionnaires (a PHQ-9 total each), an open flag on every twentieth open
enrolment, a booked visit for every second open enrolment, and a patient
contract with a plan, a goal, two activities and a fixed care contact for
every tenth. `--scale 10`
makes ten times as many units, staff, citizens and rows. Everything is written
with bulk inserts on top of the demo (which gives the published program);
running it again on a loaded database adds nothing. Prints the time per table
and in all.
"""

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import django_with_demo  # noqa: E402

BATCH = 5000
DEFINITION = {
    "code": "phq9",
    "version": "1",
    "name": {"en": "PHQ-9"},
    "items": [],
    "scoring": {"loinc": {"total": "44261-6"}},
}


def timed(label):
    class Timer:
        def __enter__(self):
            self.started = time.perf_counter()

        def __exit__(self, *exc):
            print(f"  {label}: {time.perf_counter() - self.started:.1f} s")

    return Timer()


def identity(i: int) -> str:
    """Twelve digits, unique for up to 5,000,000 people (the serial's ten-thousands move the year)."""
    return f"{1940 + (i // 10000) % 60}{(i // 100) % 12 + 1:02d}{i % 28 + 1:02d}{i % 10000:04d}"


def generate(scale: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from fyren.accounts.models import RoleAssignment, User
    from fyren.booking.models import Booking, Schedule, Slot
    from fyren.care.models import CareRelation, Enrolment
    from fyren.care.summary import summaries_refresh_all
    from fyren.careplans.models import Activity, Contract, FixedContact, Goal, Participant, Plan, Revision
    from fyren.flags.models import Flag
    from fyren.messaging.models import Message, Thread
    from fyren.organisations.counties import COUNTIES
    from fyren.organisations.models import CareUnit, Region
    from fyren.people.models import Citizen
    from fyren.programs.models import ProgramVersion
    from fyren.questionnaires.models import Response

    if Region.objects.filter(name__startswith="Nationell region").exists():
        print("already generated; nothing added")
        return
    now = timezone.now()
    version = ProgramVersion.objects.filter(status="published").order_by("pk").first()
    units_per_region = 300 * scale // 21 + 1
    with transaction.atomic():
        with timed("regions and units"):
            used = set(Region.objects.values_list("county_code", flat=True))
            codes = [c for c in sorted(COUNTIES) if c not in used]  # the demo's regions keep theirs
            codes += [""] * (21 - len(codes))
            regions = Region.objects.bulk_create(
                [
                    Region(name=f"Nationell region {n + 1}", organisation_number=f"2321{n:06d}", county_code=code)
                    for n, code in enumerate(codes[:21])
                ]
            )
            units = CareUnit.objects.bulk_create(
                [
                    CareUnit(
                        name=f"Enhet {n + 1}-{k}",
                        hsa_id=f"SE2321{n:06d}-N{n:02d}{k:05d}",
                        region=r,
                        valid_from=dt.date(2020, 1, 1),
                    )
                    for n, r in enumerate(regions)
                    for k in range(units_per_region)
                ][: 300 * scale],
                batch_size=BATCH,
            )
        with timed("staff"):
            staff = User.objects.bulk_create(
                [
                    User(username=f"national-staff-{i}", kind=User.Kind.STAFF, first_name="Kliniker", last_name=str(i))
                    for i in range(3000 * scale)
                ],
                batch_size=BATCH,
            )
            RoleAssignment.objects.bulk_create(
                [RoleAssignment(user=u, role="clinician", unit=units[i % len(units)]) for i, u in enumerate(staff)],
                batch_size=BATCH,
            )
        people = 300_000 * scale
        with timed(f"{people:,} citizens"):
            citizens = Citizen.objects.bulk_create(
                (
                    Citizen(
                        identity_number=identity(i + 1_000_000),
                        identity_kind=Citizen.Kind.PERSONAL,
                        birth_date=dt.date(1940 + (i // 10000) % 60, (i // 100) % 12 + 1, i % 28 + 1),
                        legal_sex="F" if i % 2 else "M",
                        given_name="Invånare",
                        family_name=str(i),
                    )
                    for i in range(people)
                ),
                batch_size=BATCH,
            )
        open_count = 60_000 * scale
        with timed("enrolments and care relations"):
            enrolments = Enrolment.objects.bulk_create(
                (
                    Enrolment(
                        citizen=c,
                        program_version=version,
                        unit=units[i % len(units)],
                        status="active" if i < open_count else "completed",
                        started_at=now - dt.timedelta(days=20 + i % 300),
                        last_activity_at=now - dt.timedelta(hours=1),  # the citizen's message below
                        ended_at=None if i < open_count else now - dt.timedelta(days=i % 200),
                    )
                    for i, c in enumerate(citizens)
                ),
                batch_size=BATCH,
            )
            CareRelation.objects.bulk_create(
                (
                    CareRelation(citizen_id=e.citizen_id, unit=e.unit, reason="national")
                    for e in enrolments[:open_count]
                ),
                batch_size=BATCH,
            )
        del citizens  # at scale 10, millions of objects: keep only what later steps read
        with timed("conversations and 2 messages each"):
            # A chunk of enrolments at a time, so that scale 10 fits in memory.
            for start in range(0, len(enrolments), 20 * BATCH):
                threads = Thread.objects.bulk_create(
                    [
                        Thread(citizen_id=e.citizen_id, unit=e.unit, enrolment=e, last_message_at=now)
                        for e in enrolments[start : start + 20 * BATCH]
                    ],
                    batch_size=BATCH,
                )
                Message.objects.bulk_create(
                    [
                        Message(
                            thread=t,
                            sender=staff[(start + n) % len(staff)] if k == 0 else None,
                            from_citizen=k == 1,
                            body="Hej!" if k == 0 else "Tack!",
                            status="sent",
                            sent_at=now - dt.timedelta(hours=k),
                        )
                        for n, t in enumerate(threads)
                        for k in range(2)
                    ],
                    batch_size=BATCH,
                )
            del threads
        with timed("questionnaires, 4 per enrolment"):
            batch = []
            for n, e in enumerate(enrolments):
                for k in range(4):
                    at = e.started_at + dt.timedelta(days=7 * k)
                    batch.append(
                        Response(
                            citizen_id=e.citizen_id,
                            enrolment=e,
                            instrument_code="phq9",
                            definition=DEFINITION,
                            status="completed",
                            scores={"total": (n + k) % 28},
                            created_at=at,
                            submitted_at=at,
                        )
                    )
                if len(batch) >= 4 * BATCH:
                    Response.objects.bulk_create(batch, batch_size=BATCH)
                    batch = []
            Response.objects.bulk_create(batch, batch_size=BATCH)
        with timed("flags and booked visits"):
            Flag.objects.bulk_create(
                (
                    Flag(
                        kind="inactivity",
                        citizen_id=e.citizen_id,
                        unit=e.unit,
                        enrolment=e,
                        message={"sv": "Inaktiv", "en": "Inactive"},
                        source_type="national",
                        source_id=str(e.pk),
                    )
                    for e in enrolments[:open_count:20]
                ),
                batch_size=BATCH,
            )
            schedules = Schedule.objects.bulk_create(
                [Schedule(unit=u, kind="room", title="Mottagning") for u in units], batch_size=BATCH
            )
            start = now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
            per_unit = open_count // 2 // len(units) + 1
            slots = Slot.objects.bulk_create(
                (
                    Slot(
                        schedule=s,
                        starts_at=start + dt.timedelta(minutes=30 * k),
                        ends_at=start + dt.timedelta(minutes=30 * k + 30),
                        visit_kind="at_unit",
                    )
                    for s in schedules
                    for k in range(per_unit)
                ),
                batch_size=BATCH,
            )
            by_unit: dict = {}
            for slot, schedule in zip(slots, (s for s in schedules for _ in range(per_unit)), strict=True):
                by_unit.setdefault(schedule.unit_id, []).append(slot)
            Booking.objects.bulk_create(
                (
                    Booking(
                        slot=by_unit[e.unit_id].pop(),
                        citizen_id=e.citizen_id,
                        unit=e.unit,
                        status="booked",
                        waiting_since=e.started_at,
                    )
                    for n, e in enumerate(enrolments[:open_count])
                    # every second open enrolment: the first half of each run of 600 covers all 300 units
                    if n % 600 < 300 and by_unit.get(e.unit_id)
                ),
                batch_size=BATCH,
            )
        with timed("care plans: a patient contract for every tenth open enrolment"):
            planned = enrolments[:open_count:10]
            staff_at = {}
            for i, u in enumerate(staff):
                staff_at.setdefault(units[i % len(units)].pk, u)
            contracts = Contract.objects.bulk_create(
                (
                    Contract(citizen_id=e.citizen_id, started_unit=e.unit, started_at=e.started_at, revision=1)
                    for e in planned
                ),
                batch_size=BATCH,
            )
            Participant.objects.bulk_create(
                (Participant(contract=c, unit=c.started_unit, status="accepted") for c in contracts), batch_size=BATCH
            )
            FixedContact.objects.bulk_create(
                (
                    FixedContact(
                        contract=c, unit=c.started_unit, person=staff_at[c.started_unit_id], how_to_reach="Meddelande"
                    )
                    for c in contracts
                    if c.started_unit_id in staff_at
                ),
                batch_size=BATCH,
            )
            kinds = ("care", "program", "sip", "min_vardplan", "rehabilitation")
            plans = Plan.objects.bulk_create(
                (
                    Plan(contract=c, unit=c.started_unit, kind=kinds[n % 5], title="Plan", enrolment=e)
                    for n, (c, e) in enumerate(zip(contracts, planned, strict=True))
                ),
                batch_size=BATCH,
            )
            goals = Goal.objects.bulk_create(
                (Goal(contract=p.contract, plan=p, unit=p.unit, text="Sova bättre") for p in plans), batch_size=BATCH
            )
            activities = Activity.objects.bulk_create(
                (
                    Activity(contract=g.contract, plan=g.plan, goal=g, unit=g.unit, what=what, how=how)
                    for g in goals
                    for what, how in (("Samtal", "visit"), ("Sömndagbok", "self_care"))
                ),
                batch_size=BATCH,
            )
            # The first revision: the contract as it stands, in the shape careplans.services.snapshot_of gives.
            names = {u.pk: u.name for u in units}
            by_contract = {c.pk: {"goals": {}, "activities": {}} for c in contracts}
            for g in goals:
                by_contract[g.contract_id]["goals"][str(g.pk)] = {
                    "text": g.text,
                    "unit": names[g.unit_id],
                    "target": "",
                    "status": "active",
                }
            for a in activities:
                by_contract[a.contract_id]["activities"][str(a.pk)] = {
                    "what": a.what,
                    "how": a.how,
                    "unit": names[a.unit_id],
                    "who": "",
                    "when": "",
                    "status": "planned",
                }
            Revision.objects.bulk_create(
                (
                    Revision(
                        contract=p.contract,
                        number=1,
                        unit=p.unit,
                        summary="Planen upprättades",
                        snapshot={
                            "priorities": "",
                            "units": {str(p.unit_id): {"name": names[p.unit_id], "status": "accepted"}},
                            "contacts": {},
                            "plans": {str(p.pk): {"title": p.title, "kind": p.kind, "unit": names[p.unit_id]}},
                            **by_contract[p.contract_id],
                        },
                    )
                    for p in plans
                ),
                batch_size=BATCH,
            )
        with timed("the open enrolments' kept summary (dashboard)"):
            summaries_refresh_all(Enrolment.objects.filter(status="active", unit__region__in=regions))
    if connection.vendor == "postgresql":
        with timed("ANALYZE"), connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    django_with_demo()
    print(f"demo loaded in {time.perf_counter() - started:.0f} s; generating scale {args.scale}:")
    generate(args.scale)
    print(f"in all: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

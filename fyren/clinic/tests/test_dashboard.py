"""The dashboard: my patients and the unit's, filters, sorting, and a fixed number of queries."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import force_login_staff
from fyren.audit.models import AccessLogEntry
from fyren.care.models import Enrolment
from fyren.care.summary import summaries_refresh_all
from fyren.clinic.selectors import dashboard_rows
from fyren.flags.models import Flag
from fyren.messaging.models import Message, Thread
from fyren.questionnaires.models import Response


def add_patients(world, make, n, start=0):
    """``n`` more enrolled patients, each with two PHQ-9 answers, an unread message and a flag."""
    enrolments = []
    for i in range(start, start + n):
        citizen = make.citizen("P", f"Patient{i:03d}")
        enrolments.append(Enrolment(citizen=citizen, program_version=world.version, unit=world.unit))
    Enrolment.objects.bulk_create(enrolments)
    now = timezone.now()
    responses, threads = [], []
    for e in enrolments:
        for total in (12, 8):
            responses.append(
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
            )
        threads.append(Thread(citizen=e.citizen, unit=world.unit, enrolment=e, waiting_since=now))
    Response.objects.bulk_create(responses)
    Thread.objects.bulk_create(threads)
    Message.objects.bulk_create(
        Message(thread=t, sender=t.citizen.user, from_citizen=True, body="Hej", status="sent", sent_at=now)
        for t in threads
    )
    Flag.objects.bulk_create(
        Flag(kind="inactivity", citizen=e.citizen, unit=world.unit, enrolment=e, urgent=i % 10 == 0)
        for i, e in enumerate(enrolments)
    )
    # Rows put in by bulk inserts (as the national generator does) get their kept summary the same way.
    summaries_refresh_all(Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]))
    for e in enrolments:
        e.refresh_from_db()
    return enrolments


def test_the_dashboard_uses_the_same_number_of_queries_for_5_and_200_patients(client, enrolled, make):
    force_login_staff(client, enrolled.clinician)
    url = f"/clinic/{enrolled.unit.pk}/?scope=unit&per_page=200"
    add_patients(enrolled, make, 4)
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        page = client.get(url)
    assert len(page.context["rows"]) == 5
    add_patients(enrolled, make, 195, start=4)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert len(page.context["rows"]) == 200 and page.context["rows"].paginator.count == 200

    # The access-log rows go in with one bulk INSERT, which SQLite's 999-parameter limit splits into
    # batches (PostgreSQL takes them in one); everything else is the same whatever the number of patients.
    # The urgent banner counts its flags only when its ten lines are full (20 of the 200 are urgent).
    def counted(queries):
        return [
            q["sql"]
            for q in queries
            if not q["sql"].startswith('INSERT INTO "audit_accesslogentry"')
            and not q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "clinic_flag"')
        ]

    assert len(counted(many)) == len(counted(few)), "\n".join(q[:150] for q in counted(many))
    assert len(counted(many)) <= 30
    assert len(many) - len(counted(many)) <= 5


def test_rows_show_latest_score_with_trend_unread_count_and_flags(enrolled, make):
    (enrolment,) = add_patients(enrolled, make, 1)
    rows = dashboard_rows(actor=enrolled.clinician, unit=enrolled.unit, mine=False)
    row = next(r for r in rows if r.enrolment.pk == enrolment.pk)
    assert row.scores == [{"code": "phq9", "value": 8, "previous": 12, "change": -4}]
    assert row.enrolment.unread_messages == 1
    assert row.flags[0]["kind"] == "inactivity" and row.urgent
    assert row.module_number == 1
    assert AccessLogEntry.objects.filter(object_type="dashboard", citizen=enrolment.citizen).exists()


def test_each_row_links_the_enrolment_and_its_unread_messages_and_shows_module_and_activity(client, enrolled, make):
    (enrolment,) = add_patients(enrolled, make, 1)
    force_login_staff(client, enrolled.clinician)
    html = client.get(f"/clinic/{enrolled.unit.pk}/?scope=unit&sort=name").content.decode()
    link = f'<a href="/clinic/{enrolled.unit.pk}/enrolments/{enrolment.pk}/">{enrolment.citizen.full_name}</a>'
    row = html[html.index(link) :]
    row = row[: row.index("</tr>")]
    assert f'href="/clinic/{enrolled.unit.pk}/enrolments/{enrolment.pk}/messages/">1<' in row
    assert "<td>1 av 1</td>" in row  # module 1 of the program's one
    assert f"<td>{timezone.localdate().isoformat()}</td>" in row
    assert f"<td>{enrolled.version.display_title}</td>" in row


def test_my_patients_are_those_i_am_responsible_for(enrolled, make):
    (other,) = add_patients(enrolled, make, 1)
    mine = dashboard_rows(actor=enrolled.clinician, unit=enrolled.unit, mine=True)
    # Nobody is named on the other enrolment, so it goes to every clinician; the fixture's is named.
    assert {r.enrolment.pk for r in mine} == {enrolled.enrolment.pk, other.pk}
    colleague = make.staff("colleague", ("clinician", enrolled.unit))
    theirs = dashboard_rows(actor=colleague, unit=enrolled.unit, mine=True)
    assert {r.enrolment.pk for r in theirs} == {other.pk}


def test_filters_and_sorting(enrolled, make):
    add_patients(enrolled, make, 3)
    by_flag = dashboard_rows(actor=enrolled.clinician, unit=enrolled.unit, mine=False, flag_kind="inactivity")
    assert len(by_flag) == 3
    assert (
        list(dashboard_rows(actor=enrolled.clinician, unit=enrolled.unit, mine=False, flag_kind="urgent_message")) == []
    )
    assert len(dashboard_rows(actor=enrolled.clinician, unit=enrolled.unit, mine=False, module=1)) == 4
    assert list(dashboard_rows(actor=enrolled.clinician, unit=enrolled.unit, mine=False, module=9)) == []
    by_name = dashboard_rows(actor=enrolled.clinician, unit=enrolled.unit, mine=False, sort="name")
    names = [r.enrolment.citizen.family_name for r in by_name]
    assert names == sorted(names, key=str.casefold)
    flagged_first = dashboard_rows(actor=enrolled.clinician, unit=enrolled.unit, mine=False)
    assert flagged_first[0].urgent
    program = dashboard_rows(
        actor=enrolled.clinician, unit=enrolled.unit, mine=False, program_id=enrolled.version.program_id
    )
    assert len(program) == 4


@pytest.mark.parametrize("query", ["", "?scope=unit&sort=activity&flag=any&module=1", "?sort=bogus&module=x"])
def test_the_dashboard_page_renders_with_any_filter(client, enrolled, query):
    force_login_staff(client, enrolled.clinician)
    assert client.get(f"/clinic/{enrolled.unit.pk}/{query}").status_code == 200


def test_an_outsider_and_a_non_clinician_get_404(client, enrolled):
    force_login_staff(client, enrolled.outsider)
    assert client.get(f"/clinic/{enrolled.unit.pk}/").status_code == 404
    force_login_staff(client, enrolled.access_admin)
    assert client.get(f"/clinic/{enrolled.unit.pk}/").status_code == 404


def test_the_dashboard_shows_a_page_at_a_time_and_logs_only_what_it_shows(client, enrolled, make):
    add_patients(enrolled, make, 30)
    force_login_staff(client, enrolled.clinician)
    before = AccessLogEntry.objects.filter(object_type="dashboard").count()
    first = client.get(f"/clinic/{enrolled.unit.pk}/?scope=unit&sort=name&per_page=25")
    assert len(first.context["rows"]) == 25 and first.context["rows"].paginator.count == 31
    assert AccessLogEntry.objects.filter(object_type="dashboard").count() - before == 25
    second = client.get(f"/clinic/{enrolled.unit.pk}/?scope=unit&sort=name&per_page=25&page=2")
    assert len(second.context["rows"]) == 6
    names = {r.enrolment.pk for r in first.context["rows"]} | {r.enrolment.pk for r in second.context["rows"]}
    assert len(names) == 31
    assert "page=2" in first.content.decode()


@pytest.mark.parametrize("sort", ["flags", "activity", "name", "module", "program"])
def test_every_order_is_the_databases_and_pages_neither_overlap_nor_skip(enrolled, make, sort):
    add_patients(enrolled, make, 23)
    # Vary what the orders look at: some patients more active, some further on, some without flags.
    patients = list(Enrolment.objects.filter(unit=enrolled.unit).order_by("pk"))
    for n, e in enumerate(patients):
        Enrolment.objects.filter(pk=e.pk).update(
            last_activity_at=timezone.now() - timezone.timedelta(hours=n * 7 % 11),
            module_number=1 + n % 3,
            open_flags=n % 4,
            urgent_flags=int(n % 4 == 3),
            unread_messages=n % 5,
        )
    pages = [
        dashboard_rows(actor=enrolled.clinician, unit=enrolled.unit, mine=False, sort=sort, per_page=5, page=p)
        for p in range(1, 6)
    ]
    shown = [r.enrolment for page in pages for r in page]
    assert len(shown) == 24 and len({e.pk for e in shown}) == 24

    def name(e):
        return (e.citizen.family_name.lower(), e.citizen.given_name.lower(), e.pk)

    keys = {
        "flags": lambda e: (e.urgent_flags == 0, -e.open_flags, -e.unread_messages, name(e)),
        "activity": lambda e: (e.last_activity_at, name(e)),
        "name": name,
        "module": lambda e: (e.module_number, name(e)),
        "program": name,  # one program here
    }
    assert [e.pk for e in shown] == [e.pk for e in sorted(shown, key=keys[sort])]

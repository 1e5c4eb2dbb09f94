"""Flags that cannot be missed, absence routing, the enrolment overview and its actions, handover."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from conftest import force_login_staff
from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry, AuditEvent
from fyren.care import team_services
from fyren.care.journey import plan_for
from fyren.care.models import CareRelation, Handover
from fyren.clinic.selectors import URGENT_BANNER_LINES
from fyren.flags import services as flag_services
from fyren.flags.models import Absence, Flag
from fyren.messaging import services as messaging
from fyren.messaging import services as messaging_services
from fyren.programs.tree import load_tree
from fyren.questionnaires import services as answering


def answer_phq9(world, values):
    from fyren.questionnaires.tests.conftest import phq9_raw

    response = answering.response_start(
        actor=world.patient.user,
        citizen=world.patient,
        instrument_code="phq9",
        language="sv",
        enrolment=world.enrolment,
        send=world.send,
    )
    return answering.response_submit(actor=world.patient.user, client_token=response.client_token, raw=phq9_raw(values))


def urgent_message(world):
    thread = messaging.thread_for_enrolment(world.enrolment)
    return messaging.message_send(actor=world.patient.user, thread=thread, body="Jag vill inte leva", from_citizen=True)


def test_an_urgent_flag_is_at_the_top_of_every_unit_page_until_acknowledged(client, enrolled):
    urgent_message(enrolled)
    flag = Flag.objects.get(urgent=True)
    force_login_staff(client, enrolled.clinician)
    base = f"/clinic/{enrolled.unit.pk}"
    pages = [
        f"{base}/",
        f"{base}/patients/",
        f"{base}/inbox/",
        f"{base}/flags/",
        f"{base}/absence/",
        f"{base}/handovers/",
        f"{base}/enrolments/{enrolled.enrolment.pk}/",
        f"{base}/patients/{enrolled.patient.pk}/",
    ]
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        assert f'id="urgent-flag-{flag.pk}"' in page.content.decode(), url
    response = client.post(
        f"{base}/flags/{flag.pk}/acknowledge/",
        {f"flag{flag.pk}-note": "Ringde patienten, bokat besök", "next": pages[0]},
    )
    assert response.status_code == 302 and response.url == pages[0]
    flag.refresh_from_db()
    assert flag.acknowledged_by == enrolled.clinician and flag.acknowledgement_note == "Ringde patienten, bokat besök"
    assert AuditEvent.objects.filter(action="flag.acknowledge", object_id=str(flag.pk)).exists()
    assert f'id="urgent-flag-{flag.pk}"' not in client.get(pages[0]).content.decode()


def test_a_flag_is_not_acknowledged_without_a_note(enrolled):
    urgent_message(enrolled)
    flag = Flag.objects.get(urgent=True)
    with pytest.raises(ValidationError):
        flag_services.flag_acknowledge(actor=enrolled.clinician, flag=flag, note="  ")
    flag.refresh_from_db()
    assert flag.acknowledged_at is None


def test_an_outsider_cannot_acknowledge_or_see_the_units_flags(client, enrolled):
    urgent_message(enrolled)
    flag = Flag.objects.get(urgent=True)
    with pytest.raises(PermissionDenied):
        flag_services.flag_acknowledge(actor=enrolled.outsider, flag=flag, note="x")
    force_login_staff(client, enrolled.outsider)
    base = f"/clinic/{enrolled.unit.pk}"
    assert client.post(f"{base}/flags/{flag.pk}/acknowledge/", {f"flag{flag.pk}-note": "x"}).status_code == 404
    assert client.post(f"/clinic/{enrolled.other_unit.pk}/flags/{flag.pk}/acknowledge/").status_code == 404
    own = client.get(f"/clinic/{enrolled.other_unit.pk}/")
    assert f'id="urgent-flag-{flag.pk}"' not in own.content.decode()
    for url in ("/", "/flags/", "/absence/", "/handovers/", f"/enrolments/{enrolled.enrolment.pk}/"):
        assert client.get(base + url).status_code == 404, url


def test_a_phq9_answer_with_item_9_raises_an_urgent_flag_shown_in_the_banner(client, enrolled):
    answer_phq9(enrolled, [1] * 8 + [2])
    flag = Flag.objects.get(kind=Flag.Kind.QUESTIONNAIRE, urgent=True)
    force_login_staff(client, enrolled.clinician)
    assert f'id="urgent-flag-{flag.pk}"' in client.get(f"/clinic/{enrolled.unit.pk}/").content.decode()


def _colleague(enrolled, make):
    return make.staff("colleague", (Role.CLINICIAN, enrolled.unit))


def test_flags_of_an_absent_clinician_go_to_the_others(enrolled, make):
    colleague = _colleague(enrolled, make)
    admin = make.staff("enroladmin", (Role.ENROLMENT_ADMIN, enrolled.unit))
    flag_services.flag_raise(
        kind="inactivity", citizen=enrolled.patient, unit=enrolled.unit, enrolment=enrolled.enrolment
    )
    from fyren.clinic.selectors import flags_for

    assert len(flags_for(actor=enrolled.clinician, unit=enrolled.unit, mine=True)) == 1
    assert list(flags_for(actor=colleague, unit=enrolled.unit, mine=True)) == []
    flag_services.absence_add(actor=admin, user=enrolled.clinician, unit=enrolled.unit, starts_on=timezone.localdate())
    assert len(flags_for(actor=colleague, unit=enrolled.unit, mine=True)) == 1
    assert len(flags_for(actor=admin, unit=enrolled.unit, mine=True)) == 1
    assert list(flags_for(actor=enrolled.clinician, unit=enrolled.unit, mine=True)) == []
    absence = Absence.objects.get()
    flag_services.absence_end(actor=enrolled.clinician, absence=absence)
    assert list(flags_for(actor=colleague, unit=enrolled.unit, mine=True)) == []


def test_messages_of_an_absent_clinician_go_to_the_others(enrolled, make):
    from fyren.messaging.selectors import inbox_for

    colleague = _colleague(enrolled, make)
    thread = messaging.thread_for_enrolment(enrolled.enrolment)
    messaging.message_send(actor=enrolled.patient.user, thread=thread, body="Hej", from_citizen=True)
    messaging.thread_assign(actor=colleague, thread=thread, assignee=enrolled.clinician)
    assert list(inbox_for(actor=colleague, unit=enrolled.unit, mine=True)) == []
    flag_services.absence_add(
        actor=enrolled.clinician, user=enrolled.clinician, unit=enrolled.unit, starts_on=timezone.localdate()
    )
    assert [t.pk for t in inbox_for(actor=colleague, unit=enrolled.unit, mine=True)] == [thread.pk]


def test_only_the_clinician_or_an_enrolment_admin_marks_absence(enrolled, make):
    colleague = _colleague(enrolled, make)
    with pytest.raises(PermissionDenied):
        flag_services.absence_add(
            actor=colleague, user=enrolled.clinician, unit=enrolled.unit, starts_on=timezone.localdate()
        )
    with pytest.raises(ValidationError):
        flag_services.absence_add(
            actor=enrolled.clinician,
            user=enrolled.clinician,
            unit=enrolled.unit,
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() - dt.timedelta(days=1),
        )


def test_the_enrolment_overview_shows_scores_progress_and_timeline(client, enrolled):
    answer_phq9(enrolled, [1] * 9)
    force_login_staff(client, enrolled.clinician)
    before = AccessLogEntry.objects.filter(citizen=enrolled.patient, actor=enrolled.clinician).count()
    page = client.get(f"/clinic/{enrolled.unit.pk}/enrolments/{enrolled.enrolment.pk}/")
    assert page.status_code == 200
    assert [s.code for s in page.context["series"]] == ["phq9"]
    assert page.context["series"][0].rows[0]["value"] == 9
    assert "<svg" in page.content.decode()
    assert AccessLogEntry.objects.filter(citizen=enrolled.patient, actor=enrolled.clinician).count() > before


def test_hiding_a_module_removes_it_from_the_patients_plan(enrolled):
    module = load_tree(enrolled.version).modules[0]
    team_services.content_visibility_set(
        actor=enrolled.clinician, enrolment=enrolled.enrolment, key=module.key, hidden=True
    )
    assert str(module.key) not in plan_for(enrolled.enrolment).states
    team_services.content_visibility_set(
        actor=enrolled.clinician, enrolment=enrolled.enrolment, key=module.key, hidden=False
    )
    assert str(module.key) in plan_for(enrolled.enrolment).states
    with pytest.raises(ValidationError):
        team_services.content_visibility_set(
            actor=enrolled.clinician, enrolment=enrolled.enrolment, key=uuid.uuid4(), hidden=True
        )


def test_notes_phase_and_end_from_the_overview(client, enrolled):
    force_login_staff(client, enrolled.clinician)
    base = f"/clinic/{enrolled.unit.pk}/enrolments/{enrolled.enrolment.pk}"
    client.post(f"{base}/notes/", {"text": "Samtal om exponering"})
    assert enrolled.enrolment.notes.get().text == "Samtal om exponering"
    client.post(f"{base}/phase/", {"phase": "maintenance"})
    enrolled.enrolment.refresh_from_db()
    assert enrolled.enrolment.status == "maintenance"
    client.post(f"{base}/end/", {"outcome": "discontinued", "reason": ""})
    enrolled.enrolment.refresh_from_db()
    assert enrolled.enrolment.status == "maintenance"  # a reason is required
    client.post(f"{base}/end/", {"outcome": "discontinued", "reason": "Flyttat"})
    enrolled.enrolment.refresh_from_db()
    assert enrolled.enrolment.status == "discontinued" and enrolled.enrolment.end_reason == "Flyttat"


def test_an_outsider_gets_404_on_every_enrolment_action(client, enrolled):
    force_login_staff(client, enrolled.outsider)
    base = f"/clinic/{enrolled.unit.pk}/enrolments/{enrolled.enrolment.pk}"
    for action in ("notes", "visibility", "open-module", "phase", "end", "clinicians", "handover"):
        assert client.post(f"{base}/{action}/", {"text": "x"}).status_code == 404, action
    assert client.get(f"{base}/journal/").status_code == 404
    other = f"/clinic/{enrolled.other_unit.pk}/enrolments/{enrolled.enrolment.pk}/"
    assert client.get(other).status_code == 404


def test_handover_moves_the_enrolment_and_access_only_when_accepted(client, enrolled, make):
    receiver = make.staff("receiver", (Role.CLINICIAN, enrolled.other_unit))
    thread = messaging.thread_for_enrolment(enrolled.enrolment)
    handover = team_services.handover_request(
        actor=enrolled.clinician, enrolment=enrolled.enrolment, to_unit=enrolled.other_unit, reason="Flyttar"
    )
    enrolled.enrolment.refresh_from_db()
    assert enrolled.enrolment.unit == enrolled.unit
    with pytest.raises(PermissionDenied):
        team_services.handover_decide(actor=enrolled.clinician, handover=handover, accept=True)
    force_login_staff(client, receiver)
    assert client.get(f"/clinic/{enrolled.other_unit.pk}/handovers/").context["incoming"] == [handover]
    assert AccessLogEntry.objects.filter(
        object_type="handover", actor=receiver, unit=enrolled.other_unit, outside_care_relation=True
    ).exists()
    response = client.post(f"/clinic/{enrolled.other_unit.pk}/handovers/{handover.pk}/", {"decision": "accept"})
    assert response.status_code == 302
    enrolled.enrolment.refresh_from_db()
    thread.refresh_from_db()
    assert enrolled.enrolment.unit == enrolled.other_unit and thread.unit == enrolled.other_unit
    assert list(enrolled.enrolment.clinicians.all()) == [receiver]
    assert CareRelation.objects.active().filter(citizen=enrolled.patient, unit=enrolled.other_unit).exists()
    assert not CareRelation.objects.active().filter(citizen=enrolled.patient, unit=enrolled.unit).exists()
    assert client.get(f"/clinic/{enrolled.other_unit.pk}/enrolments/{enrolled.enrolment.pk}/").status_code == 200
    force_login_staff(client, enrolled.clinician)
    assert client.get(f"/clinic/{enrolled.unit.pk}/enrolments/{enrolled.enrolment.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="handover.accept").exists()


def test_a_declined_handover_changes_nothing(enrolled, make):
    receiver = make.staff("receiver", (Role.ENROLMENT_ADMIN, enrolled.other_unit))
    handover = team_services.handover_request(
        actor=enrolled.clinician, enrolment=enrolled.enrolment, to_unit=enrolled.other_unit, reason="Flyttar"
    )
    team_services.handover_decide(actor=receiver, handover=handover, accept=False)
    enrolled.enrolment.refresh_from_db()
    assert enrolled.enrolment.unit == enrolled.unit
    assert Handover.objects.get().status == "declined"
    with pytest.raises(ValidationError):
        team_services.handover_decide(actor=receiver, handover=handover, accept=True)


def test_time_based_flags_are_raised_once(enrolled):
    from fyren.clinic.periodic import flags_raise_due
    from fyren.messaging.models import Thread

    thread = messaging.thread_for_enrolment(enrolled.enrolment)
    messaging.message_send(actor=enrolled.patient.user, thread=thread, body="Hej", from_citizen=True)
    later = timezone.now() + dt.timedelta(days=30)
    Thread.objects.filter(pk=thread.pk).update(waiting_since=timezone.now() - dt.timedelta(hours=60))
    counts = flags_raise_due(now=later)
    assert counts["unanswered"] == 1 and counts["overdue"] >= 1
    assert set(flags_raise_due(now=later).values()) == {0}
    kinds = set(Flag.objects.values_list("kind", flat=True))
    assert {"unanswered", "overdue"} <= kinds
    messaging.message_send(actor=enrolled.clinician, thread=thread, body="Svar", from_citizen=False)
    assert Flag.objects.get(kind="unanswered").acknowledged_by == enrolled.clinician
    assert AuditEvent.objects.filter(action="flag.acknowledge", data__kind="unanswered").exists()
    call_command("raise_flags")


def test_inactivity_raises_a_flag_after_the_programs_days(enrolled):
    from fyren.clinic.periodic import flags_raise_due

    enrolled.version.__class__.objects.filter(pk=enrolled.version.pk).update(inactivity_days=7)
    assert flags_raise_due(now=timezone.now() + dt.timedelta(days=3))["inactivity"] == 0
    assert flags_raise_due(now=timezone.now() + dt.timedelta(days=8))["inactivity"] == 1


def test_the_units_answer_time_is_set_by_its_enrolment_admin(client, enrolled, make):
    admin = make.staff("enroladmin", (Role.ENROLMENT_ADMIN, enrolled.unit))
    with pytest.raises(PermissionDenied):
        messaging_services.unit_answer_time_set(actor=enrolled.clinician, unit=enrolled.unit, hours=24)
    with pytest.raises(ValidationError):
        messaging_services.unit_answer_time_set(actor=admin, unit=enrolled.unit, hours=0)
    force_login_staff(client, admin)
    assert client.post(f"/clinic/{enrolled.unit.pk}/inbox/answer-time/", {"hours": "24"}).status_code == 302
    enrolled.unit.refresh_from_db()
    assert enrolled.unit.answer_within_hours == 24
    assert AuditEvent.objects.filter(action="unit.answer_time").exists()
    force_login_staff(client, enrolled.outsider)
    assert client.post(f"/clinic/{enrolled.unit.pk}/inbox/answer-time/", {"hours": "2"}).status_code == 404


def test_an_outsider_gets_404_on_absence_and_handover_decisions(client, enrolled, make):
    absence = flag_services.absence_add(
        actor=enrolled.clinician, user=enrolled.clinician, unit=enrolled.unit, starts_on=timezone.localdate()
    )
    third = make.unit(enrolled.region, "C1", "Unit C")
    handover = team_services.handover_request(
        actor=enrolled.clinician, enrolment=enrolled.enrolment, to_unit=third, reason="Flyttar"
    )
    force_login_staff(client, enrolled.outsider)
    assert client.post(f"/clinic/{enrolled.unit.pk}/absence/{absence.pk}/end/").status_code == 404
    assert client.post(f"/clinic/{enrolled.other_unit.pk}/absence/{absence.pk}/end/").status_code == 404
    for unit in (third, enrolled.other_unit, enrolled.unit):
        response = client.post(f"/clinic/{unit.pk}/handovers/{handover.pk}/", {"decision": "accept"})
        assert response.status_code == 404
    handover.refresh_from_db()
    assert handover.status == "pending"
    Absence.objects.get(pk=absence.pk)


def test_a_next_address_outside_the_site_is_not_followed(client, enrolled):
    thread = messaging.thread_for_enrolment(enrolled.enrolment)
    messaging.message_send(actor=enrolled.patient.user, thread=thread, body="Hej", from_citizen=True)
    force_login_staff(client, enrolled.clinician)
    response = client.post(
        f"/clinic/{enrolled.unit.pk}/threads/{thread.pk}/handled/", {"next": "https://evil.example/"}
    )
    assert response.url == f"/clinic/{enrolled.unit.pk}/inbox/"


def test_the_staff_start_page_counts_the_urgent_flags_of_each_unit(client, enrolled):
    urgent_message(enrolled)
    force_login_staff(client, enrolled.clinician)
    page = client.get("/account/start/").content.decode()
    assert f'href="/clinic/{enrolled.unit.pk}/flags/"' in page and "Pia Patient" not in page
    force_login_staff(client, enrolled.outsider)
    assert f"/clinic/{enrolled.unit.pk}/flags/" not in client.get("/account/start/").content.decode()


def test_marking_no_answer_needed_settles_the_unanswered_flag(enrolled):
    from fyren.clinic.periodic import flags_raise_due
    from fyren.messaging.models import Thread

    thread = messaging.thread_for_enrolment(enrolled.enrolment)
    messaging.message_send(actor=enrolled.patient.user, thread=thread, body="Tack!", from_citizen=True)
    Thread.objects.filter(pk=thread.pk).update(waiting_since=timezone.now() - dt.timedelta(hours=60))
    flags_raise_due()
    messaging.thread_mark_handled(actor=enrolled.clinician, thread=thread)
    flag = Flag.objects.get(kind="unanswered")
    assert flag.acknowledged_by == enrolled.clinician and flag.acknowledgement_note


def test_responsible_clinicians_are_chosen_among_the_units_clinicians(client, enrolled, make):
    colleague = _colleague(enrolled, make)
    force_login_staff(client, enrolled.clinician)
    url = f"/clinic/{enrolled.unit.pk}/enrolments/{enrolled.enrolment.pk}/clinicians/"
    client.post(url, {"clinicians": [colleague.pk]})
    assert list(enrolled.enrolment.clinicians.all()) == [colleague]
    client.post(url, {"clinicians": [enrolled.outsider.pk]})
    assert list(enrolled.enrolment.clinicians.all()) == [colleague]
    assert AuditEvent.objects.filter(action="enrolment.clinicians").count() == 1


def test_the_banner_names_nobody_and_logs_nothing_the_flag_list_names_and_logs_once(
    client, enrolled, django_capture_on_commit_callbacks
):
    urgent_message(enrolled)
    answer_phq9(enrolled, [1] * 8 + [2])
    flags = list(Flag.objects.filter(urgent=True))
    assert len(flags) == 2
    force_login_staff(client, enrolled.clinician)
    before = AccessLogEntry.objects.count()
    page = client.get(f"/clinic/{enrolled.unit.pk}/absence/").content.decode()
    assert all(f'id="urgent-flag-{f.pk}"' in page for f in flags)
    assert enrolled.patient.full_name not in page and enrolled.patient.given_name not in page
    assert f"/clinic/{enrolled.unit.pk}/flags/?urgent=1#flag-{flags[0].pk}" in page
    assert AccessLogEntry.objects.count() == before  # the banner reads no patient data

    with django_capture_on_commit_callbacks(execute=True):
        listing = client.get(f"/clinic/{enrolled.unit.pk}/flags/?urgent=1").content.decode()
    assert enrolled.patient.full_name in listing and f'id="flag-{flags[1].pk}"' in listing
    new = AccessLogEntry.objects.filter(seq__gt=before)
    assert [(e.citizen_id, e.object_type) for e in new] == [(enrolled.patient.pk, "flag_list")]


def test_one_page_view_logs_a_citizen_once(client, enrolled, django_capture_on_commit_callbacks):
    """The enrolment overview reads the patient through several selectors; one entry records the access."""
    response = answer_phq9(enrolled, [1] * 9)
    force_login_staff(client, enrolled.clinician)
    for url in (
        f"/clinic/{enrolled.unit.pk}/enrolments/{enrolled.enrolment.pk}/",
        f"/clinic/{enrolled.unit.pk}/responses/{response.pk}/",
        f"/clinic/{enrolled.unit.pk}/patients/{enrolled.patient.pk}/",
    ):
        last = AccessLogEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        with django_capture_on_commit_callbacks(execute=True):
            assert client.get(url).status_code == 200
        entries = AccessLogEntry.objects.filter(seq__gt=last, citizen=enrolled.patient, action="read")
        assert entries.count() == 1, (url, list(entries.values_list("object_type", flat=True)))


def test_a_unit_page_asks_for_the_unit_and_the_roles_once_in_one_query(client, enrolled):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    force_login_staff(client, enrolled.clinician)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/clinic/{enrolled.unit.pk}/absence/").status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    unit_lookups = [q for q in sql if 'FROM "organisations_careunit"' in q and "accounts_roleassignment" not in q]
    # The roles held at the unit, read with the unit itself (its name comes along).
    role_lookups = [q for q in sql if 'FROM "accounts_roleassignment"' in q and '"organisations_careunit"."name"' in q]
    assert unit_lookups == []  # no separate lookup of the unit
    assert len(role_lookups) == 1, role_lookups


def test_the_banner_lists_the_oldest_urgent_flags_and_counts_them_all(client, enrolled):
    flags = [
        flag_services.flag_raise(kind="urgent_message", citizen=enrolled.patient, unit=enrolled.unit, urgent=True)
        for _ in range(URGENT_BANNER_LINES + 2)
    ]
    force_login_staff(client, enrolled.clinician)
    page = client.get(f"/clinic/{enrolled.unit.pk}/absence/").content.decode()
    shown = [f for f in flags if f'id="urgent-flag-{f.pk}"' in page]
    assert shown == flags[:URGENT_BANNER_LINES]
    assert f"{URGENT_BANNER_LINES + 2} brådskande flaggor väntar" in page
    assert f"Se alla {URGENT_BANNER_LINES + 2} i flagglistan" in page

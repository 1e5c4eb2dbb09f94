import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.http import Http404

from fyren.audit.models import AccessLogEntry, AppendOnlyError, AuditEvent
from fyren.audit.selectors import read_logged_or_404
from fyren.audit.services import access_log_write, access_log_write_many, audit_event_write, change_record
from fyren.audit.verify import verify_access_log
from fyren.care.models import CareRelation
from fyren.lib.request_context import reset_request_id, set_request_id

pytestmark = pytest.mark.django_db


def _write(world, n=3):
    return [
        access_log_write(
            actor=world.clinician,
            citizen=world.patient,
            action="read",
            object_type="citizen",
            object_id=world.patient.pk,
            role="clinician",
            unit=world.unit,
        )
        for _ in range(n)
    ]


def test_an_entry_records_actor_role_unit_citizen_action_object_time_and_request_id(world):
    token = set_request_id("req-12345678")
    try:
        entry = access_log_write(
            actor=world.clinician,
            citizen=world.patient,
            action="export",
            object_type="note",
            object_id=7,
            role="clinician",
            unit=world.unit,
        )
    finally:
        reset_request_id(token)
    entry = AccessLogEntry.objects.get(pk=entry.pk)
    assert entry.actor == world.clinician and "Clinician" in entry.actor_label
    assert entry.role == "clinician"
    assert entry.unit == world.unit and world.unit.hsa_id in entry.unit_label
    assert entry.citizen == world.patient and entry.citizen_identity == world.patient.identity_number
    assert (entry.action, entry.object_type, entry.object_id) == ("export", "note", "7")
    assert entry.at is not None
    assert entry.request_id == "req-12345678"


def test_entries_form_a_hash_chain(world):
    first, second, third = _write(world)
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert [e.seq for e in (first, second, third)] == [1, 2, 3]
    assert verify_access_log().ok


def test_many_entries_are_written_in_a_constant_number_of_queries(world, make, django_assert_max_num_queries):
    citizens = [make.citizen(f"P{i}") for i in range(30)]
    _write(world, 1)  # the chain head exists from the first entry on
    with django_assert_max_num_queries(5):
        access_log_write_many(
            actor=world.clinician,
            citizens=citizens,
            action="read",
            object_type="patient_list",
            unit=world.unit,
            role="clinician",
        )
    assert verify_access_log().checked == 31


def test_an_unknown_action_is_refused(world):
    with pytest.raises(ValueError):
        access_log_write(actor=None, citizen=world.patient, action="peek", object_type="x")


def test_the_application_refuses_to_change_or_delete_entries(world):
    entry = _write(world, 1)[0]
    entry = AccessLogEntry.objects.get(pk=entry.pk)
    entry.reason = "edited"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.all().delete()


def test_audit_events_are_append_only_too(world):
    event = audit_event_write(actor=world.access_admin, action="role.assign", object_type="x", object_id="1")
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action="y")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_accesslogentry SET reason = 'x'",
        "DELETE FROM audit_accesslogentry",
        "UPDATE audit_auditevent SET action = 'x'",
    ],
)
def test_postgresql_refuses_update_and_delete_by_trigger(world, sql):
    _write(world, 1)
    audit_event_write(actor=None, action="a", object_type="x", object_id="1")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


def _tamper(sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accesslogentry DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accesslogentry ENABLE TRIGGER USER")


def test_verify_access_log_passes_on_an_intact_log(world, capsys):
    _write(world)
    call_command("verify_access_log")
    assert "3 entries in 1 chain(s) verified" in capsys.readouterr().out


def test_verify_access_log_detects_a_changed_entry(world):
    _write(world)
    _tamper("UPDATE audit_accesslogentry SET citizen_identity = %s WHERE seq = 2", ["191212121212"])
    report = verify_access_log()
    assert not report.ok and any("entry 2" in p and "changed" in p for p in report.problems)
    with pytest.raises(CommandError):
        call_command("verify_access_log")


def test_verify_access_log_detects_a_deleted_entry(world):
    _write(world)
    _tamper("DELETE FROM audit_accesslogentry WHERE seq = %s", [2])
    report = verify_access_log()
    assert not report.ok and any("missing" in p for p in report.problems)


def test_verify_access_log_detects_entries_removed_at_the_end(world):
    _write(world)
    _tamper("DELETE FROM audit_accesslogentry WHERE seq = %s", [3])
    assert any("head" in p for p in verify_access_log().problems)


def test_verify_access_log_detects_a_rehashed_entry_whose_successor_no_longer_links(world):
    from fyren.audit.chain import entry_hash

    _write(world)
    row = AccessLogEntry.objects.filter(seq=2).values().get()
    row["actor_label"] = "Someone Else"
    new_hash = entry_hash(row, row["prev_hash"])
    _tamper("UPDATE audit_accesslogentry SET actor_label = %s, hash = %s WHERE seq = 2", ["Someone Else", new_hash])
    assert any("entry 3" in p and "link" in p for p in verify_access_log().problems)


def test_an_entry_is_rolled_back_with_the_work_it_records(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        _write(world, 1)
        raise RuntimeError("the work failed")
    assert not AccessLogEntry.objects.exists()


def _write_at(world, unit, n=2):
    return [
        access_log_write(
            actor=world.outsider if unit == world.other_unit else world.clinician,
            citizen=world.patient,
            action="read",
            object_type="citizen",
            role="clinician",
            unit=unit,
        )
        for _ in range(n)
    ]


def test_each_unit_has_its_own_chain_and_all_are_verified(world):
    here = _write_at(world, world.unit, 3)
    there = _write_at(world, world.other_unit, 2)
    assert {e.chain for e in here} == {world.unit.pk} and {e.chain for e in there} == {world.other_unit.pk}
    assert [e.seq for e in here] == [1, 2, 3] and [e.seq for e in there] == [1, 2]
    assert there[0].prev_hash == "0" * 64  # its own chain starts from the beginning
    report = verify_access_log()
    assert report.ok and report.checked == 5 and report.chains == 2


def test_tampering_in_one_chain_is_found_and_named(world):
    _write_at(world, world.unit, 3)
    _write_at(world, world.other_unit, 2)
    _tamper(
        "UPDATE audit_accesslogentry SET actor_label = %s WHERE chain = %s AND seq = 1",
        ["Someone Else", world.other_unit.pk],
    )
    _tamper("DELETE FROM audit_accesslogentry WHERE chain = %s AND seq = 3", [world.unit.pk])
    problems = verify_access_log().problems
    assert any(f"chain {world.other_unit.pk}, entry 1" in p and "changed" in p for p in problems)
    assert any(f"chain {world.unit.pk} ends at entry 2" in p for p in problems)


def test_a_change_is_recorded_in_the_access_log_and_as_an_audit_event_at_once(world):
    relation = world.patient.care_relations.get()
    change_record(
        actor=world.clinician,
        citizen=world.patient,
        obj=relation,
        object_type="care_relation",
        event="care_relation.test",
        role="clinician",
        unit=world.unit,
        data={"why": "test"},
    )
    entry = AccessLogEntry.objects.latest("pk")
    event = AuditEvent.objects.latest("pk")
    assert (entry.action, entry.object_type, entry.object_id, entry.citizen_id) == (
        "change",
        "care_relation",
        str(relation.pk),
        world.patient.pk,
    )
    assert (event.action, event.object_id, event.unit_id, event.data) == (
        "care_relation.test",
        str(relation.pk),
        world.unit.pk,
        {"why": "test"},
    )


def test_a_row_read_for_staff_is_logged_and_anything_else_is_not_found(world):
    rows = CareRelation.objects.filter(citizen=world.patient, unit=world.unit)
    before = AccessLogEntry.objects.count()
    for role, narrowed in (("", rows), ("clinician", rows.none())):
        with pytest.raises(Http404):
            read_logged_or_404(narrowed, actor=world.clinician, role=role, unit=world.unit, object_type="care_relation")
    assert AccessLogEntry.objects.count() == before
    found = read_logged_or_404(
        rows, actor=world.clinician, role="clinician", unit=world.unit, object_type="care_relation"
    )
    entry = AccessLogEntry.objects.latest("pk")
    assert found == rows.get() and (entry.action, entry.citizen_id) == ("read", world.patient.pk)

"""Research projects, consent and pseudonymised exports: the pure rules
(hypothesis), the services' rules, the files, the audit, and outsiders."""

import csv
import datetime as dt
import hashlib
import io
import zipfile

import pyarrow.parquet as pq
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from conftest import force_login_staff, login_citizen
from fyren.accounts.models import RoleAssignment
from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry, AuditEvent
from fyren.care.services import enrolment_start
from fyren.programs import elements
from fyren.programs import services as program_services
from fyren.programs.models import Element, Step
from fyren.programs.tests.conftest import fill_for_publishing, publish
from fyren.questionnaires.models import Response
from fyren.questionnaires.services import response_start, response_submit
from fyren.research import anonymise, dictionary, services
from fyren.research.models import Consent, Export, Project

pytestmark = pytest.mark.django_db
ASSESSMENT = {"indication": "Oro", "reason": "Motiverad", "risk_considered": True}


# --- the pure rules ----------------------------------------------------------------------------


@given(st.text(min_size=1, max_size=20), st.text(min_size=1, max_size=20), st.from_regex(r"\d{12}", fullmatch=True))
def test_pseudonyms_are_stable_per_project_and_differ_between_projects(first, second, identity):
    assert anonymise.pseudonym(first, identity) == anonymise.pseudonym(first, identity)
    if first != second:
        assert anonymise.pseudonym(first, identity) != anonymise.pseudonym(second, identity)


@given(st.text(min_size=1), st.from_regex(r"\d{12}", fullmatch=True))
def test_the_date_offset_is_never_zero_and_at_most_thirty_days(secret, identity):
    offset = anonymise.date_offset(secret, identity)
    assert offset != 0 and -anonymise.MAX_SHIFT_DAYS <= offset <= anonymise.MAX_SHIFT_DAYS
    assert anonymise.date_offset(secret, identity) == offset


def test_age_bands():
    assert [anonymise.age_band(a) for a in (15, 18, 29, 30, 79, 80, 101)] == [
        "0-17",
        "18-29",
        "18-29",
        "30-39",
        "70-79",
        "80+",
        "80+",
    ]


rows_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "pseudonym": st.sampled_from("abcdefghij"),
            "age_band": st.sampled_from(["18-29", "30-39"]),
            "sex": st.sampled_from("FM"),
            "region": st.just("Region Test"),
            "program": st.sampled_from(["Oro", "Sömn"]),
        }
    ),
    max_size=40,
)


@given(rows_strategy, st.integers(min_value=2, max_value=6))
def test_k_anonymity_keeps_only_groups_of_at_least_k_people_and_reports_the_rest(rows, k):
    kept, report = anonymise.k_anonymous(rows, k=k)
    groups: dict = {}
    for row in kept:
        groups.setdefault(tuple(row[q] for q in anonymise.QUASI_IDENTIFIERS), set()).add(row["pseudonym"])
    assert all(len(people) >= k for people in groups.values())
    assert report.kept_rows + report.dropped_rows == len(rows)
    assert all(g.people < k for g in report.groups)


# --- a region's research -----------------------------------------------------------------------


@pytest.fixture
def research_world(world, make):
    """Five patients of unit A in a published program, four of them with a PHQ-9
    answered; a data administrator and a care-provider admin of the region."""
    w = world
    w.data_admin = make.staff("dataadmin", totp=True)
    RoleAssignment.objects.create(user=w.data_admin, role=Role.DATA_ADMIN, region=w.region)
    w.other_admin = make.staff("otherdataadmin")
    RoleAssignment.objects.create(user=w.other_admin, role=Role.DATA_ADMIN, region=w.other_region)
    designer = make.staff("designer", (Role.DESIGNER, w.unit))
    publisher = make.staff("publisher", (Role.PUBLISHER, w.unit))
    version = program_services.program_create(
        actor=designer, region=w.region, title="Oro", kind="treatment", languages=["sv", "en"]
    )
    fill_for_publishing(version)
    content = {**elements.empty_content(elements.QUESTIONNAIRE), "instrument": "phq9"}
    content["schedule"] = {"at_start": True}
    Element.objects.create(
        version=version,
        step=Step.objects.get(version=version),
        position=2,
        kind=elements.QUESTIONNAIRE,
        content=content,
    )
    publish(version, designer=designer, publisher=publisher)
    admin = make.staff("cpadmin", (Role.CARE_PROVIDER_ADMIN, w.region))
    program_services.unit_program_set(actor=admin, program=version.program, unit=w.unit, active=True)
    w.program = version.program
    w.people = [w.patient] + [
        make.citizen(f"Person{n}", "Forskning", birth=dt.date(1990, 1, n + 1)) for n in range(1, 5)
    ]
    w.enrolments = []
    for n, citizen in enumerate(w.people):
        if citizen != w.patient:
            make.care_relation(citizen, w.unit)
        enrolment = enrolment_start(
            actor=w.clinician, citizen=citizen, program_version=version, unit=w.unit, assessment=ASSESSMENT
        )
        w.enrolments.append(enrolment)
        if n < 4:
            send = enrolment.sends.get(reason="start")
            response = response_start(
                actor=citizen.user,
                citizen=citizen,
                instrument_code="phq9",
                language="sv",
                enrolment=enrolment,
                send=send,
            )
            raw = {str(i): "1" for i in range(1, 10)}
            response_submit(actor=citizen.user, client_token=response.client_token, raw=raw)
    today = timezone.localdate()
    w.project = services.project_register(
        actor=w.data_admin,
        region=w.region,
        title="Oro och sömn",
        ethics_number="2026-01234-01",
        ethics_date=today - dt.timedelta(days=30),
        principal_investigator="Maria Forskare",
        organisation="Karolinska Institutet",
        programs=[w.program],
        instruments=["phq9"],
        period_start=today - dt.timedelta(days=365),
        period_end=today,
        k=3,
    )
    return w


def _all_consent(w, people=None):
    for citizen in people or w.people:
        services.consent_give(actor=citizen.user, project=w.project)


def _read(export, name):
    with default_storage.open(services.file_path(export, name), "rb") as f:
        return f.read()


def test_registering_needs_a_region_role_and_sane_values(research_world):
    w = research_world
    common = {
        "region": w.region,
        "title": "X",
        "ethics_number": "1",
        "ethics_date": timezone.localdate(),
        "principal_investigator": "P",
        "organisation": "O",
        "programs": [w.program],
        "instruments": [],
        "period_start": timezone.localdate(),
        "period_end": timezone.localdate(),
        "k": 5,
    }
    with pytest.raises(PermissionDenied):
        services.project_register(actor=w.clinician, **common)
    with pytest.raises(PermissionDenied):
        services.project_register(actor=w.other_admin, **common)
    with pytest.raises(ValidationError) as refused:
        services.project_register(
            actor=w.data_admin, **{**common, "k": 2, "period_end": timezone.localdate() - dt.timedelta(days=1)}
        )
    assert set(refused.value.message_dict) == {"k", "period_end"}
    assert Project.objects.count() == 1


def test_consent_only_for_an_approved_project_covering_the_citizen(research_world):
    w = research_world
    with pytest.raises(PermissionDenied):  # not approved yet
        services.consent_give(actor=w.patient.user, project=w.project)
    with pytest.raises(PermissionDenied):
        services.project_approve(actor=w.other_admin, project=w.project)
    services.project_approve(actor=w.data_admin, project=w.project)
    with pytest.raises(PermissionDenied):  # the stranger followed none of its programs
        services.consent_give(actor=w.stranger.user, project=w.project)
    first = services.consent_give(actor=w.patient.user, project=w.project)
    assert services.consent_give(actor=w.patient.user, project=w.project).pk == first.pk
    services.consent_withdraw(actor=w.patient.user, project=w.project)
    assert Consent.objects.get().withdrawn_at is not None
    assert AuditEvent.objects.filter(action__startswith="research.consent").count() == 2


def test_an_export_is_pseudonymised_shifted_k_anonymous_and_audited(research_world):
    w = research_world
    services.project_approve(actor=w.data_admin, project=w.project)
    _all_consent(w)
    with pytest.raises(PermissionDenied):
        services.export_make(actor=w.other_admin, project=w.project)
    export = services.export_make(actor=w.data_admin, project=w.project)
    names = {f["name"] for f in export.files}
    assert {"participants.csv", "participants.parquet", "enrolments.csv", "answers.parquet", "scores.csv"} <= names
    assert {"data_dictionary.csv", "suppressed.csv"} <= names
    enrolments = list(csv.DictReader(io.StringIO(_read(export, "enrolments.csv").decode())))
    pseudonyms = {r["pseudonym"] for r in enrolments}
    identities = {c.identity_number for c in w.people}
    # Pia (1985, F) is alone in her age band: left out; the four born 1990 (F) pass k = 3.
    assert len(enrolments) == 4 and export.people == 4
    assert export.report["dropped_people"] == 1 and export.report["groups"][0]["values"]["age_band"] == "40-49"
    for row in enrolments:
        assert row["region"] == "Region Test" and "unit" not in row
        assert row["pseudonym"] not in identities and len(row["pseudonym"]) == 16
    started = {e.citizen.identity_number: timezone.localtime(e.started_at).date() for e in w.enrolments}
    secret = w.project.secret
    for identity, day in started.items():
        who = anonymise.pseudonym(secret, identity)
        if who in pseudonyms:
            row = next(r for r in enrolments if r["pseudonym"] == who)
            assert row["started_on"] == (day + dt.timedelta(days=anonymise.date_offset(secret, identity))).isoformat()
    scores = pq.read_table(io.BytesIO(_read(export, "scores.parquet"))).to_pylist()
    assert {s["value"] for s in scores} == {9.0} and len(scores) == 3  # Pia answered too, but was left out
    dictionary = _read(export, "data_dictionary.csv").decode()
    assert "pseudonym" in dictionary and "answered_on" in dictionary
    logged = AccessLogEntry.objects.filter(action="export", object_type="research_export")
    assert logged.count() == 4 and w.patient.pk not in set(logged.values_list("citizen_id", flat=True))
    assert AuditEvent.objects.filter(action="research.export.make").exists()


def test_withdrawn_citizens_are_left_out_of_later_exports_and_pseudonyms_are_stable(research_world):
    w = research_world
    services.project_approve(actor=w.data_admin, project=w.project)
    _all_consent(w)
    first = services.export_make(actor=w.data_admin, project=w.project)
    leaving = w.people[1]
    services.consent_withdraw(actor=leaving.user, project=w.project)
    services.consent_give(actor=w.people[0].user, project=w.project)
    second = services.export_make(actor=w.data_admin, project=w.project)
    before = {r["pseudonym"] for r in csv.DictReader(io.StringIO(_read(first, "participants.csv").decode()))}
    after = {r["pseudonym"] for r in csv.DictReader(io.StringIO(_read(second, "participants.csv").decode()))}
    assert anonymise.pseudonym(w.project.secret, leaving.identity_number) in before - after
    assert after <= before  # the same people keep the same pseudonyms
    other = Project.objects.create(
        region=w.region,
        title="Annat",
        ethics_number="2",
        ethics_date=timezone.localdate(),
        principal_investigator="P",
        organisation="O",
        period_start=w.project.period_start,
        period_end=w.project.period_end,
    )
    assert anonymise.pseudonym(other.secret, leaving.identity_number) not in before


def test_files_expire(research_world):
    w = research_world
    services.project_approve(actor=w.data_admin, project=w.project)
    _all_consent(w)
    export = services.export_make(actor=w.data_admin, project=w.project)
    assert services.exports_expire(now=export.expires_at + dt.timedelta(seconds=1)) == 1
    export.refresh_from_db()
    assert export.removed_at is not None
    assert not default_storage.exists(services.file_path(export, "enrolments.csv"))
    with pytest.raises(PermissionDenied):
        services.export_file_open(actor=w.data_admin, export=export, name="enrolments.csv")


def test_the_pages_for_the_data_admin_the_citizen_and_outsiders(client, research_world):
    w = research_world
    force_login_staff(client, w.data_admin)
    assert w.project.title in client.get("/research/").content.decode()
    page = f"/research/{w.project.pk}/"
    client.post(page, {"action": "approve"})
    assert Project.objects.get().status == "approved"
    _all_consent(w)
    client.post(page, {"action": "export"})
    export = Export.objects.get()
    download = client.get(f"/research/{w.project.pk}/exports/{export.key}/enrolments.csv")
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(action="research.export.download").exists()
    client.logout()
    force_login_staff(client, w.other_admin)
    assert client.get(page).status_code == 404
    assert client.get(f"/research/{w.project.pk}/exports/{export.key}/enrolments.csv").status_code == 404
    client.logout()
    force_login_staff(client, w.clinician)
    assert client.get("/research/").status_code == 404
    client.logout()
    login_citizen(client, w.patient)
    assert w.project.title in client.get("/me/research/").content.decode()
    client.post(f"/me/research/{w.project.pk}/consent", {"answer": "no"})
    assert Consent.objects.get(citizen=w.patient).withdrawn_at is not None
    client.logout()
    login_citizen(client, w.stranger)
    assert w.project.title not in client.get("/me/research/").content.decode()
    assert client.post(f"/me/research/{w.project.pk}/consent", {"answer": "yes"}).status_code == 404
    assert not Response.objects.filter(citizen=w.stranger).exists()


def _csv_rows(export, name):
    return list(csv.DictReader(io.StringIO(_read(export, name).decode())))


def test_a_delivery_numbers_its_questionnaires_from_one_and_each_column_has_one_type(research_world):
    w = research_world
    services.project_approve(actor=w.data_admin, project=w.project)
    _all_consent(w)
    export = services.export_make(actor=w.data_admin, project=w.project)
    answers, scores = _csv_rows(export, "answers.csv"), _csv_rows(export, "scores.csv")
    # Three people kept, each with a PHQ-9 of nine answered questions; Pia's was left out before numbering.
    assert len(answers) == 27 and len(scores) == 3
    assert {r["response"] for r in scores} == {r["response"] for r in answers} == {"1", "2", "3"}
    assert {r["value"] for r in answers} == {"1"} and {r["value"] for r in scores} == {"9.0"}
    for table, spec in dictionary.TABLES.items():
        from_csv = _csv_rows(export, f"{table}.csv")
        from_parquet = pq.read_table(io.BytesIO(_read(export, f"{table}.parquet"))).to_pylist()
        assert len(from_csv) == len(from_parquet)
        for text_row, typed_row in zip(from_csv, from_parquet, strict=True):
            for column, kind, _text in spec:
                assert text_row[column] == str(dictionary.cell(kind, typed_row[column])), (table, column)
    assert {f["name"]: f["rows"] for f in export.files}["answers.csv"] == 27


def test_the_whole_delivery_is_one_zip_with_a_manifest_of_its_files(client, research_world):
    w = research_world
    services.project_approve(actor=w.data_admin, project=w.project)
    _all_consent(w)
    export = services.export_make(actor=w.data_admin, project=w.project)
    force_login_staff(client, w.data_admin)
    url = f"/research/{w.project.pk}/exports/{export.key}.zip"
    assert url in client.get(f"/research/{w.project.pk}/").content.decode()
    answer = client.get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    manifest = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
    assert (
        {m["file"] for m in manifest} == {f["name"] for f in export.files} == set(archive.namelist()) - {"manifest.csv"}
    )
    for m in manifest:
        data = archive.read(m["file"])
        assert hashlib.sha256(data).hexdigest() == m["sha256"] and int(m["bytes"]) == len(data)
    assert AuditEvent.objects.filter(action="research.export.download", data__file="*").count() == 1
    # A stored file changed afterwards is refused, not delivered.
    path = services.file_path(export, "scores.csv")
    default_storage.delete(path)
    default_storage.save(path, io.BytesIO(b"pseudonym\n"))
    with pytest.raises(ValidationError):
        services.export_zip(actor=w.data_admin, export=export)
    client.logout()
    force_login_staff(client, w.other_admin)
    assert client.get(url).status_code == 404
    Export.objects.filter(pk=export.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    client.logout()
    force_login_staff(client, w.data_admin)
    assert client.get(url).status_code == 404


def test_text_that_a_spreadsheet_would_run_is_delivered_as_text(research_world):
    w = research_world
    w.region.name = '=HYPERLINK("http://x","y")'
    w.region.save()
    services.project_approve(actor=w.data_admin, project=w.project)
    _all_consent(w)
    export = services.export_make(actor=w.data_admin, project=w.project)
    text = _read(export, "enrolments.csv").decode()
    assert '\'=HYPERLINK(""http://x"",""y"")' in text and ",=HYPERLINK" not in text
    assert {r["region"] for r in _csv_rows(export, "participants.csv")} == {'\'=HYPERLINK("http://x","y")'}

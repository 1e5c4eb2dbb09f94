"""The journal note and FHIR Bundle export, and marking what was exported."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from conftest import force_login_staff
from fyren.audit.models import AccessLogEntry
from fyren.clinic.tests.test_workspace import answer_phq9, urgent_message
from fyren.flags import services as flag_services
from fyren.instruments.tests.test_fhir_questionnaire import SCHEMA, validator_for
from fyren.journal import services
from fyren.journal.models import JournalExport
from fyren.journal.notes import default_period, note_text, summary_for
from fyren.messaging import services as messaging


def test_the_note_summarises_scores_with_bands_and_change_flags_and_messages(enrolled):
    today = timezone.localdate()
    answer_phq9(enrolled, [2] * 9)  # baseline 18
    enrolled.send = enrolled.enrolment.sends.filter(completed_at__isnull=True).first()
    answer_phq9(enrolled, [1] * 9)  # 9
    urgent_message(enrolled)
    flag = enrolled.enrolment.flags.get(kind="urgent_message")
    flag_services.flag_acknowledge(actor=enrolled.clinician, flag=flag, note="Ringt upp")
    thread = messaging.thread_for_enrolment(enrolled.enrolment)
    messaging.message_send(actor=enrolled.clinician, thread=thread, body="Svar", from_citizen=False)
    summary = summary_for(enrolled.enrolment, start=today - dt.timedelta(days=7), end=today, lang="en")
    with translation.override("en"):
        text = note_text(summary)
    assert "PHQ-9" in text or "phq9" in text.lower()
    assert ": 9 (Mild)" in text and "change since baseline" in text and "-9" in text
    assert "Ringt upp" in text and "urgent" in text
    assert "1 from the patient, 1 from the care team" in text
    assert "Jag vill inte leva" not in text  # messages by count and dates only


def test_exporting_marks_the_period_and_the_next_starts_after_it(enrolled):
    today = timezone.localdate()
    start, end = default_period(enrolled.enrolment)
    assert end == today
    export = services.journal_export_record(
        actor=enrolled.clinician, enrolment=enrolled.enrolment, start=start, end=end, lang="sv"
    )
    assert export.exported_by == enrolled.clinician and export.note.startswith("Internetbehandling")
    assert AccessLogEntry.objects.filter(action="export", object_type="journal_export").exists()
    assert default_period(enrolled.enrolment, today=today + dt.timedelta(days=5))[0] == today + dt.timedelta(days=1)


def test_a_bad_period_is_refused(enrolled):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.journal_export_record(
            actor=enrolled.clinician,
            enrolment=enrolled.enrolment,
            start=today,
            end=today - dt.timedelta(days=1),
            lang="sv",
        )
    with pytest.raises(ValidationError):
        services.journal_export_record(
            actor=enrolled.clinician,
            enrolment=enrolled.enrolment,
            start=today,
            end=today + dt.timedelta(days=1),
            lang="sv",
        )
    assert not JournalExport.objects.exists()


@pytest.mark.skipif(not SCHEMA.exists(), reason="npm ci installs the FHIR schema")
def test_the_bundle_validates_against_the_official_r4_schema(client, enrolled):
    answer_phq9(enrolled, [1] * 8 + [2])
    urgent_message(enrolled)
    thread = messaging.thread_for_enrolment(enrolled.enrolment)
    messaging.message_send(actor=enrolled.clinician, thread=thread, body="Vi ringer dig", from_citizen=False)
    force_login_staff(client, enrolled.clinician)
    base = f"/clinic/{enrolled.unit.pk}/enrolments/{enrolled.enrolment.pk}/journal/"
    preview = client.get(base)
    assert preview.status_code == 200 and "PHQ" in preview.context["note"]
    today = timezone.localdate().isoformat()
    response = client.post(base, {"period_start": today, "period_end": today})
    export = JournalExport.objects.get()
    assert response.url == f"/clinic/{enrolled.unit.pk}/journal/{export.pk}/"
    assert client.get(response.url).status_code == 200
    bundle = json.loads(client.get(f"/clinic/{enrolled.unit.pk}/journal/{export.pk}/bundle.json").content)
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds[0] == "Patient" and "CarePlan" in kinds and "QuestionnaireResponse" in kinds
    assert "Observation" in kinds and kinds.count("Communication") == 2 and kinds[-1] == "DocumentReference"
    errors = sorted(validator_for("Bundle").iter_errors(bundle), key=str)
    assert not errors, errors[:3]
    for entry in bundle["entry"]:
        resource = entry["resource"]
        problems = list(validator_for(resource["resourceType"]).iter_errors(resource))
        assert not problems, (resource["resourceType"], problems[:2])
    references = {e["fullUrl"] for e in bundle["entry"]}
    for entry in bundle["entry"]:
        subject = entry["resource"].get("subject", {})
        assert "reference" not in subject or subject["reference"] in references
    assert AccessLogEntry.objects.filter(action="export", object_type="fhir_bundle").exists()


def test_an_outsider_gets_404_on_the_journal_pages(client, enrolled):
    today = timezone.localdate()
    export = services.journal_export_record(
        actor=enrolled.clinician, enrolment=enrolled.enrolment, start=today, end=today, lang="sv"
    )
    force_login_staff(client, enrolled.outsider)
    for unit in (enrolled.unit, enrolled.other_unit):
        for url in (f"/clinic/{unit.pk}/journal/{export.pk}/", f"/clinic/{unit.pk}/journal/{export.pk}/bundle.json"):
            assert client.get(url).status_code == 404, url

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import force_login_staff, login_citizen
from fyren.instruments.fhir import instrument_to_questionnaire
from fyren.instruments.library import LIBRARY
from fyren.instruments.models import Instrument
from fyren.questionnaires.models import ScheduledSend

pytestmark = pytest.mark.django_db


def _fhir_file(change=None):
    resource = instrument_to_questionnaire(LIBRARY["gad7"])
    resource["name"] = "REGIONGAD"
    if change:
        change(resource)
    return SimpleUploadedFile("q.json", json.dumps(resource).encode(), content_type="application/fhir+json")


def test_a_designer_imports_a_fhir_questionnaire_as_the_regions_instrument(client, enrolled):
    designer = enrolled.enrolment.program_version.created_by
    force_login_staff(client, designer)
    response = client.post("/design/instruments/", {"region": enrolled.region.pk, "resource": _fhir_file()})
    assert response.status_code == 302
    instrument = Instrument.objects.get(owner=enrolled.region, code="regiongad")
    assert instrument.definition["scoring"]["scores"][0]["expression"]
    exported = client.get("/design/instruments/regiongad/fhir.json")
    assert exported["Content-Type"] == "application/fhir+json" and json.loads(exported.content)["item"]


def test_a_real_questionnaire_with_an_offered_score_says_so_on_the_instruments_page(client, enrolled):
    """The Argonaut AUDIT-C (weights, the scoring in words only): imported with the
    sum offered, said after the import and kept beside the instrument."""
    from pathlib import Path

    fixture = Path(__file__).resolve().parents[2] / "instruments" / "tests" / "fixtures" / "argonaut-audit-c.json"
    force_login_staff(client, enrolled.enrolment.program_version.created_by)
    upload = SimpleUploadedFile("audit-c.json", fixture.read_bytes(), content_type="application/fhir+json")
    response = client.post(
        "/design/instruments/", {"region": enrolled.region.pk, "resource": upload, "language": "en"}, follow=True
    )
    page = response.content.decode()
    instrument = Instrument.objects.get(owner=enrolled.region)
    assert instrument.definition["scoring"]["scores"][0]["proposed"]
    assert page.count("Fyren föreslår deras summa som poäng") == 2  # the message, and the table's notes
    later = client.get("/design/instruments/").content.decode()
    assert "<summary>Vad importen antog (3 anteckningar)</summary>" in later


def test_an_invalid_questionnaire_is_refused_with_the_problem_named(client, enrolled):
    force_login_staff(client, enrolled.enrolment.program_version.created_by)
    bad = _fhir_file(lambda r: r["item"][0].pop("linkId"))
    response = client.post("/design/instruments/", {"region": enrolled.region.pk, "resource": bad})
    assert response.status_code == 400 and "linkId" in response.content.decode()
    assert not Instrument.objects.exists()


@pytest.mark.parametrize("who", ["clinician", "outsider"])
def test_instrument_pages_are_404_for_non_designers(client, enrolled, who):
    force_login_staff(client, getattr(enrolled, who))
    assert client.get("/design/instruments/").status_code == 404
    assert client.post("/design/instruments/", {"region": enrolled.region.pk}).status_code == 404


def test_a_citizen_gets_404_on_instrument_pages(client, enrolled):
    login_citizen(client, enrolled.patient)
    assert client.get("/design/instruments/").status_code == 404
    assert client.get("/design/instruments/phq9/fhir.json").status_code == 404


def test_the_clinician_adds_and_moves_a_send_on_the_patient_page(client, enrolled):
    force_login_staff(client, enrolled.clinician)
    page = client.get(f"/clinic/{enrolled.unit.pk}/patients/{enrolled.patient.pk}/").content.decode()
    assert "PHQ9" in page
    later = dt.date.today() + dt.timedelta(days=5)
    client.post(
        f"/clinic/{enrolled.unit.pk}/enrolments/{enrolled.enrolment.pk}/sends/",
        {f"add{enrolled.enrolment.pk}-instrument": "gad7", f"add{enrolled.enrolment.pk}-due_on": later},
    )
    send = ScheduledSend.objects.get(instrument_code="gad7")
    assert send.due_on == later and send.reason == "manual"
    client.post(f"/clinic/{enrolled.unit.pk}/sends/{send.pk}/move/", {f"move{send.pk}-due_on": dt.date.today()})
    send.refresh_from_db()
    assert send.due_on == dt.date.today()


def test_an_outsider_cannot_add_or_move_sends(client, enrolled):
    force_login_staff(client, enrolled.outsider)
    url_add = f"/clinic/{enrolled.unit.pk}/enrolments/{enrolled.enrolment.pk}/sends/"
    assert client.post(url_add, {}).status_code == 404
    assert (
        client.post(f"/clinic/{enrolled.other_unit.pk}/enrolments/{enrolled.enrolment.pk}/sends/", {}).status_code
        == 404
    )
    assert client.post(f"/clinic/{enrolled.other_unit.pk}/sends/{enrolled.send.pk}/move/", {}).status_code == 404


def test_scheduling_defaults_to_today_returns_to_the_page_and_keeps_what_was_typed(client, enrolled):
    force_login_staff(client, enrolled.clinician)
    pk = enrolled.enrolment.pk
    overview = f"/clinic/{enrolled.unit.pk}/enrolments/{pk}/"
    page = client.get(overview).content.decode()
    assert f'name="add{pk}-due_on" value="{dt.date.today().isoformat()}"' in page
    url = f"/clinic/{enrolled.unit.pk}/enrolments/{pk}/sends/"
    done = client.post(url, {f"add{pk}-instrument": "gad7", f"add{pk}-due_on": dt.date.today(), "next": overview})
    assert done["Location"] == overview
    assert ScheduledSend.objects.filter(instrument_code="gad7", due_on=dt.date.today()).exists()

    refused = client.post(url, {f"add{pk}-instrument": "who5", f"add{pk}-due_on": "31/02", "next": overview})
    assert refused["Location"] == overview and not ScheduledSend.objects.filter(instrument_code="who5").exists()
    again = client.get(overview).content.decode()
    assert 'value="31/02"' in again and '<option value="who5" selected>' in again
    # Without a next address (or with one off the site) the overview is the place to return to.
    off_site = client.post(url, {f"add{pk}-instrument": "gad7", f"add{pk}-due_on": "", "next": "https://evil.example/"})
    assert off_site["Location"] == f"{overview}#sends-{pk}"

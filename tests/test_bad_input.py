"""Bad input gets a clear 400 and changes nothing, or is kept as typed: NUL
characters, decompression bombs and huge images, oversized uploads stopped
while they stream in, out-of-range questionnaire positions, stale or forged
questionnaire tokens, and text longer than a field holds."""

import io
import struct
import uuid
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import login_citizen
from fyren.messaging import services
from fyren.messaging.models import Attachment, Message
from fyren.programs.files import RejectedFile, check_upload
from fyren.questionnaires.models import Response
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def png_declaring(width: int, height: int) -> bytes:
    """A valid small PNG whose header claims ``width`` × ``height`` pixels."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    ihdr = data.index(b"IHDR")
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr : ihdr + 17])) & 0xFFFFFFFF
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", crc)
    return bytes(data)


@pytest.fixture
def thread_url(client, enrolled):  # noqa: F811
    login_citizen(client, enrolled.patient)
    thread = services.thread_for_enrolment(enrolled.enrolment)
    return f"/me/messages/{thread.pk}/"


def test_a_nul_character_is_refused_with_a_message_and_nothing_is_stored(client, thread_url):
    response = client.post(thread_url, {"body": "Hej\x00då", "client_token": str(uuid.uuid4()), "action": "send"})
    assert response.status_code == 400 and "NUL" in response.content.decode()
    autosave = client.post(thread_url, {"body": "a\x00"}, HTTP_X_AUTOSAVE="1")
    assert autosave.status_code == 400 and autosave.json()["ok"] is False
    assert client.get(thread_url + "?q=\x00").status_code == 400
    assert not Message.objects.exists()


@pytest.mark.parametrize(("width", "height"), [(12_000, 12_000), (100_000, 100_000)])
def test_huge_images_are_refused_before_they_are_decoded(width, height):
    with pytest.raises(RejectedFile, match="för stor|too large"):
        check_upload(png_declaring(width, height), kind="attachment")
    with pytest.raises(RejectedFile, match="för stor|too large"):
        check_upload(io.BytesIO(png_declaring(width, height)), kind="image")


def test_a_huge_image_attachment_is_a_clear_400_keeping_the_text(client, thread_url):
    bomb = SimpleUploadedFile("bomb.png", png_declaring(100_000, 100_000), content_type="image/png")
    response = client.post(
        thread_url, {"body": "Se bilden", "client_token": str(uuid.uuid4()), "action": "send", "attachments": [bomb]}
    )
    assert response.status_code == 400 and "för stor" in response.content.decode()
    assert not Attachment.objects.exists()
    assert Message.objects.get(status="draft").body == "Se bilden"


def test_an_upload_over_the_cap_is_stopped_while_streaming(client, thread_url, settings):
    settings.FYREN_MAX_UPLOAD_BYTES = 10_000
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 50_000, content_type="application/pdf")
    response = client.post(
        thread_url, {"body": "Bifogar", "client_token": str(uuid.uuid4()), "action": "send", "attachments": [big]}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "big.pdf är större än" in page
    assert not Attachment.objects.exists() and Message.objects.get(status="draft").body == "Bifogar"


def test_an_overlong_message_is_refused_and_the_text_kept(client, thread_url):
    text = "a" * 10_050
    response = client.post(thread_url, {"body": text, "client_token": str(uuid.uuid4()), "action": "send"})
    assert response.status_code == 400 and "för långt" in response.content.decode()
    assert text in response.content.decode()
    assert Message.objects.get(status="draft").body == text  # a draft holds more than a message
    note = client.post(thread_url, {"body": "b" * 60_000}, HTTP_X_AUTOSAVE="1").json()["message"]
    assert "50 000" in note
    assert len(Message.objects.get(status="draft").body) == 50_000


def _response(enrolled, client):  # noqa: F811
    login_citizen(client, enrolled.patient)
    client.post(f"/me/questionnaires/send/{enrolled.send.pk}/start/")
    return Response.objects.get(send=enrolled.send)


@pytest.mark.parametrize("value", ["x", "-1", "99999999999999999999", "1e9", ""])
def test_a_strange_question_position_shows_the_first_question(client, enrolled, value):  # noqa: F811
    response = _response(enrolled, client)
    url = f"/me/questionnaires/{response.pk}/"
    assert client.get(url, {"q": value, "one": "1"}).status_code == 200
    moved = client.post(url, {"position": value, "action": "next", "q-1": "1", "client_token": response.client_token})
    assert moved.status_code == 302


@pytest.mark.parametrize("token", [None, "", "not-a-uuid", str(uuid.uuid4())])
def test_a_missing_or_foreign_token_submits_nothing_and_keeps_the_answers(client, enrolled, token):  # noqa: F811
    response = _response(enrolled, client)
    data = {f"q-{n}": "1" for n in range(1, 10)} | {"action": "submit"}
    if token is not None:
        data["client_token"] = token
    page = client.post(f"/me/questionnaires/{response.pk}/", data)
    assert page.status_code == 400 and "Sidan var inaktuell" in page.content.decode()
    response.refresh_from_db()
    assert response.status == "draft" and response.answers["9"] == "1"  # kept as typed


def test_the_token_of_another_response_never_submits_that_response(client, enrolled, make):  # noqa: F811
    response = _response(enrolled, client)
    other = Response.objects.create(
        citizen=enrolled.patient, instrument_code="phq2", definition=response.definition, language="sv"
    )
    data = {f"q-{n}": "1" for n in range(1, 10)} | {"action": "submit", "client_token": str(other.client_token)}
    assert client.post(f"/me/questionnaires/{response.pk}/", data).status_code == 400
    other.refresh_from_db()
    response.refresh_from_db()
    assert other.status == "draft" and response.status == "draft"


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_send_far_away_in_time_is_refused_with_the_typed_date_kept(client, enrolled, day):  # noqa: F811
    import datetime as dt

    from django.core.exceptions import ValidationError

    from conftest import force_login_staff
    from fyren.questionnaires.models import ScheduledSend
    from fyren.questionnaires.services import send_add

    before = ScheduledSend.objects.count()
    force_login_staff(client, enrolled.clinician)
    pk = enrolled.enrolment.pk
    overview = f"/clinic/{enrolled.unit.pk}/enrolments/{pk}/"
    client.post(f"{overview}sends/", {f"add{pk}-instrument": "gad7", f"add{pk}-due_on": day, "next": overview})
    page = client.get(overview).content.decode()
    assert f'value="{day}"' in page and "Välj ett datum från" in page
    with pytest.raises(ValidationError):
        send_add(
            actor=enrolled.clinician, enrolment=enrolled.enrolment, instrument_code="gad7", due_on=dt.date(2400, 1, 1)
        )
    with pytest.raises(ValidationError):
        send_add(
            actor=enrolled.clinician,
            enrolment=enrolled.enrolment,
            instrument_code="gad7",
            due_on=enrolled.enrolment.started_at.date() - dt.timedelta(days=1),
        )
    assert ScheduledSend.objects.count() == before


def test_a_measurement_without_bounds_takes_those_of_its_unit():
    from django.core.exceptions import ValidationError

    from fyren.care.journey_services import _number

    assert _number("72,5", None, None, "kg") == 72.5
    for bad in ("9999", "-3", "inf", "nan", "1e400"):
        with pytest.raises(ValidationError):
            _number(bad, None, None, "kg")
    assert _number("123456", None, None, "steg") == 123456
    with pytest.raises(ValidationError):
        _number("1e12", None, None, "")


def test_absence_and_log_review_dates_out_of_range_are_form_errors(client, enrolled):  # noqa: F811
    from conftest import force_login_staff
    from fyren.flags.models import Absence

    force_login_staff(client, enrolled.clinician)
    response = client.post(
        f"/clinic/{enrolled.unit.pk}/absence/",
        {"user": str(enrolled.clinician.pk), "starts_on": "9999-01-01", "ends_on": "0001-01-01"},
    )
    assert response.status_code == 400 and 'value="9999-01-01"' in response.content.decode()
    assert not Absence.objects.exists()
    force_login_staff(client, enrolled.log_reviewer)
    assert client.get("/log-review/", {"date_from": "0001-01-01"}).status_code == 200
    assert "Välj ett datum från" in client.get("/log-review/", {"date_from": "0001-01-01"}).content.decode()

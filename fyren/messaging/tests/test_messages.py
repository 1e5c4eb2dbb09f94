"""Messages between a citizen (or guardian/proxy) and the care team."""

import io
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from conftest import force_login_staff, login_citizen
from fyren.flags.models import Flag
from fyren.messaging import services
from fyren.messaging.models import Attachment, Message, Thread
from fyren.notifications.models import Notification


def png(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def thread(enrolled):
    return services.thread_for_enrolment(enrolled.enrolment)


def send(thread, actor, body="Hej", *, from_citizen=True, **kwargs):
    return services.message_send(actor=actor, thread=thread, body=body, from_citizen=from_citizen, **kwargs)


def test_a_citizen_message_starts_the_units_waiting_time(enrolled, thread):
    message = send(thread, enrolled.patient.user, "Jag har en fråga")
    thread.refresh_from_db()
    assert message.status == "sent" and message.from_citizen
    assert thread.waiting_since == message.sent_at
    assert not Flag.objects.filter(kind=Flag.Kind.URGENT_MESSAGE).exists()


def test_urgent_words_raise_an_urgent_flag_once(enrolled, thread):
    message = send(thread, enrolled.patient.user, "Jag vill inte leva längre")
    flag = Flag.objects.get(kind=Flag.Kind.URGENT_MESSAGE)
    assert flag.urgent and flag.unit == enrolled.unit and flag.enrolment == enrolled.enrolment
    assert "vill inte leva" in flag.message["en"]
    assert message.urgent_phrases == ["vill inte leva"]


def test_sending_twice_with_the_same_token_stores_one_message(enrolled, thread):
    token = uuid.uuid4()
    first = send(thread, enrolled.patient.user, "Hej", client_token=token)
    again = send(thread, enrolled.patient.user, "Hej", client_token=token)
    assert first.pk == again.pk
    assert Message.objects.filter(thread=thread, status="sent").count() == 1


def test_an_empty_message_is_refused_and_nothing_is_stored(enrolled, thread):
    with pytest.raises(ValidationError):
        send(thread, enrolled.patient.user, "   ")
    assert not Message.objects.filter(status="sent").exists()


def test_drafts_are_kept_per_writer_and_replaced_by_the_sent_message(enrolled, thread):
    services.message_draft_save(actor=enrolled.patient.user, thread=thread, body="Första", from_citizen=True)
    services.message_draft_save(actor=enrolled.patient.user, thread=thread, body="Andra", from_citizen=True)
    assert Message.objects.get(status="draft").body == "Andra"
    send(thread, enrolled.patient.user, "Andra")
    assert not Message.objects.filter(status="draft").exists()


def test_attachments_are_checked_by_content(enrolled, thread):
    message = send(thread, enrolled.patient.user, "Bild", files=[png()])
    attachment = Attachment.objects.get(message=message)
    assert attachment.content_type == "image/png" and attachment.filename == "photo.png"
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as info:
        send(thread, enrolled.patient.user, "Fil", files=[fake])
    assert "report.pdf" in " ".join(info.value.messages)
    assert Message.objects.filter(status="sent").count() == 1


def test_too_many_files_are_refused(enrolled, thread, settings):
    settings.FYREN_MAX_ATTACHMENTS = 2
    with pytest.raises(ValidationError):
        send(thread, enrolled.patient.user, "Filer", files=[png(), png(), png()])


def test_a_team_reply_answers_what_waited_and_notifies_without_content(enrolled, thread):
    patient = enrolled.patient
    patient.email, patient.notify_email = "pia@example.se", True
    patient.save()
    asked = send(thread, patient.user, "Fråga")
    reply = send(thread, enrolled.clinician, "Svar", from_citizen=False)
    thread.refresh_from_db()
    asked.refresh_from_db()
    assert thread.waiting_since is None and thread.handling == "answered" and thread.handled_by == enrolled.clinician
    assert asked.read_at is not None
    notice = Notification.objects.get(event="new_message")
    assert notice.event_key == f"message:{reply.pk}"


def test_marking_no_answer_needed_records_who_and_when(enrolled, thread):
    send(thread, enrolled.patient.user, "Tack!")
    services.thread_mark_handled(actor=enrolled.clinician, thread=thread)
    thread.refresh_from_db()
    assert thread.waiting_since is None
    assert thread.handling == "no_answer_needed" and thread.handled_by == enrolled.clinician
    assert thread.handled_at is not None


def test_a_clinician_of_another_unit_cannot_write(enrolled, thread):
    with pytest.raises(PermissionDenied):
        send(thread, enrolled.outsider, "Hej", from_citizen=False)
    with pytest.raises(PermissionDenied):
        send(thread, enrolled.stranger.user, "Hej")


def test_a_guardian_writes_for_a_child_recorded_as_themself(enrolled, make):
    import datetime as dt

    from django.utils import timezone

    from fyren.care.services import enrolment_start
    from fyren.people.models import GuardianRelation

    child = make.citizen("Liten", "Patient", birth=timezone.localdate() - dt.timedelta(days=365 * 9))
    make.care_relation(child, enrolled.unit)
    GuardianRelation.objects.create(guardian=enrolled.patient, child=child, valid_from=timezone.localdate())
    enrolment = enrolment_start(
        actor=enrolled.clinician,
        citizen=child,
        program_version=enrolled.version,
        unit=enrolled.unit,
        assessment={"indication": "x", "reason": "y", "risk_considered": True},
    )
    child_thread = services.thread_for_enrolment(enrolment)
    message = send(child_thread, enrolled.patient.user, "Från mamma")
    assert message.sender == enrolled.patient.user and message.from_citizen


def test_an_ended_enrolment_closes_the_conversation_for_the_citizen(enrolled, thread):
    from fyren.care.services import enrolment_end

    enrolment_end(actor=enrolled.clinician, enrolment=enrolled.enrolment, completed=True)
    thread.refresh_from_db()
    with pytest.raises(ValidationError):
        send(thread, enrolled.patient.user, "Hej")


def test_a_contact_thread_needs_a_care_relation(enrolled):
    thread = services.thread_open(actor=enrolled.clinician, unit=enrolled.unit, citizen=enrolled.patient, subject="Tid")
    assert thread.enrolment is None
    with pytest.raises(PermissionDenied):
        services.thread_open(actor=enrolled.clinician, unit=enrolled.unit, citizen=enrolled.stranger, subject="Tid")


# --- pages ---------------------------------------------------------------------------------


def test_the_citizen_writes_and_sees_guidance_after_urgent_words(client, enrolled):
    login_citizen(client, enrolled.patient)
    response = client.get(f"/me/messages/enrolment/{enrolled.enrolment.pk}/")
    thread = Thread.objects.get(enrolment=enrolled.enrolment)
    assert response.url == f"/me/messages/{thread.pk}/"
    page = client.get(response.url)
    token = page.context["form"]["client_token"].value()
    response = client.post(response.url, {"body": "Jag vill dö", "client_token": token, "action": "send"})
    assert response.status_code == 302
    page = client.get(f"/me/messages/{thread.pk}/")
    assert b"112" in page.content and b'role="alert"' in page.content
    # A double submit of the same form stores nothing more.
    client.post(f"/me/messages/{thread.pk}/", {"body": "Jag vill dö", "client_token": token, "action": "send"})
    assert Message.objects.filter(thread=thread, status="sent").count() == 1


def test_a_rejected_file_keeps_the_text_as_a_draft(client, enrolled):
    login_citizen(client, enrolled.patient)
    thread = services.thread_for_enrolment(enrolled.enrolment)
    bad = SimpleUploadedFile("x.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post(
        f"/me/messages/{thread.pk}/",
        {"body": "Viktig text", "client_token": str(uuid.uuid4()), "action": "send", "attachments": [bad]},
    )
    assert response.status_code == 400
    assert "Viktig text" in response.content.decode()
    assert Message.objects.get(thread=thread, status="draft").body == "Viktig text"


def test_autosave_keeps_a_draft(client, enrolled):
    login_citizen(client, enrolled.patient)
    thread = services.thread_for_enrolment(enrolled.enrolment)
    response = client.post(
        f"/me/messages/{thread.pk}/", {"body": "Halvfärdig", "client_token": str(uuid.uuid4())}, HTTP_X_AUTOSAVE="1"
    )
    assert response.json()["ok"] is True
    assert client.get(f"/me/messages/{thread.pk}/").context["form"]["body"].value() == "Halvfärdig"


def test_another_citizen_gets_404_for_the_thread_and_its_files(client, enrolled):
    thread = services.thread_for_enrolment(enrolled.enrolment)
    message = send(thread, enrolled.patient.user, "Bild", files=[png()])
    attachment = message.attachments.get()
    login_citizen(client, enrolled.stranger)
    assert client.get(f"/me/messages/{thread.pk}/").status_code == 404
    assert client.get(f"/me/messages/{thread.pk}/files/{attachment.pk}/").status_code == 404
    assert client.get(f"/me/messages/enrolment/{enrolled.enrolment.pk}/").status_code == 404


def test_the_citizen_downloads_their_own_attachment(client, enrolled):
    thread = services.thread_for_enrolment(enrolled.enrolment)
    attachment = send(thread, enrolled.patient.user, "Bild", files=[png()]).attachments.get()
    login_citizen(client, enrolled.patient)
    response = client.get(f"/me/messages/{thread.pk}/files/{attachment.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_clinician_replies_from_the_unit_thread_page(client, enrolled):
    thread = services.thread_for_enrolment(enrolled.enrolment)
    send(thread, enrolled.patient.user, "Fråga")
    force_login_staff(client, enrolled.clinician)
    url = f"/clinic/{enrolled.unit.pk}/threads/{thread.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"body": "Svar från oss", "client_token": str(uuid.uuid4()), "action": "send"})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.handling == "answered"


def test_an_outsider_clinician_gets_404_on_every_unit_message_url(client, enrolled):
    thread = services.thread_for_enrolment(enrolled.enrolment)
    attachment = send(thread, enrolled.patient.user, "Bild", files=[png()]).attachments.get()
    force_login_staff(client, enrolled.outsider)
    base = f"/clinic/{enrolled.unit.pk}"
    for url in (
        f"{base}/inbox/",
        f"{base}/threads/{thread.pk}/",
        f"{base}/threads/{thread.pk}/files/{attachment.pk}/",
        f"{base}/enrolments/{enrolled.enrolment.pk}/messages/",
        f"{base}/patients/{enrolled.patient.pk}/contact/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (f"{base}/threads/{thread.pk}/handled/", f"{base}/threads/{thread.pk}/assign/"):
        assert client.post(url).status_code == 404, url
    # And through their own unit's URLs the thread does not exist either.
    assert client.get(f"/clinic/{enrolled.other_unit.pk}/threads/{thread.pk}/").status_code == 404


def test_the_inbox_lists_waiting_threads_oldest_first_with_assignment(client, enrolled):
    thread = services.thread_for_enrolment(enrolled.enrolment)
    send(thread, enrolled.patient.user, "Fråga")
    force_login_staff(client, enrolled.clinician)
    page = client.get(f"/clinic/{enrolled.unit.pk}/inbox/")
    assert list(page.context["threads"]) == [thread]
    response = client.post(
        f"/clinic/{enrolled.unit.pk}/threads/{thread.pk}/assign/", {"assignee": enrolled.clinician.pk}
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.assigned_to == enrolled.clinician
    html = client.get(f"/clinic/{enrolled.unit.pk}/inbox/").content.decode()
    row = html[html.index(f'<a href="/clinic/{enrolled.unit.pk}/threads/{thread.pk}/">') :]
    row = row[: row.index("</tr>")]
    assert f'action="/clinic/{enrolled.unit.pk}/threads/{thread.pk}/assign/"' in row
    assert f'action="/clinic/{enrolled.unit.pk}/threads/{thread.pk}/handled/"' in row
    assert f'<option value="{enrolled.clinician.pk}" selected>{enrolled.clinician.display_name}</option>' in row
    assert '<option value="">Vem som helst</option>' in row
    waited = timezone.localtime(thread.waiting_since)
    assert f'<time datetime="{waited.isoformat()}">{waited:%Y-%m-%d %H:%M}</time>' in row
    assert f"<td>{enrolled.version.display_title}</td>" in row
    client.post(f"/clinic/{enrolled.unit.pk}/threads/{thread.pk}/handled/")
    assert list(client.get(f"/clinic/{enrolled.unit.pk}/inbox/").context["threads"]) == []


def test_a_clinician_opens_a_contact_thread_once_even_if_the_form_is_sent_twice(client, enrolled):
    force_login_staff(client, enrolled.clinician)
    url = f"/clinic/{enrolled.unit.pk}/patients/{enrolled.patient.pk}/contact/"
    data = {"subject": "Ny tid", "body": "Vi behöver boka om.", "client_token": str(uuid.uuid4())}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Thread.objects.filter(subject="Ny tid").count() == 1


def test_a_contact_thread_and_its_first_message_are_made_together_or_not_at_all(enrolled):
    with pytest.raises(ValidationError):
        services.contact_thread_start(
            actor=enrolled.clinician,
            unit=enrolled.unit,
            citizen=enrolled.patient,
            subject="Tid",
            body="",
            client_token=uuid.uuid4(),
        )
    assert not Thread.objects.filter(subject="Tid").exists()


def test_sending_does_not_read_the_whole_conversation_and_a_mistake_shows_it_again(client, enrolled, thread):
    force_login_staff(client, enrolled.clinician)
    url = f"/clinic/{enrolled.unit.pk}/threads/{thread.pk}/"

    def reply(body):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, {"body": body, "client_token": str(uuid.uuid4())})
        # The conversation's messages (with their attachments) are not read to write one more.
        assert not [q for q in queries.captured_queries if 'FROM "messaging_attachment"' in q["sql"]]
        return response, len(queries)

    send(thread, enrolled.patient.user, "Första")
    reply("Svar ett")
    _first, short = reply("Svar två")
    for n in range(30):
        send(thread, enrolled.patient.user, f"Fråga {n}")
    response, long = reply("Svar tre")
    assert response.status_code == 302 and long == short  # the same however long the conversation
    mistake = client.post(url, {"body": "", "client_token": str(uuid.uuid4())})
    assert mistake.status_code == 400
    assert "Fråga 29" in mistake.content.decode()  # the conversation is shown with the error

"""The REST API for a citizen's app and a clinician's app: the same services and
rules as the pages (a step not open is 404, a repeat with the same client token
stores one answer), outsiders see nothing, refusals come back in one shape."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone
from oauth2_provider.models import Application

from fyren.accounts.roles import Role
from fyren.booking import schedule_services
from fyren.booking import services as booking
from fyren.care.models import DiaryEntry, ElementAnswer
from fyren.care.services import enrolment_start
from fyren.careplans import services as plan_services
from fyren.careplans.models import Comment
from fyren.messaging.models import Message
from fyren.messaging.services import message_send, thread_for_enrolment
from fyren.messaging.tests.test_messages import png
from fyren.programs import elements
from fyren.programs import services as program_services
from fyren.programs.models import Element, Step
from fyren.programs.tests.conftest import fill_for_publishing, publish
from fyren.questionnaires.models import Response

from .test_fhir import get, token

pytestmark = pytest.mark.django_db
BOTH = {"sv": "Text", "en": "Text"}
PHQ9 = {str(n): "1" for n in range(1, 10)}


@pytest.fixture
def app(db):
    return Application.objects.create(
        name="Fyren-appen",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://app.example.org/callback",
    )


@pytest.fixture
def api_world(world, make):
    """The patient enrolled at unit A in a program with an exercise, a diary and a
    PHQ-9 due at the start; a time offered; a conversation; a patient contract."""
    w = world
    designer = make.staff("designer", (Role.DESIGNER, w.unit))
    publisher = make.staff("publisher", (Role.PUBLISHER, w.unit))
    admin = make.staff("admin", (Role.CARE_PROVIDER_ADMIN, w.region))
    version = program_services.program_create(
        actor=designer, region=w.region, title="Oro", kind="treatment", languages=["sv", "en"]
    )
    w.step = fill_for_publishing(version)
    step = Step.objects.get(version=version)
    w.exercise = Element.objects.create(
        version=version,
        step=step,
        position=2,
        kind=elements.EXERCISE,
        content={**elements.empty_content(elements.EXERCISE), "prompt": BOTH},
    )
    w.diary = Element.objects.create(
        version=version,
        step=step,
        position=3,
        kind=elements.DIARY,
        content={
            **elements.empty_content(elements.DIARY),
            "title": BOTH,
            "fields": [{"key": "hours", "label": BOTH, "type": "number", "min": 0, "max": 24}],
        },
    )
    content = {**elements.empty_content(elements.QUESTIONNAIRE), "instrument": "phq9"}
    content["schedule"] = {"at_start": True}
    Element.objects.create(version=version, step=step, position=4, kind=elements.QUESTIONNAIRE, content=content)
    publish(version, designer=designer, publisher=publisher)
    program_services.unit_program_set(actor=admin, program=version.program, unit=w.unit, active=True)
    assessment = {"indication": "Oro", "reason": "Motiverad", "risk_considered": True}
    w.enrolment = enrolment_start(
        actor=w.clinician, citizen=w.patient, program_version=version, unit=w.unit, assessment=assessment
    )
    w.send = w.enrolment.sends.get(reason="start")
    schedule = schedule_services.schedule_save(
        actor=w.clinician, unit=w.unit, kind="clinician", title="", clinician=w.clinician
    )
    start = timezone.now() + dt.timedelta(days=3)
    w.slots = [
        schedule_services.slot_add(
            actor=w.clinician,
            schedule=schedule,
            starts_at=start + dt.timedelta(hours=n),
            minutes=30,
            visit_kind="at_unit",
            audience="listed",
        )
        for n in range(3)
    ]
    w.offer = booking.times_offer(actor=w.clinician, citizen=w.patient, slots=[w.slots[0]])[0]
    w.thread = thread_for_enrolment(w.enrolment)
    message_send(actor=w.clinician, thread=w.thread, from_citizen=False, body="Välkommen!")
    w.contract = plan_services.contract_start(actor=w.clinician, unit=w.unit, citizen=w.patient)
    return w


def post(client, url, bearer, payload, method="post"):
    return getattr(client, method)(url, payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {bearer}")


def test_programs_plan_step_and_answers(client, api_world, app):
    w = api_world
    mine = token(app, w.patient.user, "patient/*.rs")
    enrolments = get(client, "/api/v1/me/enrolments", mine).json()
    assert [e["id"] for e in enrolments] == [w.enrolment.pk]
    assert enrolments[0]["next_step"]["key"] == str(w.step.key)
    plan = get(client, f"/api/v1/me/enrolments/{w.enrolment.pk}", mine).json()
    assert plan["modules"][0]["state"] == "open" and plan["modules"][0]["steps"][0]["key"] == str(w.step.key)
    step = get(client, f"/api/v1/me/enrolments/{w.enrolment.pk}/steps/{w.step.key}", mine).json()
    assert [e["kind"] for e in step["elements"]] == ["text", "exercise", "diary", "questionnaire"]
    assert get(client, f"/api/v1/me/enrolments/{w.enrolment.pk}/steps/{uuid.uuid4()}", mine).status_code == 404

    url = f"/api/v1/me/enrolments/{w.enrolment.pk}/elements/{w.exercise.key}/answer"
    saved = post(client, url, mine, {"text": "Jag oroar mig mest på kvällen", "send": True}, method="put").json()
    assert saved["status"] == "sent" and saved["value"]["text"].startswith("Jag oroar")
    assert ElementAnswer.objects.get().status == "sent"

    entry = {"day": timezone.localdate().isoformat(), "values": {"hours": "7"}, "client_token": str(uuid.uuid4())}
    diary_url = f"/api/v1/me/enrolments/{w.enrolment.pk}/elements/{w.diary.key}/entries"
    assert post(client, diary_url, mine, entry).status_code == 201
    assert post(client, diary_url, mine, entry).status_code == 201  # a retry stores nothing more
    assert DiaryEntry.objects.count() == 1
    refused = post(client, diary_url, mine, {**entry, "values": {"hours": "30"}, "client_token": str(uuid.uuid4())})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "refused"
    assert DiaryEntry.objects.count() == 1


def test_a_due_questionnaire_is_answered_once(client, api_world, app):
    w = api_world
    mine = token(app, w.patient.user, "patient/*.rs")
    due = get(client, "/api/v1/me/questionnaires", mine).json()
    assert [d["send_id"] for d in due] == [w.send.pk] and due[0]["instrument"] == "phq9"
    questions = get(client, f"/api/v1/me/questionnaires/{w.send.pk}", mine).json()
    assert len(questions["definition"]["items"]) == 9
    incomplete = post(client, f"/api/v1/me/questionnaires/{w.send.pk}/response", mine, {"answers": {"1": "1"}})
    assert incomplete.status_code == 422
    assert Response.objects.get().answers == {"1": "1"}  # what was sent is kept as a draft
    first = post(client, f"/api/v1/me/questionnaires/{w.send.pk}/response", mine, {"answers": PHQ9}).json()
    again = post(client, f"/api/v1/me/questionnaires/{w.send.pk}/response", mine, {"answers": PHQ9}).json()
    assert first == again and first["status"] == "completed"
    assert Response.objects.count() == 1 and Response.objects.get().scores["total"] == 9
    assert get(client, "/api/v1/me/questionnaires", mine).json() == []
    # An id beyond the database's integers is a resource that does not exist (SQLite
    # raised OverflowError: found by schemathesis).
    huge = 10**25
    assert get(client, f"/api/v1/me/questionnaires/{huge}", mine).status_code == 404
    missing = post(client, f"/api/v1/me/questionnaires/{huge}/response", mine, {"answers": PHQ9})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_messages_read_and_send_with_a_file(client, api_world, app):
    w = api_world
    mine = token(app, w.patient.user, "patient/*.rs")
    threads = get(client, "/api/v1/me/threads", mine).json()
    assert [t["id"] for t in threads] == [w.thread.pk] and threads[0]["unread"] == 1
    messages = get(client, f"/api/v1/me/threads/{w.thread.pk}/messages", mine).json()
    assert [m["body"] for m in messages] == ["Välkommen!"]
    assert get(client, "/api/v1/me/threads", mine).json()[0]["unread"] == 0
    key = str(uuid.uuid4())
    for _ in range(2):  # a double send stores one message
        sent = client.post(
            f"/api/v1/me/threads/{w.thread.pk}/messages",
            {"body": "Tack!", "client_token": key, "files": [png("bild.png")]},
            HTTP_AUTHORIZATION=f"Bearer {mine}",
        )
        assert sent.status_code == 201, sent.content
    assert Message.objects.filter(body="Tack!").count() == 1
    attachment = sent.json()["attachments"][0]
    download = get(client, f"/api/v1/me/threads/{w.thread.pk}/attachments/{attachment['id']}", mine)
    assert download.status_code == 200
    stranger = token(app, w.stranger.user, "patient/*.rs")
    assert get(client, f"/api/v1/me/threads/{w.thread.pk}/messages", stranger).status_code == 404
    assert get(client, f"/api/v1/me/threads/{w.thread.pk}/attachments/{attachment['id']}", stranger).status_code == 404


def test_visits_accept_rebook_cancel(client, api_world, app):
    w = api_world
    mine = token(app, w.patient.user, "patient/*.rs")
    stranger = token(app, w.stranger.user, "patient/*.rs")
    assert post(client, f"/api/v1/me/bookings/{w.offer.pk}/accept", stranger, {}).status_code == 404
    accepted = post(client, f"/api/v1/me/bookings/{w.offer.pk}/accept", mine, {}).json()
    assert accepted["status"] == "booked"
    bookable = [s["id"] for s in get(client, "/api/v1/me/bookable-times", mine).json()]
    assert w.slots[1].pk in bookable
    times = [s["id"] for s in get(client, f"/api/v1/me/bookings/{w.offer.pk}/times", mine).json()]
    assert w.slots[1].pk in times and w.offer.slot_id not in times
    assert get(client, f"/api/v1/me/bookings/{w.offer.pk}/times", stranger).status_code == 404
    moved = post(client, f"/api/v1/me/bookings/{w.offer.pk}/rebook", mine, {"slot_id": w.slots[1].pk}).json()
    assert moved["id"] != w.offer.pk and moved["status"] == "booked"
    assert post(client, f"/api/v1/me/bookings/{moved['id']}/cancel", mine, {"reason": ""}).status_code == 422
    cancelled = post(client, f"/api/v1/me/bookings/{moved['id']}/cancel", mine, {"reason": "Sjuk"}).json()
    assert cancelled["status"] == "cancelled"


def test_the_care_plan_read_comment_agree(client, api_world, app):
    w = api_world
    mine = token(app, w.patient.user, "patient/*.rs")
    plan = get(client, "/api/v1/me/plan", mine).json()
    assert plan["revision"] == w.contract.revision and plan["agreed"] is False
    comment = {"text": "Kan vi ses på eftermiddagen?", "client_token": str(uuid.uuid4())}
    assert post(client, "/api/v1/me/plan/comments", mine, comment).status_code == 201
    assert post(client, "/api/v1/me/plan/comments", mine, comment).status_code == 201
    assert Comment.objects.count() == 1
    assert post(client, "/api/v1/me/plan/agree", mine, {"revision": plan["revision"]}).status_code == 204
    assert get(client, "/api/v1/me/plan", mine).json()["agreed"] is True
    assert get(client, "/api/v1/me/plan", token(app, w.stranger.user, "patient/*.rs")).status_code == 404


def test_clinician_inbox_dashboard_and_scores(client, api_world, app):
    w = api_world
    message_send(actor=w.patient.user, thread=w.thread, from_citizen=True, body="En fråga")
    staff = token(app, w.clinician, "user/*.rs")
    inbox = get(client, f"/api/v1/units/{w.unit.pk}/inbox", staff).json()
    assert [r["thread_id"] for r in inbox["rows"]] == [w.thread.pk] and inbox["meta"]["count"] == 1
    dashboard = get(client, f"/api/v1/units/{w.unit.pk}/dashboard?sort=name", staff).json()
    assert [r["enrolment_id"] for r in dashboard["rows"]] == [w.enrolment.pk]
    assert get(client, f"/api/v1/units/{w.unit.pk}/dashboard?sort=nonsense", staff).status_code == 422
    mine = token(app, w.patient.user, "patient/*.rs")
    post(client, f"/api/v1/me/questionnaires/{w.send.pk}/response", mine, {"answers": PHQ9})
    scores = get(client, f"/api/v1/units/{w.unit.pk}/enrolments/{w.enrolment.pk}/scores", staff).json()
    assert scores[0]["scores"] == {"total": 9}
    outsider = token(app, w.outsider, "user/*.rs")
    for url in (
        f"/api/v1/units/{w.unit.pk}/inbox",
        f"/api/v1/units/{w.unit.pk}/dashboard",
        f"/api/v1/units/{w.unit.pk}/enrolments/{w.enrolment.pk}/scores",
    ):
        assert get(client, url, outsider).status_code == 404
    assert (
        get(client, f"/api/v1/units/{w.other_unit.pk}/enrolments/{w.enrolment.pk}/scores", outsider).status_code == 404
    )
    narrow = token(app, w.clinician, "user/Flag.rs")
    assert get(client, f"/api/v1/units/{w.unit.pk}/inbox", narrow).status_code == 403

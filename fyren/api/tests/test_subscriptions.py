# ruff: noqa: F811 - pytest fixtures imported from other test modules are redefined as parameters
"""Topic-based subscriptions (FHIR R4 Subscriptions Backport, rest-hook): a
record system subscribes with its token for its unit, a real HTTP endpoint in
this process receives the handshake, the events and the heartbeats, and every
Bundle it receives is validated with ``fhir.resources``; what the endpoint
missed is found by the event numbers and fetched with ``$events``."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from fyren.audit.models import AccessLogEntry
from fyren.booking import services as booking
from fyren.booking.tests.conftest import booking_world  # noqa: F401 - fixture
from fyren.care.services import enrolment_end
from fyren.flags.services import flag_acknowledge, flag_raise
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture

from ..hook_receiver import HookReceiver, parameters
from ..models import Subscription, SubscriptionEvent
from ..subscriptions import deliver_subscription, subscriptions_sweep, topic_url
from .test_fhir import fhir_world, get, record_system, system_token  # noqa: F401 - fixtures and helpers

pytestmark = pytest.mark.django_db
B = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/"
SCOPE = "system/*.rs system/Subscription.cruds"


class Receiver:
    """A record system's endpoint that validates and keeps every Bundle POSTed to it
    (and answers ``status``)."""

    def __init__(self):
        self.bundles: list[dict] = []
        self.headers: list[dict] = []
        self.status = 200
        self.hook = HookReceiver(self._take, path="/fhir-hook").start()
        self.url = self.hook.url

    def _take(self, bundle: dict, headers: dict) -> int:
        if self.status == 200:
            Bundle.model_validate(bundle)  # a valid FHIR Bundle, or the POST fails
            self.bundles.append(bundle)
            self.headers.append(headers)
        return self.status

    def kinds(self) -> list[str]:
        return [status(b)["type"] for b in self.bundles]

    def events(self) -> list[tuple[int, str]]:
        """(event number, focus) of every event received, in order."""
        out = []
        for bundle in self.bundles:
            for event in status(bundle).get("notification-event", []):
                out.append((int(event["event-number"]), event.get("focus", "")))
        return out


def status(bundle: dict) -> dict:
    """The status Parameters (the first entry) as a dict, with its events under ``notification-event``."""
    assert bundle["entry"][0]["resource"]["resourceType"] == "Parameters"
    values, events = parameters(bundle)
    return {**values, **({"notification-event": events} if events else {})}


@pytest.fixture
def receiver(settings):
    settings.FYREN_SUBSCRIPTION_HTTP_ALLOWED = True
    endpoint = Receiver()
    yield endpoint
    endpoint.hook.stop()


def subscription_body(topic, endpoint, *, content="id-only", patient=None, heartbeat=None, headers=None):
    channel = {
        "type": "rest-hook",
        "endpoint": endpoint,
        "payload": "application/fhir+json",
        "_payload": {"extension": [{"url": B + "backport-payload-content", "valueCode": content}]},
    }
    if heartbeat:
        channel["extension"] = [{"url": B + "backport-heartbeat-period", "valueUnsignedInt": heartbeat}]
    if headers:
        channel["header"] = headers
    body = {
        "resourceType": "Subscription",
        "meta": {"profile": [B + "backport-subscription"]},
        "status": "requested",
        "reason": "Journalsystemet",
        "criteria": topic_url(topic),
        "channel": channel,
    }
    if patient:
        body["_criteria"] = {
            "extension": [
                {"url": B + "backport-filter-criteria", "valueString": f"QuestionnaireResponse?patient={patient}"}
            ]
        }
    return body


def subscribe(client, token, body, captured):
    with captured(execute=True):
        response = client.post(
            "/fhir/Subscription",
            json.dumps(body),
            content_type="application/fhir+json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    return response


@pytest.fixture
def token(client, record_system):
    issued = system_token(client, scope=SCOPE)
    assert issued.status_code == 200 and "system/Subscription.cruds" in issued.json()["scope"]
    return issued.json()["access_token"]


def _answer_phq9(w):
    from fyren.questionnaires.services import response_start, response_submit
    from fyren.questionnaires.tests.conftest import phq9_raw

    draft = response_start(
        actor=w.patient.user, citizen=w.patient, instrument_code="phq9", language="sv", enrolment=w.enrolment
    )
    return response_submit(actor=w.patient.user, client_token=draft.client_token, raw=phq9_raw([3] * 9))


def test_a_record_system_subscribes_shakes_hands_and_gets_each_completed_questionnaire(
    client,
    fhir_world,
    token,
    receiver,
    django_capture_on_commit_callbacks,
):
    w = fhir_world
    created = subscribe(
        client,
        token,
        subscription_body(
            "questionnaire-response-completed", receiver.url, headers=["Authorization: Bearer hook-secret"]
        ),
        django_capture_on_commit_callbacks,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "requested" and created["Location"].endswith(f"/fhir/Subscription/{body['id']}")
    assert receiver.kinds() == ["handshake"]
    assert receiver.headers[0]["Authorization"] == "Bearer hook-secret"
    assert receiver.headers[0]["Content-Type"] == "application/fhir+json"
    subscription = Subscription.objects.get()
    assert subscription.status == "active"

    with django_capture_on_commit_callbacks(execute=True):
        answered = _answer_phq9(w)
    assert receiver.kinds() == ["handshake", "event-notification"]
    notice = status(receiver.bundles[1])
    assert notice["events-since-subscription-start"] == "1" and notice["topic"] == topic_url(
        "questionnaire-response-completed"
    )
    assert notice["notification-event"] == [
        {
            "event-number": "1",
            "timestamp": notice["notification-event"][0]["timestamp"],
            "focus": f"QuestionnaireResponse/{answered.pk}",
        }
    ]
    assert len(receiver.bundles[1]["entry"]) == 1  # id-only: no resource
    assert receiver.bundles[1]["type"] == "history" and receiver.bundles[1]["entry"][0]["request"]["method"] == "GET"
    # The record system read that the patient answered: in the access log, as the system.
    entry = AccessLogEntry.objects.filter(citizen=w.patient, object_type="fhir:Subscription").get()
    assert entry.role == "system" and entry.unit == w.unit and entry.actor_label == "system via Journalsystemet"
    # Saving the answer again reports nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        answered.save()
    assert len(receiver.bundles) == 2 and SubscriptionEvent.objects.count() == 1


def test_full_resource_notifications_carry_the_resource_the_client_may_read(
    client,
    fhir_world,
    token,
    receiver,
    django_capture_on_commit_callbacks,
):
    w = fhir_world
    subscribe(
        client,
        token,
        subscription_body("questionnaire-response-completed", receiver.url, content="full-resource"),
        django_capture_on_commit_callbacks,
    )
    with django_capture_on_commit_callbacks(execute=True):
        answered = _answer_phq9(w)
    bundle = receiver.bundles[-1]
    (focus,) = bundle["entry"][1:]
    assert focus["resource"]["resourceType"] == "QuestionnaireResponse" and focus["resource"]["id"] == str(answered.pk)
    assert focus["fullUrl"].endswith(f"/QuestionnaireResponse/{answered.pk}") and focus["request"]["method"] == "PUT"


def test_each_topic_reports_its_change(client, fhir_world, token, receiver, django_capture_on_commit_callbacks):
    w = fhir_world
    for topic in (
        "urgent-flag-raised",
        "urgent-flag-acknowledged",
        "journal-note-ready",
        "enrolment-ended",
        "booking-made",
        "booking-moved",
        "booking-cancelled",
    ):
        assert (
            subscribe(
                client, token, subscription_body(topic, receiver.url), django_capture_on_commit_callbacks
            ).status_code
            == 201
        )
    from fyren.journal.services import journal_export_record

    with django_capture_on_commit_callbacks(execute=True):
        flag = flag_raise(kind="screening", citizen=w.patient, unit=w.unit, urgent=True, source_type="t", source_id="1")
        flag_raise(kind="inactivity", citizen=w.patient, unit=w.unit, source_type="t", source_id="2")  # not urgent
        flag_acknowledge(actor=w.clinician, flag=flag, note="Ringt upp")
        today = timezone.localdate()
        export = journal_export_record(actor=w.clinician, enrolment=w.enrolment, start=today, end=today, lang="sv")
        made = booking.booking_make(actor=w.clinician, citizen=w.patient, slot=w.slots[1])
        moved = booking.booking_rebook(actor=w.clinician, booking=made, slot=w.slots[2])
        booking.booking_cancel(actor=w.clinician, booking=moved, reason="Förhinder")
        enrolment_end(actor=w.clinician, enrolment=w.enrolment, completed=True)
    by_topic = {}
    for bundle in receiver.bundles:
        notice = status(bundle)
        if notice["type"] == "event-notification":
            by_topic.setdefault(notice["topic"].rsplit("/", 1)[1], []).extend(
                e["focus"] for e in notice["notification-event"]
            )
    assert by_topic == {
        "urgent-flag-raised": [f"Flag/{flag.pk}"],
        "urgent-flag-acknowledged": [f"Flag/{flag.pk}"],
        "journal-note-ready": [f"DocumentReference/{export.pk}"],
        "booking-made": [f"Appointment/{made.pk}"],
        "booking-moved": [f"Appointment/{moved.pk}"],
        "booking-cancelled": [f"Appointment/{moved.pk}"],
        "enrolment-ended": [f"CarePlan/enrolment-{w.enrolment.pk}"],
    }
    # The Flag a notification names is readable on the FHIR server with the same token.
    read = get(client, f"/fhir/Flag/{flag.pk}", token)
    assert read.status_code == 200 and read.json()["status"] == "inactive"


def test_a_patient_filter_and_another_unit(
    client,
    fhir_world,
    token,
    receiver,
    django_capture_on_commit_callbacks,
    make,
):
    w = fhir_world
    other = make.citizen("Olle")
    refused = subscribe(
        client,
        token,
        subscription_body("questionnaire-response-completed", receiver.url, patient=f"Patient/{other.pk}"),
        django_capture_on_commit_callbacks,
    )
    assert refused.status_code == 422 and "not a patient of the unit" in refused.json()["issue"][0]["diagnostics"]
    ok = subscribe(
        client,
        token,
        subscription_body("questionnaire-response-completed", receiver.url, patient=f"Patient/{w.patient.pk}"),
        django_capture_on_commit_callbacks,
    )
    assert ok.status_code == 201 and ok.json()["_criteria"]["extension"][0]["valueString"].endswith(
        f"Patient/{w.patient.pk}"
    )
    # A flag at the other unit is no event of this unit's subscription.
    subscribe(client, token, subscription_body("urgent-flag-raised", receiver.url), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        flag_raise(kind="screening", citizen=w.patient, unit=w.other_unit, urgent=True, source_type="t", source_id="9")
    assert receiver.kinds() == ["handshake", "handshake"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b: b.update(criteria="http://example.org/SubscriptionTopic/admission"), "one of this server's topics"),
        (lambda b: b["channel"].update(type="websocket"), "rest-hook"),
        (lambda b: b["channel"].update(endpoint="ftp://example.org/x"), "https"),
        (lambda b: b["channel"]["_payload"]["extension"][0].update(valueCode="everything"), "empty, id-only"),
        (lambda b: b["channel"].update(payload="application/fhir+xml"), "application/fhir+json"),
        (
            lambda b: b.update(
                _criteria={
                    "extension": [
                        {"url": B + "backport-filter-criteria", "valueString": "QuestionnaireResponse?status=completed"}
                    ]
                }
            ),
            "patient=Patient/<id>",
        ),
        (
            lambda b: b["channel"].update(extension=[{"url": B + "backport-heartbeat-period", "valueUnsignedInt": 1}]),
            "from 10",
        ),
    ],
)
def test_what_cannot_be_honoured_is_refused_and_nothing_is_made(client, fhir_world, token, receiver, change, message):
    body = subscription_body("questionnaire-response-completed", receiver.url)
    change(body)
    response = client.post(
        "/fhir/Subscription",
        json.dumps(body),
        content_type="application/fhir+json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422 and message in response.json()["issue"][0]["diagnostics"]
    assert not Subscription.objects.exists()


def test_an_http_endpoint_is_refused_unless_allowed_and_full_resource_needs_the_read_scope(
    client,
    fhir_world,
    record_system,
    settings,
):
    issued = system_token(client, scope="system/Subscription.cruds")
    token = issued.json()["access_token"]
    body = subscription_body("questionnaire-response-completed", "http://127.0.0.1:9/hook")
    response = client.post(
        "/fhir/Subscription",
        json.dumps(body),
        content_type="application/fhir+json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422 and "https" in response.json()["issue"][0]["diagnostics"]
    settings.FYREN_SUBSCRIPTION_HTTP_ALLOWED = True
    full = subscription_body(
        "questionnaire-response-completed", "https://journal.example.org/hook", content="full-resource"
    )
    response = client.post(
        "/fhir/Subscription",
        json.dumps(full),
        content_type="application/fhir+json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422 and "full-resource needs a scope" in response.json()["issue"][0]["diagnostics"]


def test_an_endpoint_that_is_down_then_back_misses_nothing(
    client,
    fhir_world,
    token,
    receiver,
    django_capture_on_commit_callbacks,
):
    """Events go on being numbered while the endpoint is down; after too many
    failures the subscription is in error ($status says so); the client asks for
    it again, and gets the backlog in order; $events gives any range again."""
    w = fhir_world
    subscribe(client, token, subscription_body("urgent-flag-raised", receiver.url), django_capture_on_commit_callbacks)
    subscription = Subscription.objects.get()
    receiver.status = 503
    flags = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(7):
            flags.append(
                flag_raise(
                    kind="screening", citizen=w.patient, unit=w.unit, urgent=True, source_type="t", source_id=str(n)
                )
            )
    subscription.refresh_from_db()
    assert subscription.status == "error" and subscription.events_count == 7 and "503" in subscription.error
    checked = get(client, f"/fhir/Subscription/{subscription.key}/$status", token).json()
    (entry,) = checked["entry"]
    parameters = {p["name"]: p for p in entry["resource"]["parameter"]}
    assert (
        parameters["status"]["valueCode"] == "error"
        and parameters["events-since-subscription-start"]["valueString"] == "7"
    )
    assert parameters["type"]["valueCode"] == "query-status" and "error" in parameters

    receiver.status = 200
    again = client.get(f"/fhir/Subscription/{subscription.key}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    again["status"] = "requested"
    with django_capture_on_commit_callbacks(execute=True):
        put = client.put(
            f"/fhir/Subscription/{subscription.key}",
            json.dumps(again),
            content_type="application/fhir+json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    assert put.status_code == 200
    assert [number for number, _focus in receiver.events()] == [1, 2, 3, 4, 5, 6, 7]
    assert receiver.kinds()[-2:] == ["handshake", "event-notification"]
    subscription.refresh_from_db()
    assert subscription.status == "active" and subscription.failures == 0

    events = get(
        client, f"/fhir/Subscription/{subscription.key}/$events?eventsSinceNumber=3&eventsUntilNumber=4", token
    ).json()
    Bundle.model_validate(events)
    replay = status(events)
    assert replay["type"] == "query-event" and [e["event-number"] for e in replay["notification-event"]] == ["3", "4"]
    assert [e["focus"] for e in replay["notification-event"]] == [f"Flag/{flags[2].pk}", f"Flag/{flags[3].pk}"]


def test_a_worker_that_dies_after_the_post_sends_again_and_the_numbers_show_it(
    client,
    fhir_world,
    token,
    receiver,
    django_capture_on_commit_callbacks,
):
    w = fhir_world
    subscribe(client, token, subscription_body("urgent-flag-raised", receiver.url), django_capture_on_commit_callbacks)
    subscription = Subscription.objects.get()
    flag_raise(
        kind="screening", citizen=w.patient, unit=w.unit, urgent=True, source_type="t", source_id="1"
    )  # task not run
    event = SubscriptionEvent.objects.get()
    assert event.delivered_at is None
    # A worker claimed it and died: the sweep leaves it while the claim is fresh, takes it up when stale.
    Subscription.objects.filter(pk=subscription.pk).update(sending_since=timezone.now())
    assert subscriptions_sweep()["delivery"] == 0
    Subscription.objects.filter(pk=subscription.pk).update(sending_since=timezone.now() - timezone.timedelta(minutes=6))
    assert subscriptions_sweep()["delivery"] == 1
    assert [n for n, _f in receiver.events()] == [1]
    assert deliver_subscription.call(subscription.pk) == "sent 0"  # nothing more to send


def test_heartbeats_when_nothing_happens(client, fhir_world, token, receiver, django_capture_on_commit_callbacks):
    subscribe(
        client, token, subscription_body("booking-made", receiver.url, heartbeat=60), django_capture_on_commit_callbacks
    )
    assert subscriptions_sweep()["heartbeat"] == 0  # just shook hands
    later = timezone.now() + timezone.timedelta(seconds=61)
    assert subscriptions_sweep(now=later)["heartbeat"] == 1
    heartbeat = status(receiver.bundles[-1])
    assert heartbeat["type"] == "heartbeat" and heartbeat["events-since-subscription-start"] == "0"


def test_a_failed_handshake_puts_it_in_error(client, fhir_world, token, receiver, django_capture_on_commit_callbacks):
    receiver.status = 404
    created = subscribe(
        client, token, subscription_body("booking-made", receiver.url), django_capture_on_commit_callbacks
    )
    assert created.status_code == 201
    subscription = Subscription.objects.get()
    assert subscription.status == "error" and "handshake" in subscription.error


def test_another_clients_subscription_is_404_and_people_cannot_subscribe(
    client,
    fhir_world,
    token,
    receiver,
    django_capture_on_commit_callbacks,
    make,
):
    from oauth2_provider.models import Application

    from ..models import UnitClient
    from .test_fhir import token as person_token

    w = fhir_world
    subscribe(client, token, subscription_body("booking-made", receiver.url), django_capture_on_commit_callbacks)
    key = Subscription.objects.get().key
    other = Application.objects.create(
        name="Grannens journal",
        client_id="journal-b",
        client_secret="other-secret",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )
    UnitClient.objects.create(application=other, unit=w.other_unit)
    theirs = system_token(client, client_id="journal-b", secret="other-secret", scope=SCOPE).json()["access_token"]  # noqa: S106
    for url in (f"/fhir/Subscription/{key}", f"/fhir/Subscription/{key}/$status", f"/fhir/Subscription/{key}/$events"):
        assert get(client, url, theirs).status_code == 404
    assert client.delete(f"/fhir/Subscription/{key}", HTTP_AUTHORIZATION=f"Bearer {theirs}").status_code == 404
    assert get(client, "/fhir/Subscription", theirs).json()["total"] == 0
    assert get(client, "/fhir/Subscription/not-a-uuid", token).status_code == 404
    app = Application.objects.create(name="App", client_type="public", authorization_grant_type="authorization-code")
    for bearer in (person_token(app, w.patient.user, "patient/*.rs"), person_token(app, w.clinician, "user/*.rs")):
        assert get(client, "/fhir/Subscription", bearer).status_code == 403
    read_only = system_token(client).json()["access_token"]
    body = subscription_body("booking-made", receiver.url)
    response = client.post(
        "/fhir/Subscription",
        json.dumps(body),
        content_type="application/fhir+json",
        HTTP_AUTHORIZATION=f"Bearer {read_only}",
    )
    assert response.status_code == 403
    assert client.delete(f"/fhir/Subscription/{key}", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 204
    assert not Subscription.objects.exists()


def test_the_capability_statement_lists_the_topics_and_operations(client):
    body = client.get("/fhir/metadata").json()
    rest = body["rest"][0]
    subscription = next(r for r in rest["resource"] if r["type"] == "Subscription")
    assert B + "backport-subscription" in subscription["supportedProfile"]
    assert {o["name"] for o in subscription["operation"]} == {"$status", "$events"}
    canonicals = [e["valueCanonical"] for e in subscription["extension"]]
    assert topic_url("questionnaire-response-completed") in canonicals and len(canonicals) == 9
    assert (
        "http://hl7.org/fhir/uv/subscriptions-backport/CapabilityStatement/backport-subscription-server-r4"
        in body["instantiates"]
    )


def test_delivered_events_expire_and_the_scheduler_sweeps_every_minute(
    client, fhir_world, token, receiver, django_capture_on_commit_callbacks, settings
):
    from django.core.management import call_command

    from fyren.scheduler.jobs import JOBS

    from ..subscriptions import events_expire

    assert any(job.command == "sweep_subscriptions" and job.every == "minute" for job in JOBS)
    w = fhir_world
    subscribe(client, token, subscription_body("urgent-flag-raised", receiver.url), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        flag_raise(kind="screening", citizen=w.patient, unit=w.unit, urgent=True, source_type="t", source_id="1")
    receiver.status = 503
    with django_capture_on_commit_callbacks(execute=True):
        flag_raise(kind="screening", citizen=w.patient, unit=w.unit, urgent=True, source_type="t", source_id="2")
    later = timezone.now() + timezone.timedelta(days=settings.FYREN_SUBSCRIPTION_EVENT_DAYS + 1)
    assert events_expire(now=later) == 1  # the delivered one; the one still owed stays
    assert list(SubscriptionEvent.objects.values_list("number", flat=True)) == [2]
    call_command("sweep_subscriptions", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123 - quiet


def test_the_demo_receiver_prints_each_event(client, fhir_world, token, receiver, django_capture_on_commit_callbacks):
    from ..management.commands.receive_notifications import summary

    w = fhir_world
    subscribe(
        client,
        token,
        subscription_body("urgent-flag-raised", receiver.url, content="full-resource"),
        django_capture_on_commit_callbacks,
    )
    with django_capture_on_commit_callbacks(execute=True):
        flag = flag_raise(kind="screening", citizen=w.patient, unit=w.unit, urgent=True, source_type="t", source_id="1")
    assert summary(receiver.bundles[0]) == ["handshake (urgent-flag-raised, 0 events so far)"]
    assert summary(receiver.bundles[1]) == [f"event 1: urgent-flag-raised → Flag/{flag.pk} (+1 resources)"]


def test_a_journal_note_goes_to_the_units_record_system_and_its_page_says_whether_it_arrived(
    client, fhir_world, token, receiver, django_capture_on_commit_callbacks
):
    """Point 2: marking the note sends it (the record system receives the
    DocumentReference, text and HTML) and the note's page shows it was received,
    with the receiver's answer; when the endpoint is down it says so and why."""
    import base64

    from django.test import Client

    from conftest import force_login_staff

    w = fhir_world
    subscribe(
        client,
        token,
        subscription_body("journal-note-ready", receiver.url, content="full-resource"),
        django_capture_on_commit_callbacks,
    )
    staff = Client()
    force_login_staff(staff, w.clinician)
    page = staff.get(f"/clinic/{w.unit.pk}/enrolments/{w.enrolment.pk}/journal/").content.decode()
    assert "Journalsystemet" in page  # told that notes go there by themselves
    today = timezone.localdate().isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        marked = staff.post(
            f"/clinic/{w.unit.pk}/enrolments/{w.enrolment.pk}/journal/",
            {"period_start": today, "period_end": today},
            follow=True,
        )
    assert "Väntar på att skickas till Journalsystemet" in marked.content.decode()  # delivered after the commit
    shown = staff.get(marked.redirect_chain[-1][0]).content.decode()
    assert "Mottaget av Journalsystemet" in shown and "200 OK" in shown
    (document,) = [e["resource"] for e in receiver.bundles[-1]["entry"][1:]]
    kinds = [c["attachment"]["contentType"] for c in document["content"]]
    assert kinds == ["text/plain; charset=utf-8", "text/html; charset=utf-8"]
    html_note = base64.b64decode(document["content"][1]["attachment"]["data"]).decode()
    assert html_note.startswith("<!DOCTYPE html>") and "<pre" in html_note

    receiver.status = 503
    from fyren.journal.models import JournalExport
    from fyren.journal.services import journal_export_record

    with django_capture_on_commit_callbacks(execute=True):
        export = journal_export_record(
            actor=w.clinician, enrolment=w.enrolment, start=timezone.localdate(), end=timezone.localdate(), lang="sv"
        )
    failed = staff.get(f"/clinic/{w.unit.pk}/journal/{export.pk}/").content.decode()
    assert "Inte mottaget av Journalsystemet" in failed and "503" in failed
    assert JournalExport.objects.count() == 3


def test_a_unit_without_a_connected_record_system_copies_by_hand(client, fhir_world):
    from django.test import Client

    from conftest import force_login_staff

    w = fhir_world
    staff = Client()
    force_login_staff(staff, w.clinician)
    shown = staff.get(f"/clinic/{w.unit.pk}/journal/{w.export.pk}/").content.decode()
    assert "Kopiera anteckningen till journalen" in shown and "Mottaget av" not in shown

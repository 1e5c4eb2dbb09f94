"""Every URL of the clinician workspace and of the citizen's messages, found from
the URL configuration itself: an outsider gets 404 (405 for a GET on a POST-only
URL, which says nothing about any object). A new URL with an object id this test
does not know fails here until it is added below."""

import datetime as dt
import uuid

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone

from conftest import force_login_staff, login_citizen
from fyren.booking import schedule_services
from fyren.booking import services as booking_services
from fyren.booking.guarantee_services import guarantee_register
from fyren.care import team_services
from fyren.care.models import ElementAnswer
from fyren.careplans import services as careplans
from fyren.clinic import urls as clinic_urls
from fyren.clinic.tests.test_workspace import answer_phq9
from fyren.episodes import services as episodes
from fyren.episodes.models import Episode
from fyren.flags import services as flag_services
from fyren.journal import services as journal
from fyren.messaging import services as messaging
from fyren.messaging import urls as messaging_urls
from fyren.messaging.tests.test_messages import png
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture


def _names(module):
    return [(p.name, list(p.pattern.converters)) for p in module.urlpatterns if isinstance(p, URLPattern)]


CLINIC = _names(clinic_urls)
MESSAGING = _names(messaging_urls)


@pytest.fixture
def objects(enrolled, make):  # noqa: F811
    w = enrolled
    thread = messaging.thread_for_enrolment(w.enrolment)
    message = messaging.message_send(
        actor=w.patient.user, thread=thread, body="Jag vill inte leva", from_citizen=True, files=[png()]
    )
    third = make.unit(w.region, "C1", "Unit C")
    today = timezone.localdate()
    care_request = episodes.care_request_send(
        actor=w.clinician, citizen=w.patient, from_unit=w.unit, to_unit=third, reason="KBT", client_token=uuid.uuid4()
    )
    contract = careplans.contract_start(actor=w.clinician, unit=w.unit, citizen=w.patient)
    invitation = careplans.contract_invite(actor=w.clinician, contract=contract, unit=w.unit, invited_unit=third)
    schedule = schedule_services.schedule_save(actor=w.clinician, unit=w.unit, kind="room", title="Rum")
    slot = schedule_services.slot_add(
        actor=w.clinician,
        schedule=schedule,
        starts_at=timezone.now() + dt.timedelta(days=2),
        minutes=30,
        visit_kind="at_unit",
        audience="staff",
    )
    return {
        "booking_id": booking_services.booking_make(actor=w.clinician, citizen=w.patient, slot=slot).pk,
        "case_id": guarantee_register(actor=w.clinician, citizen=w.patient, unit=w.unit, level="primary").pk,
        "episode_id": Episode.objects.get(unit=w.unit, citizen=w.patient).pk,
        "request_id": care_request.pk,
        "contract_id": contract.pk,
        "participant_id": invitation.pk,
        "unit_id": w.unit.pk,
        "citizen_id": w.patient.pk,
        "enrolment_id": w.enrolment.pk,
        "send_id": w.send.pk,
        "answer_id": ElementAnswer.objects.create(enrolment=w.enrolment, element_key=uuid.uuid4(), status="sent").pk,
        "thread_id": thread.pk,
        "attachment_id": message.attachments.get().pk,
        "flag_id": w.enrolment.flags.get().pk,
        "absence_id": flag_services.absence_add(actor=w.clinician, user=w.clinician, unit=w.unit, starts_on=today).pk,
        "handover_id": team_services.handover_request(
            actor=w.clinician, enrolment=w.enrolment, to_unit=third, reason="Flyttar"
        ).pk,
        "response_id": answer_phq9(w, [1] * 9).pk,
        "export_id": journal.journal_export_record(
            actor=w.clinician, enrolment=w.enrolment, start=today, end=today, lang="sv"
        ).pk,
    }


def _refused(client, url):
    assert client.post(url).status_code == 404, url
    assert client.get(url).status_code in (404, 405), url


@pytest.mark.parametrize(("name", "kwargs"), CLINIC)
def test_a_clinician_of_another_unit_gets_404_on_every_workspace_url(client, enrolled, objects, name, kwargs):  # noqa: F811
    force_login_staff(client, enrolled.outsider)
    _refused(client, reverse(f"clinic:{name}", kwargs={k: objects[k] for k in kwargs}))


@pytest.mark.parametrize(("name", "kwargs"), [(n, k) for n, k in CLINIC if set(k) - {"unit_id"}])
def test_unit_a_objects_do_not_exist_at_the_outsiders_own_unit(client, enrolled, objects, name, kwargs):  # noqa: F811
    force_login_staff(client, enrolled.outsider)
    values = {**objects, "unit_id": enrolled.other_unit.pk}
    _refused(client, reverse(f"clinic:{name}", kwargs={k: values[k] for k in kwargs}))


@pytest.mark.parametrize(("name", "kwargs"), [(n, k) for n, k in MESSAGING if k])
def test_another_citizen_gets_404_on_every_message_url(client, enrolled, objects, name, kwargs):  # noqa: F811
    login_citizen(client, enrolled.stranger)
    url = reverse(f"messaging:{name}", kwargs={k: objects[k] for k in kwargs})
    assert client.get(url).status_code == 404, url
    assert client.post(url).status_code == 404, url


@pytest.mark.parametrize(("name", "kwargs"), [(n, k) for n, k in MESSAGING if k])
def test_staff_get_404_on_the_citizens_message_urls(client, enrolled, objects, name, kwargs):  # noqa: F811
    force_login_staff(client, enrolled.clinician)
    url = reverse(f"messaging:{name}", kwargs={k: objects[k] for k in kwargs})
    assert client.get(url).status_code == 404, url

"""*Kontakta mig* (#32): a citizen in no program asks a unit to contact them. It
lands in the unit's inbox with the urgent-word triage and the answer time, opens
the care relation, and at a unit measured against the care guarantee starts its
case on day 0."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import force_login_staff, login_citizen
from fyren.accounts.roles import Role
from fyren.booking.models import GuaranteeCase
from fyren.booking.services import booking_rules_set
from fyren.care.models import CareRelation
from fyren.flags.models import Flag
from fyren.messaging.models import ContactRequest, Message, Thread
from fyren.messaging.selectors import inbox_for
from fyren.messaging.services import contact_request_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_unit(world, make):
    w = world
    w.unit.accepts_contact_requests = True
    w.unit.save()
    w.enrolment_admin = make.staff("eadmin", (Role.ENROLMENT_ADMIN, w.unit))
    return w


def send(w, **changes):
    fields = {
        "actor": w.stranger.user,
        "citizen": w.stranger,
        "unit": w.unit,
        "topic": "Ont i ryggen",
        "body": "Jag har haft ont länge.",
        "how": "phone",
        "phone": "070-123 45 67",
        "when": "Förmiddagar",
        "client_token": uuid.uuid4(),
    }
    return contact_request_send(**{**fields, **changes})


def test_a_request_waits_in_the_units_inbox_and_makes_the_care_relation(open_unit):
    w = open_unit
    thread = send(w)
    assert thread.contact_request.how == "phone" and thread.contact_request.phone == "070-123 45 67"
    assert thread.waiting_since is not None and thread.enrolment is None
    assert CareRelation.objects.active().filter(citizen=w.stranger, unit=w.unit).exists()
    assert thread.pk in [t.pk for t in inbox_for(actor=w.clinician, unit=w.unit)]
    assert not GuaranteeCase.objects.exists()  # the unit is not measured against the guarantee


def test_at_a_unit_measured_against_the_guarantee_the_clock_starts_on_day_0(open_unit):
    w = open_unit
    booking_rules_set(
        actor=w.enrolment_admin, unit=w.unit, change_until_hours=24, remind_hours=24, guarantee_level="primary"
    )
    thread = send(w)
    case = GuaranteeCase.objects.get(citizen=w.stranger, unit=w.unit)
    message = Message.objects.get(thread=thread)
    assert case.source == "contact" and case.contact_at == message.sent_at and case.level == "primary"
    with pytest.raises(ValidationError):  # a second request while the first waits for an answer
        send(w, topic="Igen")
    assert GuaranteeCase.objects.filter(citizen=w.stranger).count() == 1 and Thread.objects.count() == 1
    Thread.objects.update(waiting_since=None)  # answered: a new request is welcome, the case already runs
    send(w, topic="Igen")
    assert GuaranteeCase.objects.filter(citizen=w.stranger).count() == 1 and Thread.objects.count() == 2


def test_urgent_words_raise_an_urgent_flag(open_unit):
    w = open_unit
    send(w, body="Jag tänker på självmord.")
    assert Flag.objects.filter(citizen=w.stranger, unit=w.unit, urgent=True).exists()


def test_the_same_form_twice_is_one_request(open_unit):
    w = open_unit
    token = uuid.uuid4()
    assert send(w, client_token=token).pk == send(w, client_token=token).pk  # the same form: no second request
    assert ContactRequest.objects.count() == 1 and Message.objects.count() == 1


def test_bad_input_changes_nothing(open_unit):
    w = open_unit
    for changes in ({"topic": " "}, {"phone": ""}, {"how": "fax"}, {"body": ""}, {"when": "x" * 201}):
        with pytest.raises(ValidationError):
            send(w, **changes)
    assert not Thread.objects.exists() and not CareRelation.objects.filter(citizen=w.stranger).exists()
    assert send(w, how="message", phone="").contact_request.how == "message"


def test_a_unit_that_takes_no_requests_and_a_stranger_acting_for_someone_are_refused(open_unit):
    w = open_unit
    with pytest.raises(PermissionDenied):
        send(w, unit=w.other_unit)
    with pytest.raises(PermissionDenied):
        send(w, actor=w.patient.user)  # Pia may not ask for Sven
    assert not Thread.objects.exists()


def test_the_citizens_pages(client, open_unit):
    w = open_unit
    login_citizen(client, w.stranger)
    listing = client.get("/me/messages/contact/").content.decode()
    assert "Unit A" in listing and "Unit B" not in listing
    assert client.get(f"/me/messages/contact/{w.other_unit.pk}/").status_code == 404
    token = str(uuid.uuid4())
    typed = {"topic": "Ryggen", "body": "Ont", "how": "phone", "phone": "", "when": "", "client_token": token}
    refused = client.post(f"/me/messages/contact/{w.unit.pk}/", typed)
    assert refused.status_code == 400 and 'value="Ryggen"' in refused.content.decode()
    done = client.post(f"/me/messages/contact/{w.unit.pk}/", {**typed, "phone": "0701234567"})
    thread = Thread.objects.get(citizen=w.stranger)
    assert done.status_code == 302 and done["Location"] == f"/me/messages/{thread.pk}/"
    assert client.get(done["Location"]).status_code == 200
    # Staff have no such pages; the unit's clinician reads the request in the inbox.
    force_login_staff(client, w.clinician)
    assert client.get("/me/messages/contact/").status_code == 404
    page = client.get(f"/clinic/{w.unit.pk}/threads/{thread.pk}/").content.decode()
    assert "0701234567" in page


def test_the_enrolment_admin_turns_requests_on_and_off(client, open_unit):
    w = open_unit
    force_login_staff(client, w.enrolment_admin)
    assert client.post(f"/clinic/{w.unit.pk}/inbox/contact-requests/", {"accepts": "0"}).status_code == 302
    w.unit.refresh_from_db()
    assert not w.unit.accepts_contact_requests
    force_login_staff(client, w.clinician)  # a clinician who is not enrolment admin
    assert client.post(f"/clinic/{w.unit.pk}/inbox/contact-requests/", {"accepts": "1"}).status_code == 404
    w.unit.refresh_from_db()
    assert not w.unit.accepts_contact_requests

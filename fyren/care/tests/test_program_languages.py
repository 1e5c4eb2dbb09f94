"""Programs in several languages (#19): the citizen follows a program in one of
its languages and may switch; what they write keeps the language it was written
in, and clinicians see it."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from conftest import force_login_staff, login_citizen
from fyren.care import journey_services as services
from fyren.care.journey import content_language
from fyren.care.models import DiaryEntry, ElementAnswer
from fyren.care.tests.test_journey import journey  # noqa: F401 - fixture
from fyren.messaging.models import Message
from fyren.messaging.services import message_send, thread_for_enrolment

pytestmark = pytest.mark.django_db


def test_the_program_is_read_in_the_chosen_language_else_the_pages_else_the_preferred(journey):  # noqa: F811
    enrolment = journey.enrolment  # written in sv and en
    assert content_language(enrolment, "en") == "en"
    assert content_language(enrolment, "ar") == "sv"  # not in Arabic: the preferred (sv)
    journey.patient.preferred_language = "en"
    assert content_language(enrolment, "ar") == "en"
    services.enrolment_language_choose(actor=journey.patient.user, enrolment=enrolment, language="sv")
    assert content_language(enrolment, "en") == "sv"  # the choice wins over the page
    with pytest.raises(ValidationError):
        services.enrolment_language_choose(actor=journey.patient.user, enrolment=enrolment, language="fa")
    enrolment.refresh_from_db()
    assert enrolment.language == "sv"


def test_the_citizen_switches_the_programs_language_on_its_pages(client, journey):  # noqa: F811
    login_citizen(client, journey.patient)
    plan_url = f"/me/enrolments/{journey.enrolment.pk}/"
    html = client.get(plan_url).content.decode()
    assert 'id="program-language"' in html and '<option value="en" lang="en" dir="ltr">English</option>' in html
    step_url = f"/me/enrolments/{journey.enrolment.pk}/steps/{journey.steps[0].key}/"
    response = client.post(f"{plan_url}language/", {"language": "en", "next": step_url})
    assert response.status_code == 302 and response.url == step_url
    html = client.get(step_url).content.decode()
    assert '<html lang="sv" dir="ltr">' in html  # the page stays Swedish
    assert '<div lang="en" dir="ltr">' in html  # the program's content is English
    # A language the program lacks changes nothing and says why.
    client.post(f"{plan_url}language/", {"language": "ar"})
    journey.enrolment.refresh_from_db()
    assert journey.enrolment.language == "en"


def test_the_start_page_and_messages_name_the_program_in_its_chosen_language(client, journey):  # noqa: F811
    version = journey.enrolment.program_version
    version.title = {"sv": "Sömnkurs", "en": "Sleep course"}
    type(version).objects.filter(pk=version.pk).update(title=version.title)
    services.enrolment_language_choose(actor=journey.patient.user, enrolment=journey.enrolment, language="en")
    login_citizen(client, journey.patient)
    for url in ("/me/", "/me/messages/"):
        html = client.get(url).content.decode()  # the page itself is Swedish
        assert f">{version.title['en']}</a>" in html, url
        assert f">{version.title['sv']}</a>" not in html, url


def test_another_citizen_cannot_switch_it(client, journey):  # noqa: F811
    login_citizen(client, journey.stranger)
    response = client.post(f"/me/enrolments/{journey.enrolment.pk}/language/", {"language": "en"})
    assert response.status_code == 404
    journey.enrolment.refresh_from_db()
    assert journey.enrolment.language == ""


def test_answers_and_entries_keep_their_language_and_the_clinician_sees_it(client, journey):  # noqa: F811
    user, enrolment = journey.patient.user, journey.enrolment
    services.enrolment_language_choose(actor=user, enrolment=enrolment, language="en")
    services.element_answer_save(
        actor=user, enrolment=enrolment, element=journey.sheet, raw={"fields": {"goal": "Sleep"}}, send=True
    )
    services.diary_entry_add(
        actor=user,
        enrolment=enrolment,
        element=journey.diary,
        day=enrolment.started_at.date(),
        raw={"hours": "7", "bed": "23:00"},
        client_token=uuid.uuid4(),
    )
    assert ElementAnswer.objects.get(enrolment=enrolment).language == "en"
    assert DiaryEntry.objects.get(enrolment=enrolment).language == "en"
    with translation.override("ar"):
        message_send(actor=user, thread=thread_for_enrolment(enrolment), body="مرحبا", from_citizen=True)
    assert Message.objects.get(status="sent").language == "ar"
    force_login_staff(client, journey.clinician)
    html = client.get(f"/clinic/{journey.unit.pk}/enrolments/{enrolment.pk}/").content.decode()
    assert "Skrivet på English" in html and '<div class="answer-box" lang="en" dir="auto">' in html
    assert '<td lang="en" dir="auto">' in html
    thread = thread_for_enrolment(enrolment)
    html = client.get(f"/clinic/{journey.unit.pk}/threads/{thread.pk}/").content.decode()
    assert 'lang="ar" dir="auto"' in html and "skrivet på العربيّة" in html

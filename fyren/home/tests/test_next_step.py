"""The start page says in one sentence what to do next (#19)."""

from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from conftest import login_citizen
from fyren.home.next_step import next_step
from fyren.messaging.services import message_send, thread_for_enrolment
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_the_most_pressing_thing_comes_first():
    send = SimpleNamespace(pk=7, name="PHQ-9")
    enrolment = SimpleNamespace(pk=3)
    step = (enrolment, "Sleep habits", "0f033d37-b2b1-4e04-8b50-b4e46ac7ca05")
    first = next_step(due=[send], offered=True, unread=2, program_step=step)
    assert first.sentence == "Next: answer the questionnaire PHQ-9." and first.form_action.endswith("/7/start/")
    assert next_step(offered=True, unread=2, program_step=step).url == "/me/bookings/"
    assert next_step(unread=2, program_step=step).url == "/me/messages/"
    going_on = next_step(program_step=step)
    assert going_on.sentence == "Next: go on with “Sleep habits” in your program."
    assert going_on.url == f"/me/enrolments/3/steps/{step[2]}/"
    assert next_step().sentence == "There is nothing you need to do right now." and not next_step().url


@pytest.mark.django_db
def test_the_start_page_says_it_in_the_citizens_language(client, enrolled):  # noqa: F811
    login_citizen(client, enrolled.patient)
    html = client.get("/me/").content.decode()
    assert 'class="next-sentence" role="status"' in html
    assert "Nästa steg: svara på frågeformuläret" in html  # the PHQ-9 sent at the start is due
    enrolled.send.completed_at = timezone.now()
    enrolled.send.save()
    message_send(
        actor=enrolled.clinician, thread=thread_for_enrolment(enrolled.enrolment), body="Hej", from_citizen=False
    )
    client.post("/i18n/setlang/", {"language": "ar", "next": "/me/"})
    html = client.get("/me/").content.decode()
    assert "التالي: اقرأ الرسالة الجديدة من فريق رعايتك." in html

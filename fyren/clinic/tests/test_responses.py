"""The clinician sees the answers behind a score and a flag, item by item."""

import pytest

from conftest import force_login_staff
from fyren.audit.models import AccessLogEntry
from fyren.clinic.tests.test_workspace import answer_phq9
from fyren.flags.models import Flag
from fyren.instruments.library import LIBRARY
from fyren.instruments.readout import item_rows
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_item_rows_show_question_answer_value_and_the_alerting_item():
    phq9 = LIBRARY["phq9"]
    answers = {str(n): "0" for n in range(1, 10)} | {"3": "1", "9": "2"}
    rows = item_rows(phq9, answers, [{"rule": 0, "urgent": True}], lang="en")
    assert [r.number for r in rows] == list(range(1, 10))
    nine = rows[8]
    assert nine.answer == "More than half the days" and nine.value == 2 and nine.alert and nine.urgent
    assert "hurting yourself" in nine.question
    assert not rows[2].alert and rows[2].value == 1
    swedish = item_rows(phq9, answers, [], lang="sv")
    assert swedish[8].answer == "Mer än hälften av dagarna" and not swedish[8].alert


def test_an_urgent_flag_opens_onto_the_answers_that_raised_it(client, enrolled):  # noqa: F811
    response = answer_phq9(enrolled, [0, 0, 1, 0, 0, 0, 0, 0, 2])
    flag = Flag.objects.get(enrolment=enrolled.enrolment, urgent=True)
    assert flag.response_id == response.pk
    force_login_staff(client, enrolled.clinician)
    url = f"/clinic/{enrolled.unit.pk}/responses/{response.pk}/"
    assert url in client.get(f"/clinic/{enrolled.unit.pk}/flags/").content.decode()
    overview = client.get(f"/clinic/{enrolled.unit.pk}/enrolments/{enrolled.enrolment.pk}/").content.decode()
    assert overview.count(url) >= 2  # from the flag and from the score table
    before = AccessLogEntry.objects.filter(object_type="questionnaire_response").count()
    page = client.get(url).content.decode()
    assert "Mer än hälften av dagarna" in page and "(gav en brådskande flagga)" in page
    assert 'class="flagged" id="item-9"' in page
    entry = AccessLogEntry.objects.filter(object_type="questionnaire_response").latest("seq")
    assert entry.object_id == str(response.pk) and entry.citizen_id == enrolled.patient.pk
    assert AccessLogEntry.objects.filter(object_type="questionnaire_response").count() == before + 1


def test_another_units_clinician_and_a_stranger_get_404(client, enrolled):  # noqa: F811
    response = answer_phq9(enrolled, [1] * 9)
    url = f"/clinic/{enrolled.unit.pk}/responses/{response.pk}/"
    force_login_staff(client, enrolled.outsider)
    assert client.get(url).status_code == 404
    assert client.get(f"/clinic/{enrolled.other_unit.pk}/responses/{response.pk}/").status_code == 404

import pytest

from conftest import force_login_staff, login_citizen
from fyren.questionnaires.models import Response

from .conftest import phq9_raw

pytestmark = pytest.mark.django_db


def _post_answers(values):
    return {f"q-{link}": code for link, code in phq9_raw(values).items()}


def test_the_due_questionnaire_is_on_my_page_and_can_be_answered(client, enrolled):
    login_citizen(client, enrolled.patient)
    html = client.get("/me/").content.decode()
    assert f"/me/questionnaires/send/{enrolled.send.pk}/start/" in html
    response = client.post(f"/me/questionnaires/send/{enrolled.send.pk}/start/")
    draft = Response.objects.get()
    assert response["Location"] == f"/me/questionnaires/{draft.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Lite intresse eller glädje" in page
    done = client.post(
        f"/me/questionnaires/{draft.pk}/",
        {**_post_answers([1] * 8 + [0]), "action": "submit", "client_token": str(draft.client_token)},
    )
    assert done["Location"] == f"/me/questionnaires/{draft.pk}/result/"
    result = client.get(done["Location"]).content.decode()
    assert "Lindriga" in result and "112" not in result.split("<main")[1].split("</main>")[0]


def test_item_nine_shows_safety_guidance(client, enrolled):
    login_citizen(client, enrolled.patient)
    client.post(f"/me/questionnaires/send/{enrolled.send.pk}/start/")
    draft = Response.objects.get()
    client.post(
        f"/me/questionnaires/{draft.pk}/",
        {**_post_answers([0] * 8 + [2]), "action": "submit", "client_token": str(draft.client_token)},
    )
    main = client.get(f"/me/questionnaires/{draft.pk}/result/").content.decode().split("<main")[1]
    assert 'role="alert"' in main and "112" in main and "1177" in main


def test_missing_answers_are_pointed_out_and_given_answers_kept(client, enrolled):
    login_citizen(client, enrolled.patient)
    client.post(f"/me/questionnaires/send/{enrolled.send.pk}/start/")
    draft = Response.objects.get()
    page = client.post(
        f"/me/questionnaires/{draft.pk}/",
        {**_post_answers([1] * 8), "action": "submit", "client_token": str(draft.client_token)},
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "Besvara frågan" in html or "Answer this question" in html
    assert 'id="q-1-1" value="1" checked' in html


def test_one_question_per_screen(client, enrolled):
    login_citizen(client, enrolled.patient)
    client.post(f"/me/questionnaires/send/{enrolled.send.pk}/start/")
    draft = Response.objects.get()
    html = client.get(f"/me/questionnaires/{draft.pk}/?one=1").content.decode()
    assert html.count('type="radio"') == 4
    response = client.post(f"/me/questionnaires/{draft.pk}/", {"q-1": "2", "action": "next", "position": "0"})
    assert response["Location"].endswith("?q=1")
    draft.refresh_from_db()
    assert draft.answers == {"1": "2"}


def test_the_history_shows_a_graph_and_a_table(client, enrolled):
    from fyren.questionnaires import services

    draft = services.response_start(
        actor=enrolled.patient.user,
        citizen=enrolled.patient,
        instrument_code="phq9",
        language="sv",
        enrolment=enrolled.enrolment,
        send=enrolled.send,
    )
    services.response_submit(actor=enrolled.patient.user, client_token=draft.client_token, raw=phq9_raw([1] * 9))
    login_citizen(client, enrolled.patient)
    html = client.get("/me/questionnaires/history/phq9/").content.decode()
    assert "<svg" in html and "<table" in html and "<td>9</td>" in html


@pytest.mark.parametrize("template", ["/me/questionnaires/{response}/", "/me/questionnaires/{response}/result/"])
def test_another_citizen_gets_404(client, enrolled, template):
    login_citizen(client, enrolled.patient)
    client.post(f"/me/questionnaires/send/{enrolled.send.pk}/start/")
    draft = Response.objects.get()
    client.logout()
    login_citizen(client, enrolled.stranger)
    assert client.get(template.format(response=draft.pk)).status_code == 404
    assert client.post(f"/me/questionnaires/send/{enrolled.send.pk}/start/").status_code == 404
    assert client.get("/me/questionnaires/history/phq9/").status_code == 404


def test_staff_get_404_on_citizen_questionnaire_pages(client, enrolled):
    force_login_staff(client, enrolled.clinician)
    assert client.post(f"/me/questionnaires/send/{enrolled.send.pk}/start/").status_code == 404
    assert client.get("/me/questionnaires/history/phq9/").status_code == 404

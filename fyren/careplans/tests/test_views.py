import uuid

import pytest

from conftest import force_login_staff, login_citizen
from fyren.careplans import services
from fyren.careplans.models import Activity, Agreement, Comment, Goal, Participant
from fyren.messaging.models import Thread
from fyren.people.models import ProxyAuthorisation

from .conftest import join

pytestmark = pytest.mark.django_db


def test_a_clinician_builds_the_contract_in_the_browser(client, plan_world):
    w = plan_world
    force_login_staff(client, w.clinician)
    url = f"/clinic/{w.unit.pk}/contracts/{w.contract.pk}/"
    assert client.get(url).status_code == 200
    assert (
        client.post(url, {"action": "goal", "goal-text": "Sova hela nätter", "goal-instrument_code": ""}).status_code
        == 302
    )
    response = client.post(
        url, {"action": "activity", "activity-what": "KBT", "activity-how": "digital", "activity-who_role": ""}
    )
    assert response.status_code == 400 and "KBT" in response.content.decode()  # kept with the error
    client.post(
        url, {"action": "activity", "activity-what": "KBT", "activity-how": "digital", "activity-who_role": "Psykolog"}
    )
    client.post(url, {"action": "contact", "contact-person": w.clinician.pk, "contact-how_to_reach": "Meddelande"})
    client.post(url, {"action": "invite", "invite-unit": w.primary.pk})
    client.post(url, {"action": "plan", "plan-kind": "sip", "plan-title": "SIP", "plan-coordinator": "Kommunen"})
    assert Goal.objects.count() == 1 and Activity.objects.count() == 1
    assert Participant.objects.filter(unit=w.primary, status="invited").exists()
    assert w.contract.plans.get().kind == "sip"


def test_the_invited_unit_answers_in_the_browser(client, plan_world):
    w = plan_world
    participant = services.contract_invite(actor=w.clinician, contract=w.contract, unit=w.unit, invited_unit=w.primary)
    force_login_staff(client, w.gp)
    assert w.patient.full_name in client.get(f"/clinic/{w.primary.pk}/contract-invitations/").content.decode()
    assert client.get(f"/clinic/{w.primary.pk}/contracts/{w.contract.pk}/").status_code == 404  # not yet
    response = client.post(f"/clinic/{w.primary.pk}/contract-invitations/{participant.pk}/", {"decision": "accept"})
    assert response.url == f"/clinic/{w.primary.pk}/contracts/{w.contract.pk}/"
    assert client.get(response.url).status_code == 200


def test_the_citizen_reads_comments_and_agrees(client, plan_world):
    w = plan_world
    join(w)
    goal = services.goal_save(actor=w.gp, contract=w.contract, unit=w.primary, text="Gå ut varje dag")
    login_citizen(client, w.patient)
    assert f"/me/plan/{w.patient.pk}/" in client.get("/me/").content.decode()
    page = client.get(f"/me/plan/{w.patient.pk}/")
    assert page.status_code == 200 and "Gå ut varje dag" in page.content.decode()
    bad = client.post(
        f"/me/plan/{w.patient.pk}/",
        {
            "action": "comment",
            "comment-about": f"goal:{goal.pk}",
            "comment-text": "",
            "comment-client_token": uuid.uuid4(),
        },
    )
    assert bad.status_code == 400
    client.post(
        f"/me/plan/{w.patient.pk}/",
        {
            "action": "comment",
            "comment-about": f"goal:{goal.pk}",
            "comment-text": "Svårt när det regnar",
            "comment-client_token": uuid.uuid4(),
        },
    )
    comment = Comment.objects.get()
    assert comment.unit == w.primary and Thread.objects.get(unit=w.primary).waiting_since
    w.contract.refresh_from_db()
    client.post(f"/me/plan/{w.patient.pk}/agree/", {"number": w.contract.revision})
    assert Agreement.objects.get().revision.number == w.contract.revision


def _listed(items):
    return [(item["change"].label, item["fresh"]) for item in items]


def test_the_plan_page_says_what_changed_since_last_time(client, plan_world):
    w = plan_world
    login_citizen(client, w.patient)
    client.get(f"/me/plan/{w.patient.pk}/")
    w.contract.refresh_from_db()
    client.post(f"/me/plan/{w.patient.pk}/agree/", {"number": w.contract.revision})
    services.goal_save(actor=w.clinician, contract=w.contract, unit=w.unit, text="Nytt mål här")
    page = client.get(f"/me/plan/{w.patient.pk}/")
    # Asked to agree again: what changed since she agreed, marked as new to her.
    assert _listed(page.context["since_agreed"]) == [("Nytt mål här", True)] and page.context["changes"] == []
    html = page.content.decode()
    assert "Nytt mål här" in html and "nytt sedan du tittade senast" in html and "version" not in html.lower()
    assert "Jag godkänner planen som den ser ut nu" in html
    # Looking again does not hide it while she is still asked to agree.
    again = client.get(f"/me/plan/{w.patient.pk}/")
    assert _listed(again.context["since_agreed"]) == [("Nytt mål här", False)]
    assert "Nytt mål här" in again.content.decode()
    services.goal_save(actor=w.clinician, contract=w.contract, unit=w.unit, text="Ett mål till")
    third = client.get(f"/me/plan/{w.patient.pk}/").context
    assert _listed(third["since_agreed"]) == [("Nytt mål här", False), ("Ett mål till", True)]
    w.contract.refresh_from_db()
    client.post(f"/me/plan/{w.patient.pk}/agree/", {"number": w.contract.revision})
    agreed = client.get(f"/me/plan/{w.patient.pk}/")
    assert agreed.context["since_agreed"] == [] and "Du har godkänt planen som den ser ut" in agreed.content.decode()
    # Agreed and then changed where she has not looked: said on its own as well.
    services.goal_save(actor=w.clinician, contract=w.contract, unit=w.unit, text="Tredje målet")
    assert _listed(client.get(f"/me/plan/{w.patient.pk}/").context["since_agreed"]) == [("Tredje målet", True)]


def test_another_citizen_gets_404(client, plan_world):
    w = plan_world
    login_citizen(client, w.stranger)
    assert client.get(f"/me/plan/{w.patient.pk}/").status_code == 404
    assert client.post(f"/me/plan/{w.patient.pk}/agree/", {"number": 1}).status_code == 404
    assert client.get(f"/me/plan/{w.stranger.pk}/").status_code == 404  # no contract


def test_the_routine_page_is_for_the_units_enrolment_admin(client, plan_world, make, today):
    w = plan_world
    force_login_staff(client, w.gp_admin)
    url = f"/clinic/{w.primary.pk}/settings/fixed-care-contact/"
    assert client.get(url).status_code == 200
    assert (
        client.post(
            url, {"text": "Distriktssköterskan utses vid första besöket.", "reviewed_on": today.isoformat()}
        ).status_code
        == 302
    )
    force_login_staff(client, w.outsider)
    assert client.get(url).status_code == 404


def test_a_proxy_reads_the_plan_of_the_person_they_act_for(client, plan_world, make, today):
    w = plan_world
    proxy = make.citizen("Petra", "Proxy", birth=today.replace(year=today.year - 50))
    ProxyAuthorisation.objects.create(
        proxy=proxy, principal=w.patient, valid_from=today, valid_to=today.replace(year=today.year + 1)
    )
    login_citizen(client, proxy)
    assert f"/me/plan/{w.patient.pk}/" in client.get("/me/").content.decode()
    page = client.get(f"/me/plan/{w.patient.pk}/")
    assert page.status_code == 200 and page.context["is_self"] is False
    client.post(f"/me/plan/{w.patient.pk}/agree/", {"number": 1})
    assert Agreement.objects.get().agreed_by == proxy.user


def test_the_contract_page_costs_the_same_with_many_goals_and_activities(
    client, plan_world, django_assert_max_num_queries
):
    w = plan_world
    join(w)
    force_login_staff(client, w.clinician)
    url = f"/clinic/{w.unit.pk}/contracts/{w.contract.pk}/"
    services.goal_save(actor=w.clinician, contract=w.contract, unit=w.unit, text="Mål 0")
    services.activity_save(actor=w.gp, contract=w.contract, unit=w.primary, what="A 0", how="phone", who_person=w.gp)
    sip = services.plan_save(actor=w.clinician, contract=w.contract, unit=w.unit, kind="sip", title="SIP 0")
    services.plan_member_add(actor=w.clinician, plan=sip, name="N 0", role="Hemtjänst")
    client.get(url)
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    for n in range(1, 12):
        goal = services.goal_save(actor=w.clinician, contract=w.contract, unit=w.unit, text=f"Mål {n}")
        services.activity_save(
            actor=w.gp, contract=w.contract, unit=w.primary, what=f"A {n}", how="phone", who_person=w.gp
        )
        services.plan_member_add(
            actor=w.clinician,
            plan=services.plan_save(actor=w.clinician, contract=w.contract, unit=w.unit, kind="sip", title=f"SIP {n}"),
            name=f"N {n}",
            role="Hemtjänst",
        )
        del goal
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_goals_measured_and_activities_linked_to_a_program_through_the_page(client, measured):
    w = measured
    force_login_staff(client, w.clinician)
    url = f"/clinic/{w.unit.pk}/contracts/{w.contract.pk}/"
    page = client.get(url)
    assert "Vikt (kg)" in page.content.decode()
    response = client.post(
        url,
        {
            "action": "goal",
            "goal-text": "Väga under 80 kg",
            "goal-measurement": f"{w.measured_enrolment.pk}:{w.weight.key}",
            "goal-comparison": "at_most",
            "goal-target_value": "80",
        },
    )
    assert response.status_code == 302
    assert Goal.objects.get(text="Väga under 80 kg").measurement_key == w.weight.key
    client.post(
        url,
        {
            "action": "activity",
            "activity-what": "Väg dig varje vecka",
            "activity-how": "self_care",
            "activity-who_role": "Patienten",
            "activity-enrolment": w.measured_enrolment.pk,
        },
    )
    assert Activity.objects.get(what="Väg dig varje vecka").enrolment == w.measured_enrolment
    refused = client.post(
        url,
        {
            "action": "activity",
            "activity-what": "X",
            "activity-how": "phone",
            "activity-who_role": "R",
            "activity-enrolment": "999999",
        },
    )
    assert refused.status_code == 400


def test_min_vardplan_names_the_units_fixed_care_contact_as_contact_nurse(client, plan_world):
    w = plan_world
    services.fixed_contact_set(
        actor=w.clinician, contract=w.contract, unit=w.unit, person=w.clinician, how_to_reach="010-123 45 67"
    )
    services.plan_save(
        actor=w.clinician,
        contract=w.contract,
        unit=w.unit,
        kind="min_vardplan",
        title="Min vårdplan – bröstcancer",
        treatment="Strålbehandling",
        rehabilitation="Fysioterapi",
        self_care="Vila",
    )
    login_citizen(client, w.patient)
    page = client.get(f"/me/plan/{w.patient.pk}/").content.decode()
    assert "Kontaktsjuksköterska" in page and "010-123 45 67" in page and "Strålbehandling" in page


def test_statuses_change_from_the_contract_page(client, plan_world):
    w = plan_world
    goal = services.goal_save(actor=w.clinician, contract=w.contract, unit=w.unit, text="Sova")
    force_login_staff(client, w.clinician)
    url = f"/clinic/{w.unit.pk}/contracts/{w.contract.pk}/"
    assert client.post(url, {"action": "goal_status", "gs-goal": goal.pk, "gs-status": "reached"}).status_code == 302
    assert Goal.objects.get(pk=goal.pk).status == "reached"

import datetime as dt
import io
import uuid

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from conftest import force_login_staff
from fyren.accounts.roles import Role
from fyren.episodes import services
from fyren.episodes.flagging import lead_time_flags_raise
from fyren.episodes.models import CareRequest, Episode, EpisodePoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world, make):
    w = world
    w.pathway = services.pathway_save(actor=w.provider_admin, region=w.region, name="SVF Depression", area="depression")
    services.pathway_target_set(actor=w.provider_admin, pathway=w.pathway, from_point="B", to_point="E", days=30)
    services.pathway_codes_set(
        actor=w.provider_admin, pathway=w.pathway, year=timezone.localdate().year, codes={"B": "XS100", "E": "XS500"}
    )
    w.analyst = make.staff("analyst", (Role.ANALYST, w.unit))
    w.episode = services.episode_open(actor=w.clinician, citizen=w.patient, unit=w.unit, pathway=w.pathway)
    services.episode_point_record(actor=w.clinician, episode=w.episode, point="B", at=noon(40))
    services.episode_point_record(actor=w.clinician, episode=w.episode, point="E", at=noon(1))
    return w


def noon(days_ago: int) -> dt.datetime:
    """Local noon some days back: calendar days do not depend on the hour or on daylight saving."""
    return timezone.make_aware(dt.datetime.combine(timezone.localdate() - dt.timedelta(days=days_ago), dt.time(12)))


def test_the_episode_page_shows_points_and_lead_times_and_records_a_point(client, setup):
    w = setup
    force_login_staff(client, w.clinician)
    url = f"/clinic/{w.unit.pk}/episodes/{w.episode.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and "39" in page.content.decode()
    at = (timezone.localtime() - dt.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"action": "record", "record-point": "C", "record-at": at, "record-note": "Bedömd"})
    assert response.status_code == 302
    assert EpisodePoint.objects.filter(episode=w.episode, point="C", note="Bedömd").exists()


def test_a_refused_point_keeps_what_was_typed(client, setup):
    w = setup
    force_login_staff(client, w.clinician)
    at = (timezone.localtime() - dt.timedelta(days=50)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/clinic/{w.unit.pk}/episodes/{w.episode.pk}/",
        {"action": "record", "record-point": "C", "record-at": at, "record-note": "Mitt skrivna"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Mitt skrivna" in body and at in body and not EpisodePoint.objects.filter(point="C").exists()


def test_a_correction_through_the_page(client, setup):
    w = setup
    force_login_staff(client, w.clinician)
    at = (timezone.localtime() - dt.timedelta(days=41)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/clinic/{w.unit.pk}/episodes/{w.episode.pk}/",
        {"action": "correct", "correct-point": "B", "correct-at": at, "correct-reason": "Fel dag"},
    )
    assert response.status_code == 302
    assert EpisodePoint.objects.get(episode=w.episode, point="B").corrections.get().reason == "Fel dag"


def test_a_care_request_through_the_pages(client, setup, make):
    w = setup
    receiving = make.unit(w.region, "P1", "Psykiatri")
    receiver = make.staff("psych", (Role.CLINICIAN, receiving))
    force_login_staff(client, w.clinician)
    assert client.get(f"/clinic/{w.unit.pk}/patients/{w.patient.pk}/care-request/").status_code == 200
    response = client.post(
        f"/clinic/{w.unit.pk}/patients/{w.patient.pk}/care-request/",
        {"to_unit": receiving.pk, "reason": "Svår depression", "client_token": uuid.uuid4()},
    )
    assert response.status_code == 302
    request = CareRequest.objects.get()
    force_login_staff(client, receiver)
    listing = client.get(f"/clinic/{receiving.pk}/care-requests/")
    assert w.patient.full_name in listing.content.decode()
    assert (
        client.post(f"/clinic/{receiving.pk}/care-requests/{request.pk}/", {"decision": "decline"}).status_code == 400
    )
    client.post(f"/clinic/{receiving.pk}/care-requests/{request.pk}/", {"decision": "accept"})
    request.refresh_from_db()
    assert request.status == "accepted" and request.episode.status == Episode.Status.OPEN


def test_the_analyst_sees_figures_and_downloads_them(client, setup):
    w = setup
    force_login_staff(client, w.analyst)
    year = timezone.localdate().year
    query = {
        "pathway": w.pathway.pk,
        "from_point": "B",
        "to_point": "E",
        "start": f"{year - 1}-01-01",
        "end": timezone.localdate().isoformat(),
    }
    page = client.get("/pathways/lead-times/", query)
    assert page.status_code == 200
    row = page.context["rows"][0]
    assert row.summary.count == 1 and row.summary.median == 39 and row.summary.within_target == 0
    assert w.patient.full_name not in page.content.decode()
    csv_text = client.get("/pathways/lead-times/", {**query, "format": "csv"}).content.decode()
    assert csv_text.splitlines()[1].startswith("Unit A,")
    book = load_workbook(io.BytesIO(client.get("/pathways/lead-times/", {**query, "format": "xlsx"}).content))
    assert book.active.max_row == 4
    assert page.context["distribution"] is not None
    monthly = client.get("/pathways/lead-times/", {**query, "by_month": "on"})
    assert monthly.context["rows"][0].month is not None and monthly.context["by_month"]
    monthly_csv = client.get("/pathways/lead-times/", {**query, "by_month": "on", "format": "csv"}).content.decode()
    assert monthly_csv.splitlines()[0].endswith(",month") and monthly_csv.splitlines()[1].count("-") >= 1
    hidden = client.get("/pathways/lead-times/", {**query, "threshold": 5})
    assert hidden.context["rows"][0].hidden >= {"count", "median", "p80"} and "..</abbr>" in hidden.content.decode()
    hidden_csv = client.get("/pathways/lead-times/", {**query, "threshold": 5, "format": "csv"}).content.decode()
    assert hidden_csv.splitlines()[1].startswith("Unit A,") and ",..," in hidden_csv.splitlines()[1]
    points = client.get("/pathways/lead-times/", {**query, "format": "points"}).content.decode()
    assert "XS100" in points and "XS500" in points and w.patient.identity_number not in points


def test_pathways_are_defined_in_the_browser_by_the_regions_admin(client, setup):
    w = setup
    force_login_staff(client, w.provider_admin)
    response = client.post("/pathways/", {"name": "SVF KOL", "area": "copd", "active": "on"})
    assert response.status_code == 302
    url = response.url
    assert (
        client.post(
            url,
            {
                "action": "target",
                "target-from_point": "B",
                "target-to_point": "C",
                "target-days": 3,
                "target-warn_days_before": 1,
            },
        ).status_code
        == 302
    )
    bad = client.post(
        url,
        {
            "action": "target",
            "target-from_point": "E",
            "target-to_point": "B",
            "target-days": 3,
            "target-warn_days_before": 1,
        },
    )
    assert bad.status_code == 400


def test_outsiders_get_404_on_pathway_pages(client, setup):
    w = setup
    force_login_staff(client, w.outsider)
    assert client.get("/pathways/").status_code == 404
    assert client.get(f"/pathways/{w.pathway.pk}/").status_code == 404
    assert client.get("/pathways/lead-times/").status_code == 404
    force_login_staff(client, w.clinician)
    assert client.get("/pathways/lead-times/").status_code == 404


def test_the_report_and_the_request_list_cost_the_same_for_many_episodes(
    client, setup, make, django_assert_max_num_queries
):
    w = setup
    receiving = make.unit(w.region, "P3", "Psykiatri 3")
    receiver = make.staff("psych3", (Role.CLINICIAN, receiving))
    others = [make.citizen(f"P{n}", "Patient") for n in range(8)]

    def grow(citizen):
        make.care_relation(citizen, w.unit)
        episode = services.episode_open(actor=w.clinician, citizen=citizen, unit=w.unit, pathway=w.pathway)
        now = timezone.now()
        services.episode_point_record(actor=w.clinician, episode=episode, point="B", at=now - dt.timedelta(days=9))
        services.episode_point_record(actor=w.clinician, episode=episode, point="E", at=now - dt.timedelta(days=2))
        services.care_request_send(
            actor=w.clinician,
            citizen=citizen,
            from_unit=w.unit,
            to_unit=receiving,
            reason="KBT",
            client_token=uuid.uuid4(),
        )

    grow(others[0])
    year = timezone.localdate().year
    query = {
        "pathway": w.pathway.pk,
        "from_point": "B",
        "to_point": "E",
        "start": f"{year - 1}-01-01",
        "end": timezone.localdate().isoformat(),
    }
    force_login_staff(client, w.analyst)
    with django_assert_max_num_queries(40) as report:
        client.get("/pathways/lead-times/", query)
    force_login_staff(client, receiver)
    with django_assert_max_num_queries(40) as listing:
        client.get(f"/clinic/{receiving.pk}/care-requests/")
    for citizen in others[1:]:
        grow(citizen)
    force_login_staff(client, w.analyst)
    with django_assert_max_num_queries(len(report.captured_queries)):
        assert client.get("/pathways/lead-times/", query).context["rows"][0].summary.count == 9
    force_login_staff(client, receiver)
    with django_assert_max_num_queries(len(listing.captured_queries)):
        assert len(client.get(f"/clinic/{receiving.pk}/care-requests/").context["requests"]) == 8


def test_a_lead_time_flag_leads_to_the_waiting_request(client, setup, make):
    w = setup
    receiving = make.unit(w.region, "P4", "Psykiatri 4")
    receiver = make.staff("psych4", (Role.CLINICIAN, receiving))
    services.pathway_target_set(actor=w.provider_admin, pathway=w.pathway, from_point="B", to_point="C", days=1)
    request = services.care_request_send(
        actor=w.clinician,
        citizen=w.patient,
        from_unit=w.unit,
        to_unit=receiving,
        reason="KBT",
        client_token=uuid.uuid4(),
        pathway=w.pathway,
    )
    assert lead_time_flags_raise() == 1
    force_login_staff(client, receiver)
    flags_page = client.get(f"/clinic/{receiving.pk}/flags/").content.decode()
    episode_url = f"/clinic/{receiving.pk}/episodes/{request.episode_id}/"
    assert episode_url in flags_page
    assert client.get(episode_url).url == f"/clinic/{receiving.pk}/care-requests/{request.pk}/"
    services.care_request_decide(actor=receiver, request=request, accept=True)
    assert client.get(episode_url).status_code == 200

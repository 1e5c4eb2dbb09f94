import pytest

from conftest import force_login_staff, login_citizen
from fyren.programs import elements
from fyren.programs import services as svc
from fyren.programs.models import Element, Module, ProgramVersion, Section, Step

from .conftest import add_image, fill_for_publishing
from .test_elements import png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(studio, settings, tmp_path):
    """A draft with one page, element and image; a published program for the catalogue."""
    settings.MEDIA_ROOT = tmp_path
    step = fill_for_publishing(studio.version)
    image = add_image(studio, step, png_bytes())
    studio.step, studio.image = step, image
    studio.module = Module.objects.get(version=studio.version)
    published = svc.program_create(
        actor=studio.designer, region=studio.world.region, title="Sömn", kind="course", languages=["sv", "en"]
    )
    fill_for_publishing(published)
    svc.version_submit(actor=studio.designer, version=published)
    svc.version_review(
        actor=studio.publisher,
        version=published,
        checklist=dict.fromkeys(svc.CHECKLIST, True),
        comment="",
        approve=True,
    )
    studio.published = published
    return studio


DESIGN_URLS = [
    ("get", "/design/programs/{program}/"),
    ("post", "/design/programs/{program}/new-version/"),
    ("get", "/design/programs/{program}/diff/"),
    ("get", "/design/versions/{version}/"),
    ("post", "/design/versions/{version}/"),
    ("post", "/design/versions/{version}/add/module/"),
    ("post", "/design/versions/{version}/module/{module}/title/"),
    ("post", "/design/versions/{version}/module/{module}/move/up/"),
    ("get", "/design/versions/{version}/module/{module}/delete/"),
    ("post", "/design/versions/{version}/module/{module}/delete/"),
    ("get", "/design/versions/{version}/steps/{step}/"),
    ("post", "/design/versions/{version}/steps/{step}/add/"),
    ("post", "/design/versions/{version}/elements/{element}/"),
    ("post", "/design/versions/{version}/submit/"),
    ("get", "/design/versions/{version}/package.zip"),
    ("get", "/design/versions/{version}/preview/"),
    ("get", "/design/versions/{version}/preview/clinician/"),
    ("get", "/design/media/{asset}/"),
    ("get", "/review/versions/{version}/"),
    ("post", "/review/versions/{published}/retire/"),
]
ROLE_PAGES = ["/design/", "/design/new/", "/design/import/", "/review/"]


def _url(template, s):
    return template.format(
        program=s.version.program_id,
        version=s.version.pk,
        module=s.module.pk,
        step=s.step.pk,
        element=s.image.pk,
        asset=s.image.asset_id,
        published=s.published.pk,
    )


@pytest.mark.parametrize(("method", "template"), DESIGN_URLS)
def test_a_designer_of_another_region_gets_404(client, site, method, template):
    force_login_staff(client, site.other_designer)
    assert getattr(client, method)(_url(template, site)).status_code == 404


@pytest.mark.parametrize(("method", "template"), DESIGN_URLS)
def test_a_clinician_gets_404(client, site, method, template):
    force_login_staff(client, site.world.clinician)
    assert getattr(client, method)(_url(template, site)).status_code == 404


@pytest.mark.parametrize(
    ("method", "template"),
    [*DESIGN_URLS, *(("get", u) for u in ROLE_PAGES), ("get", "/catalogue/"), ("get", "/catalogue/{program}/")],
)
def test_a_citizen_gets_404(client, site, method, template):
    login_citizen(client, site.world.patient)
    assert getattr(client, method)(_url(template, site)).status_code == 404


@pytest.mark.parametrize("url", ROLE_PAGES)
def test_role_pages_are_404_without_the_role(client, site, url):
    force_login_staff(client, site.world.clinician)
    assert client.get(url).status_code == 404


def test_a_draft_is_not_in_the_catalogue(client, site):
    force_login_staff(client, site.world.clinician)
    assert client.get(f"/catalogue/{site.version.program_id}/").status_code == 404
    assert client.get(f"/catalogue/{site.published.program_id}/").status_code == 200
    html = client.get("/catalogue/").content.decode()
    assert "Oro" in html  # the published one has the shared test title


@pytest.mark.parametrize(
    "url",
    [
        "/catalogue/{published_program}/adopt/",
        "/catalogue/{published_program}/copy/",
        "/catalogue/{published_program}/offer/",
    ],
)
def test_sharing_actions_are_404_for_staff_without_the_right(client, site, url):
    force_login_staff(client, site.world.clinician)
    response = client.post(
        url.format(published_program=site.published.program_id),
        {"region": site.world.other_region.pk, "unit": site.world.unit.pk, "active": "on"},
    )
    assert response.status_code == 404


def test_autosave_answers_json_and_stores_the_change(client, site):
    force_login_staff(client, site.designer)
    url = f"/design/versions/{site.version.pk}/elements/{site.image.pk}/"
    data = {f"e{site.image.pk}-alt_sv": "En fyr i solnedgång", f"e{site.image.pk}-alt_en": "A lighthouse"}
    response = client.post(url, data, HTTP_X_AUTOSAVE="1")
    assert response.status_code == 200 and response.json()["ok"]
    site.image.refresh_from_db()
    assert site.image.content["alt"]["sv"] == "En fyr i solnedgång"


def test_invalid_input_is_refused_and_what_was_typed_is_shown_again(client, site):
    force_login_staff(client, site.designer)
    measurement = svc.node_add(
        actor=site.designer, version=site.version, model=Element, parent=site.step, kind=elements.MEASUREMENT
    )
    url = f"/design/versions/{site.version.pk}/elements/{measurement.pk}/"
    prefix = f"e{measurement.pk}"
    data = {
        f"{prefix}-label_sv": "Vikt",
        f"{prefix}-unit": "kg",
        f"{prefix}-min": "200",
        f"{prefix}-max": "20",
        f"{prefix}-decimals": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Vikt"' in html and "lägsta tillåtna värdet" in html
    measurement.refresh_from_db()
    assert measurement.content["min"] is None
    autosave = client.post(url, data, HTTP_X_AUTOSAVE="1")
    assert autosave.status_code == 400 and not autosave.json()["ok"]


def test_a_diary_field_list_is_edited_as_rows_and_keeps_its_keys(client, site):
    force_login_staff(client, site.designer)
    diary = svc.node_add(
        actor=site.designer, version=site.version, model=Element, parent=site.step, kind=elements.DIARY
    )
    p = f"e{diary.pk}"
    url = f"/design/versions/{site.version.pk}/elements/{diary.pk}/"
    row = {
        f"{p}-0-label_sv": "Timmar",
        f"{p}-0-label_en": "Hours",
        f"{p}-0-type": "number",
        f"{p}-0-unit": "h",
        f"{p}-0-min": "0",
        f"{p}-0-max": "24",
    }
    management = {f"{p}-TOTAL_FORMS": "1", f"{p}-INITIAL_FORMS": "0"}
    first = client.post(url, {f"{p}-title_sv": "Sömndagbok", **management, **row}, HTTP_X_AUTOSAVE="1")
    assert first.json()["set"] == {f"{p}-0-key": "f1"}
    # A second autosave before the page reloads must not add the row twice.
    client.post(url, {f"{p}-title_sv": "Sömndagbok", **management, **row, f"{p}-0-key": "f1"}, HTTP_X_AUTOSAVE="1")
    diary.refresh_from_db()
    assert [f["key"] for f in diary.content["fields"]] == ["f1"]
    assert diary.content["fields"][0]["label"] == {"sv": "Timmar", "en": "Hours"}


def test_an_upload_is_checked_by_content(client, site):
    from django.core.files.uploadedfile import SimpleUploadedFile

    force_login_staff(client, site.designer)
    url = f"/design/versions/{site.version.pk}/elements/{site.image.pk}/"
    fake = SimpleUploadedFile("photo.png", b"MZ not an image", content_type="image/png")
    response = client.post(url, {f"e{site.image.pk}-upload": fake, f"e{site.image.pk}-alt_sv": "Fyr"})
    assert response.status_code == 400
    assert "inte av en tillåten typ" in response.content.decode()


def test_reordering_works_without_dragging(client, site):
    force_login_staff(client, site.designer)
    text = Element.objects.get(version=site.version, kind=elements.TEXT)
    client.post(f"/design/versions/{site.version.pk}/element/{site.image.pk}/move/up/")
    assert list(Element.objects.filter(step=site.step).values_list("pk", flat=True)) == [site.image.pk, text.pk]


def test_structure_can_be_added_through_the_pages(client, site):
    force_login_staff(client, site.designer)
    client.post(f"/design/versions/{site.version.pk}/add/module/")
    module = Module.objects.filter(version=site.version).last()
    client.post(f"/design/versions/{site.version.pk}/add/section/", {"parent": module.pk})
    section = Section.objects.filter(module=module).get()
    response = client.post(f"/design/versions/{site.version.pk}/add/step/", {"parent": section.pk})
    step = Step.objects.get(section=section)
    assert response["Location"] == f"/design/versions/{site.version.pk}/steps/{step.pk}/"
    client.post(f"/design/versions/{site.version.pk}/steps/{step.pk}/add/", {"kind": "checklist"})
    assert Element.objects.filter(step=step, kind="checklist").exists()


def test_the_preview_obeys_presentation_logic_with_sample_answers(client, site):
    force_login_staff(client, site.designer)
    measurement = svc.node_add(
        actor=site.designer,
        version=site.version,
        model=Element,
        parent=site.step,
        kind=elements.MEASUREMENT,
        content={"label": {"sv": "Vikt"}, "unit": "kg", "min": None, "max": None, "decimals": 0},
    )
    svc.node_add(
        actor=site.designer,
        version=site.version,
        model=Element,
        parent=site.step,
        kind=elements.TEXT,
        content={"body": {"sv": "Hemligt råd"}},
        condition={"ref": measurement.short_key, "op": "ge", "value": 100},
    )
    url = f"/design/versions/{site.version.pk}/preview/?step={site.step.key}&lang=sv"
    assert "Hemligt råd" not in client.get(url).content.decode()
    assert "Hemligt råd" in client.get(f"{url}&a.{measurement.short_key}=120").content.decode()


def test_a_published_version_cannot_be_changed_through_the_pages(client, site):
    force_login_staff(client, site.designer)
    element = Element.objects.filter(version=site.published).first()
    response = client.post(
        f"/design/versions/{site.published.pk}/elements/{element.pk}/", {f"e{element.pk}-body_sv": "Ändrat"}
    )
    assert response.status_code == 400
    element.refresh_from_db()
    assert element.content["body"]["sv"] == "Text"
    assert ProgramVersion.objects.get(pk=site.published.pk).status == "published"


def test_a_care_provider_admin_adopts_and_offers_through_the_catalogue(client, site):
    from fyren.audit.models import AuditEvent
    from fyren.programs.models import Adoption, UnitProgram

    force_login_staff(client, site.other_admin)
    program_id = site.published.program_id
    page = client.get(f"/catalogue/{program_id}/").content.decode()
    assert "Använd i Region Other" in page
    client.post(f"/catalogue/{program_id}/adopt/", {"region": site.world.other_region.pk})
    assert Adoption.objects.filter(program_id=program_id, region=site.world.other_region).exists()
    response = client.post(
        f"/catalogue/{program_id}/offer/",
        {"unit": site.world.other_unit.pk, "active": "on", "self_enrolment": "on", "group_sv": "Vuxna"},
    )
    assert response.status_code == 302
    offer = UnitProgram.objects.get(program_id=program_id, unit=site.world.other_unit)
    assert offer.self_enrolment and offer.self_enrolment_group == {"sv": "Vuxna"}
    assert {"program.adopt", "program.unit_offer"} <= set(AuditEvent.objects.values_list("action", flat=True))
    # A unit of another region cannot be chosen.
    response = client.post(f"/catalogue/{program_id}/offer/", {"unit": site.world.unit.pk, "active": "on"})
    assert response.status_code == 404


def test_catalogue_filters(client, site):
    force_login_staff(client, site.world.clinician)
    assert "Oro" in client.get("/catalogue/", {"kind": "course"}).content.decode()
    assert "Oro" not in client.get("/catalogue/", {"kind": "screening"}).content.decode()
    assert "Oro" in client.get("/catalogue/", {"q": "text"}).content.decode()
    assert "Oro" not in client.get("/catalogue/", {"q": "cardiology"}).content.decode()
    assert "Oro" in client.get("/catalogue/", {"language": "en"}).content.decode()
    assert "Oro" not in client.get("/catalogue/", {"owner": site.world.other_region.pk}).content.decode()


def test_copy_through_the_catalogue_lands_in_the_design_tool(client, site):
    force_login_staff(client, site.other_designer)
    response = client.post(f"/catalogue/{site.published.program_id}/copy/", {"region": site.world.other_region.pk})
    copy = ProgramVersion.objects.get(program__owner=site.world.other_region)
    assert response["Location"] == f"/design/versions/{copy.pk}/"


@pytest.mark.parametrize(
    "path", ["/design/versions/{v}/", "/design/versions/{v}/preview/clinician/", "/design/versions/{v}/preview/"]
)
def test_design_pages_use_a_fixed_number_of_queries(client, studio, path, django_assert_max_num_queries):
    big = svc.program_create(
        actor=studio.designer,
        region=studio.world.region,
        title="Stor",
        kind="treatment",
        languages=["sv", "en"],
        template="treatment_8_weeks",
    )
    force_login_staff(client, studio.designer)
    with django_assert_max_num_queries(20):
        response = client.get(path.format(v=big.pk))
    assert response.status_code == 200


def test_the_screening_gate_is_set_in_the_design_tool(client, site):
    force_login_staff(client, site.designer)
    data = {
        "kind": "treatment",
        "languages": ["sv", "en"],
        "licence": "CC-BY-4.0",
        "unlock_rule": "sequence",
        "unlock_interval_days": "7",
        "inactivity_days": "7",
        "title_sv": "Oro",
        "screening_instrument": "auditc",
        "screening_total": "8",
        "screening_item": "3",
        "screening_item_above": "2",
    }
    response = client.post(f"/design/versions/{site.version.pk}/", data, HTTP_X_AUTOSAVE="1")
    assert response.json()["ok"]
    site.version.refresh_from_db()
    assert site.version.screening == {
        "instrument": "auditc",
        "rules": [{"score": "total", "operator": ">=", "value": 8}, {"item": "3", "operator": ">", "value": 2}],
    }


def test_a_preview_leads_back_where_the_reader_may_go(client, world, make):
    from fyren.accounts.roles import Role
    from fyren.programs.tests.conftest import publish

    designer = make.staff("designer2", (Role.DESIGNER, world.unit))
    publisher = make.staff("publisher2", (Role.PUBLISHER, world.unit))
    version = svc.program_create(
        actor=designer, region=world.region, title="Oro", kind="treatment", languages=["sv", "en"]
    )
    fill_for_publishing(version)
    publish(version, designer=designer, publisher=publisher)
    force_login_staff(client, designer)
    for url in (f"/design/versions/{version.pk}/preview/", f"/design/versions/{version.pk}/preview/clinician/"):
        assert f'href="/design/versions/{version.pk}/"' in client.get(url).content.decode()
    force_login_staff(client, world.outsider)  # another region's clinician: the catalogue, not the tool
    for url in (f"/design/versions/{version.pk}/preview/", f"/design/versions/{version.pk}/preview/clinician/"):
        page = client.get(url).content.decode()
        assert f'href="/design/versions/{version.pk}/"' not in page and 'href="/catalogue/"' in page

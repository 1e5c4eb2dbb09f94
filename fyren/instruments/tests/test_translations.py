"""A region's licensed translation of an instrument (#19): the sheet, its
checks, the service's rules, the pages, and a citizen answering in it."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from conftest import force_login_staff, login_citizen
from fyren.accounts.roles import Role
from fyren.audit.models import AuditEvent
from fyren.instruments import services
from fyren.instruments.definitions import definition_for
from fyren.instruments.library import LIBRARY
from fyren.instruments.models import InstrumentTranslation
from fyren.instruments.translations import SheetError, parse_sheet, sheet, text_nodes, with_translation
from fyren.questionnaires import services as answering
from fyren.questionnaires.models import Response

pytestmark = pytest.mark.django_db

SOURCE = "Official Arabic version (Pfizer, 2010)"
LICENCE = "Free to use, no permission required"


def filled(definition, *, skip=(), change=None, delimiter=","):
    """The sheet of ``definition`` filled in with 'ar:<key>' texts."""
    rows = list(csv.reader(io.StringIO(sheet(definition))))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(rows[0])
    for key, sv, en, _empty in rows[1:]:
        if key in skip:
            continue
        writer.writerow([key, sv, en, f"ar:{key}"])
    text = out.getvalue()
    return change(text) if change else text


# --- the sheet (pure) ---


def test_the_sheet_has_every_text_a_citizen_sees_and_no_clinician_alerts():
    phq9 = LIBRARY["phq9"]
    keys = list(text_nodes(phq9))
    assert keys[:2] == ["name", "intro"]
    assert "items/9/text" in keys and "option_sets/freq/3/text" in keys
    assert "scoring/bands/total/severe/label" in keys and "scoring/bands/total/severe/interpretation" in keys
    assert not [k for k in keys if k.startswith("alerts")]
    # Items are named by link_id, options by code: the same key whatever is added around them.
    rows = list(csv.reader(io.StringIO(sheet(phq9))))
    assert rows[0] == ["key", "sv", "en", "translation"]
    assert ["items/1/text", phq9["items"][0]["text"]["sv"], phq9["items"][0]["text"]["en"], ""] in rows


@pytest.mark.parametrize("code", sorted(LIBRARY))
def test_every_library_instrument_round_trips_through_its_sheet(code):
    definition = LIBRARY[code]
    texts = parse_sheet(definition, filled(definition))
    merged = with_translation(definition, "ar", texts, {"source": SOURCE})
    assert merged["languages"] == [*definition["languages"], "ar"]
    assert all(node["ar"] == f"ar:{key}" for key, node in text_nodes(merged).items())
    assert merged["translations"]["ar"]["source"] == SOURCE
    # The library itself is untouched.
    assert "ar" not in definition["languages"] and "ar" not in definition["name"]


def test_a_sheet_saved_with_semicolons_and_a_byte_order_mark_is_read():
    definition = LIBRARY["phq2"]
    assert len(parse_sheet(definition, "\ufeff" + filled(definition, delimiter=";"))) == len(text_nodes(definition))


@pytest.mark.parametrize(
    ("make_bad", "expected"),
    [
        (lambda d: filled(d, skip={"items/2/text"}), "items/2/text"),
        (lambda d: filled(d, change=lambda t: t.replace("ar:name", "")), "translation of name is empty"),
        (lambda d: filled(d) + "items/99/text,,,x\n", "items/99/text is not a text"),
        (lambda d: filled(d) + "name,,,again\n", "name is given twice"),
        (lambda d: "a,b\n1,2\n", "key and translation"),
        (lambda d: "", "empty"),
    ],
)
def test_a_wrong_sheet_is_refused_with_what_is_wrong(make_bad, expected):
    with translation.override("en"), pytest.raises(SheetError) as raised:
        parse_sheet(LIBRARY["phq2"], make_bad(LIBRARY["phq2"]))
    assert expected in str(raised.value)


# --- the service ---


@pytest.fixture
def designer(world, make):
    return make.staff("designer", (Role.DESIGNER, world.unit))


def _add(world, actor, **kwargs):
    args = {
        "actor": actor,
        "region": world.region,
        "code": "phq9",
        "language": "ar",
        "sheet": filled(LIBRARY["phq9"]),
        "source": SOURCE,
        "licence": LICENCE,
        **kwargs,
    }
    return services.instrument_translation_add(**args)


def test_a_designer_adds_a_translation_with_its_source_and_it_is_audited(world, designer):
    added = _add(world, designer)
    assert (added.region, added.code, added.language, added.source) == (world.region, "phq9", "ar", SOURCE)
    assert added.texts["items/9/text"] == "ar:items/9/text"
    assert AuditEvent.objects.filter(action="instrument.translation.add", actor=designer).exists()
    again = _add(world, designer, source="Corrected edition 2024")
    assert again.pk == added.pk and again.source == "Corrected edition 2024"
    assert AuditEvent.objects.filter(action="instrument.translation.replace").exists()


@pytest.mark.parametrize("who", ["clinician", "outsider"])
def test_only_the_regions_designers_may_add_or_remove(world, designer, who):
    with pytest.raises(PermissionDenied):
        _add(world, getattr(world, who))
    added = _add(world, designer)
    with pytest.raises(PermissionDenied):
        services.instrument_translation_remove(actor=getattr(world, who), translation=added)
    assert InstrumentTranslation.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"language": "en"}, "language"),  # the library has it already
        ({"language": "xx"}, "language"),  # not a page language
        ({"source": "  "}, "source"),
        ({"licence": ""}, "licence"),
        ({"sheet": "key,sv,en,translation\nname,a,b,c\n"}, "sheet"),
    ],
)
def test_a_translation_without_source_licence_or_every_text_is_refused_and_nothing_is_stored(
    world, designer, change, field
):
    with pytest.raises(ValidationError) as raised:
        _add(world, designer, **change)
    assert field in raised.value.message_dict
    assert not InstrumentTranslation.objects.exists()


def test_removing_a_translation_keeps_what_was_answered_in_it(world, designer):
    added = _add(world, designer)
    definition = definition_for("phq9", region=world.region, language="ar")
    services.instrument_translation_remove(actor=designer, translation=added)
    assert not InstrumentTranslation.objects.exists()
    assert AuditEvent.objects.filter(action="instrument.translation.remove").exists()
    assert definition["name"]["ar"] == "ar:name"  # a copy: a response's snapshot keeps it
    assert "ar" not in definition_for("phq9", region=world.region, language="ar")["languages"]


# --- offering it ---


def test_the_region_offers_the_language_only_once_it_has_added_a_translation(world, designer):
    assert definition_for("phq9", region=world.region, language="ar") is LIBRARY["phq9"]
    _add(world, designer)
    merged = definition_for("phq9", region=world.region, language="ar")
    assert "ar" in merged["languages"] and merged["items"][8]["text"]["ar"] == "ar:items/9/text"
    assert merged["translations"]["ar"]["licence"] == LICENCE
    # Another region does not get it; nor does a language not added.
    assert definition_for("phq9", region=world.other_region, language="ar") is LIBRARY["phq9"]
    assert "fa" not in definition_for("phq9", region=world.region, language="fa")["languages"]


def test_a_language_the_instrument_has_costs_no_query(world, designer):
    _add(world, designer)
    with CaptureQueriesContext(connection) as queries:
        definition_for("phq9", region=world.region, language="sv")
        definition_for("phq9", region=world.region, language="en")
        definition_for("phq9", region=world.region)
    assert len(queries) == 0


def test_a_citizen_answers_in_the_translation_and_the_clinician_sees_so(client, enrolled, make):
    designer = enrolled.enrolment.program_version.created_by
    services.instrument_translation_add(
        actor=designer,
        region=enrolled.region,
        code="phq9",
        language="ar",
        sheet=filled(LIBRARY["phq9"]),
        source=SOURCE,
        licence=LICENCE,
    )
    login_citizen(client, enrolled.patient)
    with translation.override("ar"):
        client.cookies["django_language"] = "ar"
        home = client.get("/me/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
        assert "ar:name" in home
        started = client.post(f"/me/questionnaires/send/{enrolled.send.pk}/start/", HTTP_ACCEPT_LANGUAGE="ar")
        page = client.get(started["Location"], HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    response = Response.objects.get(send=enrolled.send)
    assert response.language == "ar"
    assert "ar:items/1/text" in page and "ar:option_sets/freq/0/text" in page
    assert 'class="notice"' not in page.split("<main")[1]
    answering.response_submit(
        actor=enrolled.patient.user,
        client_token=response.client_token,
        raw={str(n): "0" for n in range(1, 10)},
        response=response,
    )
    force_login_staff(client, enrolled.clinician)
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        seen = client.get(
            f"/clinic/{enrolled.unit.pk}/responses/{response.pk}/", HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert "Answered in" in seen and SOURCE in seen
    # The clinician reads the questions in their own language.
    assert LIBRARY["phq9"]["items"][0]["text"]["en"] in seen


def test_without_a_translation_the_citizen_is_told_which_language_is_shown(client, enrolled):
    login_citizen(client, enrolled.patient)
    client.cookies["django_language"] = "ar"
    started = client.post(f"/me/questionnaires/send/{enrolled.send.pk}/start/", HTTP_ACCEPT_LANGUAGE="ar")
    page = client.get(started["Location"], HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert Response.objects.get(send=enrolled.send).language == "sv"
    assert 'class="notice"' in page.split("<main")[1]


# --- the pages ---


def _upload(text, name="phq9-ar.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")


def test_a_designer_downloads_the_sheet_and_adds_the_translation_by_page(client, world, designer):
    force_login_staff(client, designer)
    listing = client.get("/design/instruments/").content.decode()
    assert "/design/instruments/phq9/translations/" in listing
    page = client.get("/design/instruments/phq9/translations/")
    assert page.status_code == 200
    downloaded = client.get("/design/instruments/phq9/sheet.csv")
    assert downloaded["Content-Type"].startswith("text/csv")
    text = downloaded.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "key,sv,en,translation"
    filled_in = filled(LIBRARY["phq9"])
    posted = client.post(
        "/design/instruments/phq9/translations/",
        {
            "region": world.region.pk,
            "language": "ar",
            "source": SOURCE,
            "licence": LICENCE,
            "sheet": _upload(filled_in),
        },
    )
    assert posted.status_code == 302
    added = InstrumentTranslation.objects.get()
    after = client.get("/design/instruments/phq9/translations/").content.decode()
    assert SOURCE in after and "العربيّة" in after
    again = client.get(f"/design/instruments/translations/{added.pk}/sheet.csv").content.decode("utf-8-sig")
    assert "ar:items/9/text" in again
    assert client.post(f"/design/instruments/translations/{added.pk}/remove/").status_code == 302
    assert not InstrumentTranslation.objects.exists()


def test_a_wrong_sheet_by_page_lists_the_lines_and_keeps_what_was_typed(client, world, designer):
    force_login_staff(client, designer)
    with translation.override("en"):
        posted = client.post(
            "/design/instruments/phq9/translations/",
            {
                "region": world.region.pk,
                "language": "ar",
                "source": SOURCE,
                "licence": LICENCE,
                "sheet": _upload(filled(LIBRARY["phq9"], skip={"items/3/text"})),
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )
    html = posted.content.decode()
    assert posted.status_code == 400 and "items/3/text" in html
    assert f'value="{SOURCE}"' in html and f'value="{LICENCE}"' in html
    assert not InstrumentTranslation.objects.exists()


def test_the_language_choices_are_the_page_languages_the_instrument_lacks(client, world, designer):
    force_login_staff(client, designer)
    html = client.get("/design/instruments/phq9/translations/").content.decode()
    choices = html.split('id="id_language"')[1].split("</select>")[0]
    assert 'value="ar"' in choices and 'value="ti"' in choices
    assert 'value="sv"' not in choices and 'value="en"' not in choices


@pytest.mark.parametrize("who", ["clinician", "outsider"])
def test_translation_pages_are_404_for_staff_who_do_not_design(client, world, designer, who):
    added = _add(world, designer)
    force_login_staff(client, getattr(world, who))
    for url in (
        "/design/instruments/phq9/translations/",
        "/design/instruments/phq9/sheet.csv",
        f"/design/instruments/translations/{added.pk}/sheet.csv",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/design/instruments/translations/{added.pk}/remove/").status_code == 404
    assert InstrumentTranslation.objects.exists()


def test_another_regions_designer_does_not_see_this_regions_translation(client, world, designer, make):
    added = _add(world, designer)
    other = make.staff("other-designer", (Role.DESIGNER, world.other_unit))
    force_login_staff(client, other)
    assert SOURCE not in client.get("/design/instruments/phq9/translations/").content.decode()
    assert client.get(f"/design/instruments/translations/{added.pk}/sheet.csv").status_code == 404
    assert client.post(f"/design/instruments/translations/{added.pk}/remove/").status_code == 404
    assert InstrumentTranslation.objects.exists()


def test_a_citizen_gets_404_on_translation_pages(client, world, designer):
    added = _add(world, designer)
    login_citizen(client, world.patient)
    assert client.get("/design/instruments/phq9/translations/").status_code == 404
    assert client.get("/design/instruments/phq9/sheet.csv").status_code == 404
    assert client.post(f"/design/instruments/translations/{added.pk}/remove/").status_code == 404

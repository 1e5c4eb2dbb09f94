"""A program's languages (#19): the design tool shows what is missing language
by language; a version is submitted only when every declared language is
complete; texts may carry spoken versions; easy-to-read Swedish is a language
of its own."""

import pytest
from django.core.exceptions import ValidationError

from conftest import force_login_staff, login_citizen
from fyren.care.services import enrolment_start
from fyren.programs import elements
from fyren.programs import services as svc
from fyren.programs.checks import language_coverage
from fyren.programs.models import Element, Program
from fyren.programs.package import export_package, import_package
from fyren.programs.tree import load_tree

from .conftest import VTT, fill_for_publishing, publish

pytestmark = pytest.mark.django_db
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 64  # the signature the upload check reads


@pytest.fixture
def arabic(studio, settings, tmp_path):
    """A draft in Swedish and Arabic: the Swedish complete, the Arabic missing a text,
    a video's captions and an audio's transcript."""
    settings.MEDIA_ROOT = tmp_path
    version = studio.version
    step = fill_for_publishing(version)  # sv and en texts
    version.languages = ["sv", "ar"]
    for name in ("title", "summary", "target_group", "indications", "contact_info"):
        setattr(version, name, {"sv": "Text", "ar": "نص"})
    version.save()
    for node in (step.section.module, step.section, step):
        node.title = {"sv": "Text", "ar": "نص"}
        node.save()
    text = Element.objects.get(step=step, kind=elements.TEXT)
    text.content = {"body": {"sv": "Hej", "ar": ""}}
    text.save()
    video = Element.objects.create(
        version=version,
        step=step,
        position=2,
        kind=elements.VIDEO,
        content={"title": {"sv": "V", "ar": "ف"}, "captions": {"sv": VTT}},
    )
    audio = Element.objects.create(
        version=version,
        step=step,
        position=3,
        kind=elements.AUDIO,
        content={"title": {"sv": "L", "ar": "ص"}, "transcript": {"sv": "Hej"}},
    )
    studio.text, studio.video, studio.audio, studio.step = text, video, audio, step
    return studio


def test_the_design_tool_counts_what_is_missing_per_language(arabic):
    rows = {row.language: row for row in language_coverage(load_tree(arabic.version))}
    assert set(rows) == {"sv", "ar"}
    assert (rows["sv"].texts, rows["sv"].captions, rows["sv"].transcripts) == (0, 0, 0)
    assert (rows["ar"].texts, rows["ar"].captions, rows["ar"].transcripts) == (1, 1, 1)
    assert not rows["ar"].complete and rows["sv"].texts == 0
    assert (rows["ar"].spoken, rows["ar"].spoken_of) == (0, 1)


def test_a_version_is_submitted_only_when_every_language_is_complete(arabic):
    with pytest.raises(ValidationError):
        svc.version_submit(actor=arabic.designer, version=arabic.version)
    arabic.text.content = {"body": {"sv": "Hej", "ar": "مرحبا"}}
    arabic.text.save()
    arabic.video.content["captions"]["ar"] = VTT
    arabic.video.save()
    arabic.audio.content["transcript"]["ar"] = "مرحبا"
    arabic.audio.save()
    for element in (arabic.video, arabic.audio):
        svc.element_attach_file(
            actor=arabic.designer,
            element=element,
            data=MP3 if element.kind == "audio" else b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64,
            name="x",
        )
    assert all(row.complete for row in language_coverage(load_tree(arabic.version)))
    svc.version_submit(actor=arabic.designer, version=arabic.version)


def test_a_text_gets_a_spoken_version_per_language_and_loses_it(arabic):
    svc.element_spoken_set(actor=arabic.designer, element=arabic.text, language="sv", data=MP3, name="hej.mp3")
    arabic.text.refresh_from_db()
    assert set(arabic.text.content["spoken"]) == {"sv"}
    assert language_coverage(load_tree(arabic.version))[0].spoken == 1
    with pytest.raises(ValidationError):  # not a recording
        svc.element_spoken_set(actor=arabic.designer, element=arabic.text, language="ar", data=b"%PDF-1.4", name="x")
    with pytest.raises(ValidationError):  # not one of the program's languages
        svc.element_spoken_set(actor=arabic.designer, element=arabic.text, language="fi", data=MP3, name="x")
    with pytest.raises(ValidationError):  # only texts are spoken
        svc.element_spoken_set(actor=arabic.designer, element=arabic.video, language="sv", data=MP3, name="x")
    svc.element_spoken_set(actor=arabic.designer, element=arabic.text, language="sv", data=None)
    arabic.text.refresh_from_db()
    assert arabic.text.content["spoken"] == {}


def test_the_design_page_shows_the_table_and_takes_a_recording(client, arabic):
    force_login_staff(client, arabic.designer)
    html = client.get(f"/design/versions/{arabic.version.pk}/").content.decode()
    assert "Vad som saknas, språk för språk" in html and 'lang="ar" dir="rtl"' in html
    from django.core.files.uploadedfile import SimpleUploadedFile

    prefix = f"e{arabic.text.pk}"
    response = client.post(
        f"/design/versions/{arabic.version.pk}/elements/{arabic.text.pk}/",
        {
            f"{prefix}-body_sv": "Hej",
            f"{prefix}-body_ar": "مرحبا",
            f"{prefix}-spoken_ar": SimpleUploadedFile("a.mp3", MP3),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    arabic.text.refresh_from_db()
    assert arabic.text.content["body"]["ar"] == "مرحبا" and set(arabic.text.content["spoken"]) == {"ar"}


def test_the_citizen_hears_the_recording_and_an_outsider_gets_nothing(client, arabic, make):
    text = arabic.text
    text.content = {"body": {"sv": "Hej", "ar": "مرحبا"}}
    text.save()
    svc.element_spoken_set(actor=arabic.designer, element=text, language="ar", data=MP3, name="a.mp3")
    arabic.video.delete()
    audio = arabic.audio
    audio.content["transcript"]["ar"] = "مرحبا"
    audio.save()
    svc.element_attach_file(actor=arabic.designer, element=audio, data=MP3, name="l.mp3")
    publish(arabic.version, designer=arabic.designer, publisher=arabic.publisher)
    admin = make.staff("admin", ("care_provider_admin", arabic.world.region))
    svc.unit_program_set(actor=admin, program=arabic.version.program, unit=arabic.world.unit, active=True)
    enrolment = enrolment_start(
        actor=arabic.world.clinician,
        citizen=arabic.world.patient,
        program_version=arabic.version,
        unit=arabic.world.unit,
        assessment={"indication": "x", "reason": "y", "risk_considered": True},
    )
    enrolment.language = "ar"
    enrolment.save()
    login_citizen(client, arabic.world.patient)
    html = client.get(f"/me/enrolments/{enrolment.pk}/steps/{arabic.step.key}/").content.decode()
    spoken = f"/me/enrolments/{enrolment.pk}/elements/{text.key}/spoken/ar"
    assert f'src="{spoken}"' in html
    response = client.get(spoken)
    assert response.status_code == 200 and response["Content-Type"] == "audio/mpeg"
    assert client.get(f"/me/enrolments/{enrolment.pk}/elements/{text.key}/spoken/sv").status_code == 404
    # The recording element's file comes through the citizen's own address too.
    file_url = f"/me/enrolments/{enrolment.pk}/elements/{audio.key}/file"
    assert f'src="{file_url}"' in html and client.get(file_url).status_code == 200
    client.logout()
    login_citizen(client, arabic.world.stranger)
    assert client.get(spoken).status_code == 404 and client.get(file_url).status_code == 404


def test_a_spoken_version_travels_in_the_package(arabic):
    arabic.text.content = {"body": {"sv": "Hej", "ar": "مرحبا"}}
    arabic.text.save()
    svc.element_spoken_set(actor=arabic.designer, element=arabic.text, language="ar", data=MP3, name="a.mp3")
    for element in (arabic.video, arabic.audio):
        element.delete()
    imported = import_package(
        actor=arabic.other_designer, region=arabic.world.other_region, data=export_package(arabic.version)
    )
    copy = Element.objects.get(version=imported, kind=elements.TEXT)
    arabic.text.refresh_from_db()
    assert copy.content["spoken"] == arabic.text.content["spoken"] and set(copy.content["spoken"]) == {"ar"}


def test_easy_to_read_swedish_is_a_program_language(arabic):
    version = svc.program_create(
        actor=arabic.designer,
        region=arabic.world.region,
        title="Sömn",
        kind="course",
        languages=["sv", "sv-x-lattlast"],
    )
    assert Program.objects.filter(pk=version.program_id).exists()
    assert [row.language for row in language_coverage(load_tree(version))] == ["sv", "sv-x-lattlast"]

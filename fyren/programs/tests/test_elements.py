import io

import pytest
from django.utils import translation
from PIL import Image

from fyren.programs import elements
from fyren.programs.files import RejectedFile, check_upload, check_webvtt
from fyren.programs.markdown import render_markdown

LANGS = ["sv", "en"]
VTT = "WEBVTT\n\n00:00.000 --> 00:02.000\nHej\n"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_an_image_needs_alt_text_in_every_language_before_publishing():
    content = {"alt": {"sv": "En fyr"}, "caption": {}}
    assert elements.problems(elements.IMAGE, content, languages=LANGS, has_asset=True) == []
    found = elements.problems(elements.IMAGE, content, languages=LANGS, has_asset=True, for_publishing=True)
    assert found == ["The alt text is missing in: en."]


def test_a_video_needs_valid_captions_in_every_language():
    content = {"title": {"sv": "Film", "en": "Film"}, "captions": {"sv": VTT, "en": "not captions"}}
    found = elements.problems(elements.VIDEO, content, languages=LANGS, has_asset=True, for_publishing=True)
    assert len(found) == 1 and "(en)" in found[0] and "WEBVTT" in found[0]


def test_audio_needs_a_transcript_and_media_need_their_file():
    content = {"title": {"sv": "Ljud", "en": "Audio"}, "transcript": {"sv": "Text"}}
    found = elements.problems(elements.AUDIO, content, languages=LANGS, has_asset=False, for_publishing=True)
    assert "The transcript is missing in: en." in found and "The file is missing." in found


def test_a_diary_defines_typed_fields():
    content = {
        "title": {"sv": "Sömndagbok", "en": "Sleep diary"},
        "fields": [
            {"key": "bedtime", "label": {"sv": "Lade mig", "en": "Went to bed"}, "type": "time"},
            {
                "key": "hours",
                "label": {"sv": "Timmar", "en": "Hours"},
                "type": "number",
                "unit": "h",
                "min": 0,
                "max": 24,
            },
        ],
    }
    assert elements.problems(elements.DIARY, content, languages=LANGS, for_publishing=True) == []
    content["fields"].append({"key": "hours", "label": {}, "type": "colour"})
    found = elements.problems(elements.DIARY, content, languages=LANGS, for_publishing=True)
    assert any("Two fields have the key hours" in p for p in found)
    assert any("unknown type" in p for p in found)


def test_a_measurement_has_a_unit_and_a_sensible_range():
    content = {"label": {"sv": "Vikt", "en": "Weight"}, "unit": "kg", "min": 200, "max": 20}
    assert "The lowest allowed value is above the highest." in elements.problems(
        elements.MEASUREMENT, content, languages=LANGS
    )


def test_answer_refs_name_what_later_conditions_can_use():
    assert elements.answer_refs(elements.QUESTIONNAIRE, "abc", {}) == {"abc.score"}
    sheet = {"mode": "worksheet", "fields": [{"key": "goal"}, {"key": "step"}]}
    assert elements.answer_refs(elements.EXERCISE, "ex", sheet) == {"ex.goal", "ex.step"}


def test_files_are_checked_by_content_not_name():
    assert check_upload(b"%PDF-1.7\n...", kind="file").content_type == "application/pdf"
    assert check_upload(png_bytes(), kind="image").extension == "png"
    with pytest.raises(RejectedFile, match="not an allowed type"):
        check_upload(b"MZ\x90\x00 an executable", kind="file")
    with pytest.raises(RejectedFile, match="not an allowed type"):
        check_upload(b"%PDF-1.7", kind="image")  # a PDF is no image
    with pytest.raises(RejectedFile, match="damaged"):
        check_upload(b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, kind="image")


def test_files_over_the_limit_are_refused(settings):
    settings.FYREN_MEDIA_MAX_BYTES = {"file": 100}
    with pytest.raises(RejectedFile, match="too large"):
        check_upload(b"%PDF-" + b"x" * 200, kind="file")


def test_webvtt_is_checked():
    assert check_webvtt(VTT) == []
    assert check_webvtt("") == ["Captions are missing."]
    assert check_webvtt("WEBVTT\n\n") == ["The captions contain no cues."]


def test_markdown_is_rendered_and_sanitised():
    html = render_markdown("**Hej** <script>alert(1)</script> [länk](javascript:alert(1)) <img src=x onerror=y>")
    assert "<strong>Hej</strong>" in html
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html and "<img" not in html

"""Element kinds and the rules for their content (pure, no database).

An element's ``content`` is JSON. Text a citizen reads is a mapping language →
text (``{"sv": "...", "en": "..."}``). Media (image, video, audio, file) refer
to a stored file separately (``Element.asset``). ``problems(kind, content, ...)``
lists what is wrong; with ``for_publishing`` it also lists what must be in
place before a version can be published (alt text, captions, transcripts…).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .files import check_webvtt

TEXT, IMAGE, VIDEO, AUDIO = "text", "image", "video", "audio"
EXERCISE, QUESTIONNAIRE, DIARY, MEASUREMENT, CHECKLIST, FILE = (
    "exercise", "questionnaire", "diary", "measurement", "checklist", "file"
)  # fmt: skip

KINDS = {
    TEXT: gettext_lazy("Text"),
    IMAGE: gettext_lazy("Image"),
    VIDEO: gettext_lazy("Video"),
    AUDIO: gettext_lazy("Audio"),
    EXERCISE: gettext_lazy("Exercise"),
    QUESTIONNAIRE: gettext_lazy("Questionnaire"),
    DIARY: gettext_lazy("Diary / registration"),
    MEASUREMENT: gettext_lazy("Measurement"),
    CHECKLIST: gettext_lazy("Checklist"),
    FILE: gettext_lazy("Downloadable file"),
}
MEDIA_KINDS = {IMAGE: "image", VIDEO: "video", AUDIO: "audio", FILE: "file"}
SHA256 = re.compile(r"^[0-9a-f]{64}$")
DIARY_FIELD_TYPES = ("number", "text", "time", "scale", "choice")
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

# Translatable text fields of each kind, and whether each is required before publishing.
TEXT_FIELDS: dict[str, dict[str, bool]] = {
    TEXT: {"body": True},
    IMAGE: {"alt": True, "caption": False},
    VIDEO: {"title": True},
    AUDIO: {"title": True, "transcript": True},
    EXERCISE: {"prompt": True},
    QUESTIONNAIRE: {"intro": False},
    DIARY: {"title": True, "intro": False},
    MEASUREMENT: {"label": True},
    CHECKLIST: {"title": False},
    FILE: {"title": True, "description": False},
}


def empty_content(kind: str) -> dict[str, Any]:
    content: dict[str, Any] = {name: {} for name in TEXT_FIELDS[kind]}
    if kind == VIDEO:
        content["captions"] = {}
    elif kind == EXERCISE:
        content.update(mode="free_text", fields=[])
    elif kind == QUESTIONNAIRE:
        content.update(instrument="", show_result=True)
    elif kind == DIARY:
        content["fields"] = []
    elif kind == MEASUREMENT:
        content.update(unit="", min=None, max=None, decimals=0)
    elif kind == CHECKLIST:
        content["items"] = []
    return content


def spoken_files(kind: str, content: Mapping[str, Any]) -> dict[str, str]:
    """A text element's spoken versions: language → the stored audio file's
    SHA-256 (uploaded recordings; the browser may read the others aloud)."""
    spoken = content.get("spoken") if kind == TEXT else None
    return dict(spoken) if isinstance(spoken, Mapping) else {}


def _text_missing(value: Any, languages: Sequence[str]) -> list[str]:
    if not isinstance(value, Mapping):
        return list(languages)
    return [lang for lang in languages if not str(value.get(lang) or "").strip()]


def _lang_names(langs: list[str]) -> str:
    return ", ".join(langs)


def problems(
    kind: str,
    content: Mapping[str, Any],
    *,
    languages: Sequence[str],
    has_asset: bool = False,
    for_publishing: bool = False,
) -> list[str]:
    """What is wrong with an element's content. Shape problems always count;
    completeness (texts in every language, alt text, captions, transcripts,
    the file itself) counts ``for_publishing``."""
    if kind not in KINDS:
        return [_("Unknown element kind %(kind)s.") % {"kind": kind}]
    found: list[str] = []
    if for_publishing:
        for name, required in TEXT_FIELDS[kind].items():
            missing = _text_missing(content.get(name), languages)
            if required and missing:
                found.append(
                    _("%(field)s is missing in: %(langs)s.")
                    % {"field": _field_label(name), "langs": _lang_names(missing)}
                )
        if kind in MEDIA_KINDS and not has_asset:
            found.append(_("The file is missing."))
    spoken = content.get("spoken")
    if spoken is not None and (
        kind != TEXT
        or not isinstance(spoken, Mapping)
        or any(lang not in languages or not SHA256.match(str(sha)) for lang, sha in spoken.items())
    ):
        found.append(_("A spoken version must be an audio file in one of the program's languages."))
    found += _kind_problems(kind, content, languages=languages, for_publishing=for_publishing)
    return found


def _field_label(name: str) -> str:
    labels = {
        "body": _("The text"),
        "alt": _("The alt text"),
        "caption": _("The caption"),
        "title": _("The title"),
        "transcript": _("The transcript"),
        "prompt": _("The instructions"),
        "intro": _("The introduction"),
        "label": _("The label"),
        "description": _("The description"),
    }
    return labels.get(name, name)


def _fields_problems(fields: Any, *, languages, for_publishing, diary: bool) -> list[str]:
    if not isinstance(fields, list):
        return [_("The fields must be a list.")]
    found, keys = [], set()
    for index, field in enumerate(fields, start=1):
        if not isinstance(field, Mapping):
            found.append(_("Field %(n)d is malformed.") % {"n": index})
            continue
        key = field.get("key", "")
        if not KEY.match(str(key)):
            found.append(_("Field %(n)d needs a short key of lower-case letters, digits and _.") % {"n": index})
        elif key in keys:
            found.append(_("Two fields have the key %(key)s.") % {"key": key})
        keys.add(key)
        if for_publishing and _text_missing(field.get("label"), languages):
            found.append(_("Field %(n)d has no label in every language.") % {"n": index})
        if diary:
            ftype = field.get("type")
            if ftype not in DIARY_FIELD_TYPES:
                found.append(_("Field %(n)d has an unknown type.") % {"n": index})
            if ftype in ("number", "scale"):
                low, high = field.get("min"), field.get("max")
                if low is not None and high is not None and low > high:
                    found.append(_("Field %(n)d: the lowest value is above the highest.") % {"n": index})
            if ftype == "choice" and not field.get("choices"):
                found.append(_("Field %(n)d: a choice field needs choices.") % {"n": index})
    return found


def _kind_problems(kind: str, content: Mapping[str, Any], *, languages, for_publishing) -> list[str]:
    found: list[str] = []
    if kind == VIDEO and for_publishing:
        captions = content.get("captions") or {}
        for lang in languages:
            for problem in check_webvtt(captions.get(lang, "")):
                found.append(_("Captions (%(lang)s): %(problem)s") % {"lang": lang, "problem": problem})
    elif kind == EXERCISE:
        if content.get("mode") not in ("free_text", "worksheet"):
            found.append(_("Choose free text or worksheet."))
        if content.get("mode") == "worksheet":
            fields = content.get("fields") or []
            if for_publishing and not fields:
                found.append(_("A worksheet needs at least one field."))
            found += _fields_problems(fields, languages=languages, for_publishing=for_publishing, diary=False)
    elif kind == QUESTIONNAIRE:
        if for_publishing and not content.get("instrument"):
            found.append(_("Choose the questionnaire."))
    elif kind == DIARY:
        fields = content.get("fields") or []
        if for_publishing and not fields:
            found.append(_("A diary needs at least one field."))
        found += _fields_problems(fields, languages=languages, for_publishing=for_publishing, diary=True)
    elif kind == MEASUREMENT:
        low, high = content.get("min"), content.get("max")
        for value in (low, high):
            if value is not None and not isinstance(value, int | float):
                found.append(_("The allowed range must be numbers."))
                break
        else:
            if low is not None and high is not None and low > high:
                found.append(_("The lowest allowed value is above the highest."))
        if for_publishing and not str(content.get("unit") or "").strip():
            found.append(_("Give the unit of the measurement."))
    elif kind == CHECKLIST:
        items = content.get("items") or []
        if for_publishing and not items:
            found.append(_("A checklist needs at least one item."))
        found += _fields_problems(items, languages=languages, for_publishing=for_publishing, diary=False)
    return found


def answer_refs(kind: str, key: str, content: Mapping[str, Any]) -> set[str]:
    """The answers an element produces, as refs that later conditions can use."""
    if kind == QUESTIONNAIRE:
        return {f"{key}.score"}
    if kind == MEASUREMENT:
        return {key}
    if kind == EXERCISE:
        if content.get("mode") == "worksheet":
            return {f"{key}.{f['key']}" for f in content.get("fields", []) if isinstance(f, Mapping) and "key" in f}
        return {key}
    if kind == CHECKLIST:
        return {f"{key}.{i['key']}" for i in content.get("items", []) if isinstance(i, Mapping) and "key" in i}
    if kind == DIARY:
        return {f"{key}.{f['key']}" for f in content.get("fields", []) if isinstance(f, Mapping) and "key" in f}
    return set()

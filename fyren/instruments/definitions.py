"""Finding an instrument's definition: the shipped library first, then the
region's own instruments; in a language the instrument lacks, with the
region's licensed translation into it when the region has added one."""

from __future__ import annotations

from django.http import Http404

from .library import LIBRARY
from .models import Instrument, InstrumentTranslation
from .translations import with_translation


def definition_for(code: str, *, region=None, language: str | None = None) -> dict:
    """The definition of ``code`` as ``region`` offers it. With ``language``
    (the citizen's page language) and a region, a translation the region added
    is merged in; a language the instrument already has costs no query."""
    if code in LIBRARY:
        definition = LIBRARY[code]
    else:
        instrument = Instrument.objects.filter(code=code, owner=region).first() if region is not None else None
        if instrument is None:
            raise Http404
        definition = instrument.definition
    if language and region is not None and language not in (definition.get("languages") or ["sv"]):
        translation = (
            InstrumentTranslation.objects.filter(region=region, code=code, language=language)
            .only("texts", "source", "licence", "added_at")
            .first()
        )
        if translation is not None:
            definition = with_translation(definition, language, translation.texts, about_translation(translation))
    return definition


def about_translation(translation) -> dict:
    return {
        "source": translation.source,
        "licence": translation.licence,
        "region": translation.region_id,
        "added": translation.added_at.date().isoformat(),
    }


def name_of(definition: dict, lang: str) -> str:
    name = definition.get("name") or {}
    return name.get(lang) or next(iter(name.values()), definition.get("code", ""))

"""Finding an instrument's definition: the shipped library first, then the
region's own instruments."""

from __future__ import annotations

from django.http import Http404

from .library import LIBRARY
from .models import Instrument


def definition_for(code: str, *, region=None) -> dict:
    if code in LIBRARY:
        return LIBRARY[code]
    instrument = Instrument.objects.filter(code=code, owner=region).first() if region is not None else None
    if instrument is None:
        raise Http404
    return instrument.definition


def name_of(definition: dict, lang: str) -> str:
    name = definition.get("name") or {}
    return name.get(lang) or next(iter(name.values()), definition.get("code", ""))

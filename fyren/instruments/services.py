"""Writes about a region's own instruments and translations: designers of the
region may make them; each is audited."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.accounts.permissions import regions_with_role
from fyren.accounts.roles import Role
from fyren.audit.services import audit_event_write

from .definitions import definition_for
from .fhir import InvalidQuestionnaire, questionnaire_to_instrument
from .library import LIBRARY
from .models import Instrument, InstrumentTranslation
from .translations import SheetError, parse_sheet


def instrument_import(*, actor, region, resource, language: str = "sv"):
    """Add a region's own instrument from a FHIR R4 Questionnaire. Designers of
    the region may; the code must be new to the region and not a library code."""
    if not regions_with_role(actor, Role.DESIGNER).filter(pk=region.pk).exists():
        raise PermissionDenied
    try:
        definition = questionnaire_to_instrument(resource, language=language)
    except InvalidQuestionnaire as exc:
        raise ValidationError(_("The questionnaire was not imported: %(problem)s") % {"problem": exc}) from None
    code = definition["code"]
    with transaction.atomic():
        if code in LIBRARY or Instrument.objects.filter(owner=region, code=code).exists():
            raise ValidationError(_("An instrument with the code %(code)s already exists.") % {"code": code})
        instrument = Instrument.objects.create(owner=region, code=code, definition=definition, created_by=actor)
        audit_event_write(actor=actor, action="instrument.import", obj=instrument, data={"code": code})
    return instrument


def instrument_translation_add(
    *, actor, region, code: str, language: str, sheet: str, source: str, licence: str
) -> InstrumentTranslation:
    """Add (or replace) the region's translation of an instrument into a page
    language the instrument lacks, from a filled-in sheet. Designers of the
    region may; where it comes from and the right to use it must be stated.
    Nothing is stored unless every text is translated."""
    if not regions_with_role(actor, Role.DESIGNER).filter(pk=region.pk).exists():
        raise PermissionDenied
    definition = definition_for(code, region=region)
    if language not in dict(settings.LANGUAGES) or language in (definition.get("languages") or ["sv"]):
        raise ValidationError({"language": _("Choose a page language the instrument does not have yet.")})
    source, licence = (source or "").strip(), (licence or "").strip()
    errors = {}
    if not source:
        errors["source"] = _("Say where the translation comes from (publisher, version, year).")
    if not licence:
        errors["licence"] = _("Say what gives the region the right to use it (free to use, licence, agreement).")
    if errors:
        raise ValidationError(errors)
    try:
        texts = parse_sheet(definition, sheet)
    except SheetError as exc:
        raise ValidationError({"sheet": exc.problems}) from None
    with transaction.atomic():
        translation, created = InstrumentTranslation.objects.update_or_create(
            region=region,
            code=code,
            language=language,
            defaults={
                "texts": texts,
                "source": source,
                "licence": licence,
                "added_by": actor,
                "added_at": timezone.now(),
            },
        )
        audit_event_write(
            actor=actor,
            action="instrument.translation." + ("add" if created else "replace"),
            obj=translation,
            data={"code": code, "language": language, "source": source, "licence": licence},
        )
    return translation


def instrument_translation_remove(*, actor, translation: InstrumentTranslation) -> None:
    """Stop offering a translation. Responses already answered keep the texts
    they were answered with."""
    if not regions_with_role(actor, Role.DESIGNER).filter(pk=translation.region_id).exists():
        raise PermissionDenied
    with transaction.atomic():
        audit_event_write(
            actor=actor,
            action="instrument.translation.remove",
            obj=translation,
            data={"code": translation.code, "language": translation.language, "source": translation.source},
        )
        translation.delete()

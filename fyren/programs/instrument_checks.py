"""A check the programs app runs before a version is published: a questionnaire
imported from FHIR and recognised as a known instrument (PHQ-9, GAD-7, …) must
carry safety alerts. The importer attaches the library's when the items match;
when they do not, the designer must add them before the program goes out."""

from __future__ import annotations

from django.utils.translation import gettext as _

from fyren.instruments.models import Instrument

from . import elements
from .checks import Problem


def imported_instruments_without_alerts(tree) -> list[Problem]:
    codes = {
        element.content.get("instrument")
        for element in tree.elements()
        if element.kind == elements.QUESTIONNAIRE and element.content.get("instrument")
    }
    screening = (tree.version.screening or {}).get("instrument")
    if screening:
        codes.add(screening)
    found = []
    region = tree.version.program.owner_id
    for instrument in Instrument.objects.filter(owner_id=region, code__in=codes).order_by("code"):
        definition = instrument.definition
        if definition.get("known_instrument") and not definition.get("alerts"):
            found.append(
                Problem(
                    _("Questionnaire %(code)s") % {"code": instrument.code},
                    _(
                        "It is recognised as %(known)s but has no safety alerts. Add them (an urgent alert on the "
                        "self-harm item) in the instrument library before the program is published."
                    )
                    % {"known": definition["known_instrument"].upper()},
                )
            )
    return found

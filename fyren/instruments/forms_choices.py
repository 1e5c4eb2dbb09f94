from .definitions import name_of
from .library import LIBRARY
from .models import Instrument


def instrument_choices(region, lang: str = "sv") -> list[tuple[str, str]]:
    """The library's instruments and the region's own, for choosing one."""
    from django.utils.translation import get_language

    lang = get_language() or lang
    choices = [(code, name_of(definition, lang)) for code, definition in LIBRARY.items()]
    choices += [(i.code, name_of(i.definition, lang)) for i in Instrument.objects.filter(owner=region).order_by("code")]
    return choices

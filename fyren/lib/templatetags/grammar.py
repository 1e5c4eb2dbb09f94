from django import template
from django.utils.translation import get_language

from fyren.lib.grammar import possessive as _possessive

register = template.Library()


@register.filter
def possessive(name: str) -> str:
    """``{{ name|possessive }}``: the name's genitive in the page's language."""
    return _possessive(str(name), get_language() or "sv")

"""Drawing in the page's direction: in a right-to-left language a chart's axis
runs from the right (time flows right to left), its labels stand on the other
side, and text anchors swap. The shapes are mirrored as a group
(``{% mirror_group chart.width %}``); text is placed with these, never mirrored
(its letters must stay readable)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language_bidi

from fyren.lib.languages import direction_of, name_local

register = template.Library()


@register.filter
def mirror(x, width):
    """``{{ x|mirror:chart.width }}``: the x coordinate as drawn in the page's direction."""
    return float(width) - float(x) if get_language_bidi() else x


@register.filter
def anchor(value: str) -> str:
    """``{{ "end"|anchor }}``: an SVG text-anchor in the page's direction."""
    if get_language_bidi():
        return {"start": "end", "end": "start"}.get(value, value)
    return value


@register.simple_tag
def mirror_group(width):
    """The attribute that mirrors a group of shapes in a right-to-left page (empty otherwise)."""
    if not get_language_bidi():
        return ""
    return format_html(' transform="translate({} 0) scale(-1 1)"', width)


@register.filter
def dir_of(code: str) -> str:
    """``dir="{{ lang|dir_of }}"``: the direction of content in that language."""
    return direction_of(str(code))


@register.filter
def language_name(code: str) -> str:
    """``{{ code|language_name }}``: the language's name in itself."""
    return name_local(str(code))

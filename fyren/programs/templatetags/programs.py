from django import template
from django.template.loader import render_to_string

from fyren.programs import conditions, elements
from fyren.programs.markdown import render_markdown
from fyren.programs.models import text_in

register = template.Library()


@register.filter
def t(value, lang):
    """A translatable value in ``lang`` (falling back to any language that has it)."""
    return text_in(value, (), preferred=lang)


@register.filter
def markdown(value):
    return render_markdown(value)


@register.filter
def describe_condition(value):
    return conditions.describe(value)


@register.filter
def kind_label(kind):
    return elements.KINDS.get(kind, kind)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def render_element(context, element, lang, interactive=False):
    """An element as the citizen sees it (read-only in previews)."""
    return render_to_string(
        f"programs/elements/{element.kind}.html",
        {
            "element": element,
            "content": element.content,
            "lang": lang,
            "interactive": interactive,
            "request": context.get("request"),
        },
    )

from django import template
from django.template.loader import render_to_string
from django.urls import reverse

from fyren.programs import conditions, elements
from fyren.programs.markdown import render_markdown
from fyren.programs.media import assets_by_sha
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
def render_element(context, element, lang, interactive=False, level=2):
    """An element as the citizen sees it (read-only in previews). On a citizen's
    page (``enrolment`` in the context) its files come through the citizen's own
    address, which checks the page is open to them; in the design tool and the
    previews, through the designers'. ``level``: its heading's level, one below
    the heading it stands under (2 on a step's page under its h1)."""
    enrolment = context.get("enrolment")
    enrolment_id = getattr(enrolment, "pk", None) if context.get("citizen_page") else None
    if enrolment_id:
        file_url = reverse("care:element_file", args=[enrolment_id, element.key]) if element.asset_id else ""
    else:
        file_url = reverse("programs:media", args=[element.asset_id]) if element.asset_id else ""
    spoken = elements.spoken_files(element.kind, element.content)
    spoken_url = ""
    if lang in spoken:
        if enrolment_id:
            spoken_url = reverse("care:element_spoken", args=[enrolment_id, element.key, lang])
        else:
            asset = assets_by_sha([spoken[lang]]).get(spoken[lang])
            spoken_url = reverse("programs:media", args=[asset.pk]) if asset else ""
    return render_to_string(
        f"programs/elements/{element.kind}.html",
        {
            "element": element,
            "content": element.content,
            "lang": lang,
            "interactive": interactive,
            "request": context.get("request"),
            "file_url": file_url,
            "spoken_url": spoken_url,
            "level": level,
        },
    )

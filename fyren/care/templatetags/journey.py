from django import template

from fyren.care.journey import content_language
from fyren.programs.models import text_in

register = template.Library()


@register.filter
def program_title(enrolment) -> str:
    """``{{ enrolment|program_title }}``: the program's title in the language the
    citizen follows it in (Arabic for a citizen who chose Arabic)."""
    version = enrolment.program_version
    return text_in(version.title, version.languages, preferred=content_language(enrolment))

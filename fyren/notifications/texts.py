"""The text of a notice: the same few words for every event, in the citizen's
language, saying nothing about health (DOMAIN.md: no health content by e-mail or SMS)."""

from django.utils import translation
from django.utils.translation import gettext as _


def notification_text(language: str) -> tuple[str, str]:
    """(subject, body) in the citizen's language. Deliberately says nothing about health."""
    with translation.override(language):
        return (
            _("Something new in Fyren"),
            _(
                "You have something new in Fyren. Log in to read it.\n\nThis message was sent automatically. "
                "You can stop these notices under Contact details in Fyren."
            ),
        )

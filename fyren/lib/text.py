"""Text a person typed: kept whole or refused with a reason, never cut silently."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# C0 control characters other than tab, line feed and carriage return, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_control_characters(text: str) -> str:
    return _CONTROL.sub("", text)


def typed_text(value, *, limit: int, field: str | None = None) -> str:
    """``value`` as text without control characters; a ValidationError (on
    ``field`` when given) if it is longer than ``limit`` characters."""
    from django.utils.translation import gettext as _

    text = without_control_characters(str(value if value is not None else ""))
    if len(text) > limit:
        message = _("This is %(n)d characters long; at most %(limit)d fit. Shorten it and try again.") % {
            "n": len(text),
            "limit": limit,
        }
        raise ValidationError({field: message} if field else message)
    return text

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SWEDISH_MOBILE = re.compile(r"^(?:\+46|0046|0)(7\d{8})$")
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")


def normalise_mobile(value: str) -> str:
    """Return a mobile number in E.164 form (+46701234567) or raise ValidationError."""
    cleaned = re.sub(r"[\s\-()]", "", value or "")
    match = _SWEDISH_MOBILE.match(cleaned)
    if match:
        return "+46" + match.group(1)
    if _E164.match(cleaned) and not cleaned.startswith("+46"):
        return cleaned
    raise ValidationError(_("Enter a mobile number such as 070-123 45 67 or +46 70 123 45 67."), code="invalid_mobile")

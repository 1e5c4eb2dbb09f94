import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fyren.lib.luhn import luhn_checksum_ok

_HSA_ID = re.compile(r"^SE(?P<org>\d{10})-[A-Za-z0-9]+$")


def organisation_number_is_valid(value: str) -> bool:
    digits = (value or "").replace("-", "")
    return len(digits) == 10 and luhn_checksum_ok(digits)


def validate_organisation_number(value: str) -> None:
    if not organisation_number_is_valid(value):
        raise ValidationError(
            _("Enter a ten-digit organisation number (NNNNNN-NNNN) with a valid check digit."),
            code="invalid_organisation_number",
        )


def hsa_id_is_valid(value: str) -> bool:
    """HSA-id: ``SE`` + ten-digit organisation number + ``-`` + [A-Za-z0-9]+, at most 31 characters."""
    if not value or len(value) > 31:
        return False
    match = _HSA_ID.match(value)
    return bool(match) and luhn_checksum_ok(match.group("org"))


def validate_hsa_id(value: str) -> None:
    if not hsa_id_is_valid(value):
        raise ValidationError(
            _(
                "Enter an HSA-id: SE, a ten-digit organisation number, a hyphen and letters or digits "
                "(at most 31 characters)."
            ),
            code="invalid_hsa_id",
        )

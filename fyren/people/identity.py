"""Swedish personal identity numbers (personnummer) and coordination numbers
(samordningsnummer), as pure functions.

Accepted forms: ``YYMMDD-NNNC``, ``YYMMDD+NNNC`` (the ``+`` marks a person aged
100 or more), ``YYMMDDNNNC``, ``YYYYMMDDNNNC`` and ``YYYYMMDD-NNNC``. The check digit
C is the Luhn digit over the ten-digit form. A coordination number adds 60 to
the day of birth. Numbers are stored normalised as twelve digits.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from fyren.lib.luhn import luhn_checksum_ok

PERSONAL_IDENTITY_NUMBER = "personnummer"
COORDINATION_NUMBER = "samordningsnummer"

_PATTERN = re.compile(r"^(?P<century>\d{2})?(?P<yymmdd>\d{6})(?P<sep>[-+]?)(?P<serial>\d{4})$")


class InvalidIdentityNumber(ValueError):
    """The text is not a valid personnummer or samordningsnummer; the message says why."""


@dataclass(frozen=True)
class IdentityNumber:
    digits: str  # twelve digits, YYYYMMDDNNNC
    kind: str
    birth_date: dt.date
    legal_sex: str  # "F" or "M", from the second-to-last digit

    @property
    def formatted(self) -> str:
        return formatted(self.digits)

    def age_on(self, day: dt.date) -> int:
        return age_on(self.birth_date, day)


def formatted(digits: str) -> str:
    """A stored twelve-digit number as people write it, YYYYMMDD-NNNN (anything else as it is)."""
    return f"{digits[:8]}-{digits[8:]}" if len(digits) == 12 and digits.isdigit() else digits


def age_on(birth_date: dt.date, day: dt.date) -> int:
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def parse_identity_number(text: str, *, today: dt.date | None = None) -> IdentityNumber:
    """Validate ``text`` and return the normalised number with what it tells.

    Raises :class:`InvalidIdentityNumber` with a message a person can act on.
    """
    today = today or dt.date.today()
    cleaned = (text or "").strip().replace(" ", "")
    match = _PATTERN.match(cleaned)
    if not match:
        raise InvalidIdentityNumber(_("Write the number as YYYYMMDD-NNNN or YYMMDD-NNNN."))
    century, yymmdd, sep, serial = match.group("century", "yymmdd", "sep", "serial")
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6])

    kind = PERSONAL_IDENTITY_NUMBER
    if dd > 60:
        kind = COORDINATION_NUMBER
        dd -= 60

    if not luhn_checksum_ok(yymmdd + serial):
        raise InvalidIdentityNumber(_("The check digit does not match: check the number for typing errors."))

    if century is not None:
        if sep == "+":
            raise InvalidIdentityNumber(_("Use '+' only with the ten-digit form (YYMMDD+NNNN)."))
        year = int(century) * 100 + yy
        birth_date = _date_or_error(year, mm, dd)
    else:
        # The century is the latest one that does not put the birth date in the
        # future; '+' means the person has turned 100, so go back another century.
        year = (today.year // 100) * 100 + yy
        birth_date = _date_or_error(year, mm, dd, allow_feb29_shift=True)
        if birth_date > today:
            year -= 100
            birth_date = _date_or_error(year, mm, dd)
        if sep == "+":
            year -= 100
            birth_date = _date_or_error(year, mm, dd)

    if birth_date > today:
        raise InvalidIdentityNumber(_("The date of birth lies in the future."))
    if birth_date.year < 1850:
        raise InvalidIdentityNumber(_("The date of birth is not plausible."))

    digits = f"{birth_date.year:04d}{yymmdd[2:4]}{yymmdd[4:6]}{serial}"
    legal_sex = "F" if int(serial[2]) % 2 == 0 else "M"
    return IdentityNumber(digits=digits, kind=kind, birth_date=birth_date, legal_sex=legal_sex)


def _date_or_error(year: int, month: int, day: int, *, allow_feb29_shift: bool = False) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        if allow_feb29_shift and month == 2 and day == 29:
            # 29 Feb in a non-leap candidate century: the previous century is tried next.
            return dt.date(9999, 12, 31)
        raise InvalidIdentityNumber(_("The number does not contain a valid date of birth.")) from None

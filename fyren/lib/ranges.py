"""Sensible ranges for dates and numbers people type. Pure, except for today."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date

# The earliest date any form accepts (nothing in Fyren happened before it) and how far ahead.
EARLIEST = dt.date(2000, 1, 1)
YEARS_AHEAD = 5


def years_from(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def date_in_range(day: dt.date, *, earliest: dt.date, latest: dt.date, field: str | None = None) -> dt.date:
    """``day``, or a ValidationError saying which dates are allowed."""
    from django.utils.translation import gettext as _

    if not earliest <= day <= latest:
        message = _("Choose a date from %(earliest)s to %(latest)s.") % {
            "earliest": earliest.isoformat(),
            "latest": latest.isoformat(),
        }
        raise ValidationError({field: message} if field else message)
    return day


def parse_day(text, *, default: dt.date | None = None) -> dt.date | None:
    """A date from ``YYYY-MM-DD`` text; ``default`` when empty; ValidationError when malformed."""
    from django.utils.translation import gettext as _

    text = str(text or "").strip()
    if not text:
        return default
    try:
        day = parse_date(text)
    except ValueError:
        day = None
    if day is None:
        raise ValidationError(_("Write the date as YYYY-MM-DD."))
    return day


class BoundedDateField(forms.DateField):
    """A date field that refuses years no one means (year 1, 9999): by default
    from 2000 to five years ahead. ``past_only`` ends the range today."""

    def __init__(self, *args, past_only: bool = False, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(*args, **kwargs)
        self.past_only = past_only

    def validate(self, value):
        super().validate(value)
        if value:
            today = timezone.localdate()
            date_in_range(value, earliest=EARLIEST, latest=today if self.past_only else years_from(today, YEARS_AHEAD))


# Plausible ranges for measurements by unit, when the program sets none.
UNIT_RANGES = {
    "kg": (0, 500),
    "g": (0, 500_000),
    "cm": (0, 300),
    "m": (0, 100_000),
    "km": (0, 1_000),
    "h": (0, 24),
    "tim": (0, 24),
    "timmar": (0, 24),
    "min": (0, 1_440),
    "minuter": (0, 1_440),
    "steg": (0, 200_000),
    "steps": (0, 200_000),
    "mmhg": (0, 400),
    "mmol/l": (0, 100),
    "°c": (25, 45),
    "%": (0, 100),
    "bpm": (0, 300),
    "slag/min": (0, 300),
}
ANY_NUMBER = (-1_000_000, 1_000_000)


def number_range(unit: str, low, high) -> tuple[float, float]:
    """The range a measurement accepts: the program's own bounds, otherwise
    those usual for its unit, otherwise ±1,000,000."""
    default_low, default_high = UNIT_RANGES.get(str(unit or "").strip().lower(), ANY_NUMBER)
    return (default_low if low is None else low, default_high if high is None else high)


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time typed in the browser's own picker (``datetime-local``),
    within the same years as :class:`BoundedDateField` (the past only by default)."""

    def __init__(self, *args, past_only: bool = True, **kwargs):
        kwargs.setdefault("widget", forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
        kwargs.setdefault("input_formats", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"])
        super().__init__(*args, **kwargs)
        self.past_only = past_only

    def validate(self, value):
        super().validate(value)
        if value:
            today = timezone.localdate()
            latest = today if self.past_only else years_from(today, YEARS_AHEAD)
            date_in_range(timezone.localtime(value).date(), earliest=EARLIEST, latest=latest)

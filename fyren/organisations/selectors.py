"""Reads of the organisations (no patient data)."""

from .models import CareUnit


def active_units():
    """The care units open today, with their region."""
    return CareUnit.objects.active_on().select_related("region")

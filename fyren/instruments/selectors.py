"""Reads of instruments (no patient data)."""

from .library import LIBRARY
from .models import Instrument


def all_definitions() -> list[dict]:
    """Every instrument's definition: the library's, then the region-built ones not shadowing a library code."""
    out: list[dict] = list(LIBRARY.values())
    seen = set(LIBRARY)
    for instrument in Instrument.objects.order_by("pk"):
        if instrument.code not in seen:
            seen.add(instrument.code)
            out.append(instrument.definition)
    return out


def instrument_codes() -> set[str]:
    return {str(code) for code in LIBRARY} | set(Instrument.objects.values_list("code", flat=True))


def codes_with_loinc(code: str) -> set[str]:
    """Instrument codes one of whose scores carries the LOINC ``code``."""
    codes = {c for c, d in LIBRARY.items() if code in ((d.get("scoring") or {}).get("loinc") or {}).values()}
    for instrument in Instrument.objects.only("code", "definition"):
        if code in ((instrument.definition.get("scoring") or {}).get("loinc") or {}).values():
            codes.add(instrument.code)
    return codes

"""Who sees what in reporting: a national analyst every region's aggregates; an
analyst (held at a unit) the aggregates of that unit's region; no one records."""

from __future__ import annotations

from fyren.accounts.permissions import regions_where, units_where
from fyren.accounts.roles import Role


def is_national(user) -> bool:
    return regions_where(user, Role.NATIONAL_ANALYST).exists()


def region_codes_for(user) -> set[str] | None:
    """The county codes whose figures ``user`` may see and import: None for a
    national analyst (all), else those of the regions where they are analyst
    (empty: not an analyst, or their region has no county code)."""
    if is_national(user):
        return None
    return {code for code in units_where(user, Role.ANALYST).values_list("region__county_code", flat=True) if code}


def is_analyst(user) -> bool:
    return is_national(user) or units_where(user, Role.ANALYST).exists()

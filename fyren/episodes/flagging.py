"""Lead-time flags: an episode whose pathway target is about to be missed (or is
missed) raises a flag of the existing kind at its unit, so absence routing and
acknowledgement work as for every flag. Run hourly by ``manage.py raise_flags``;
reaching the target's end point settles the flag."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fyren.flags.models import Flag
from fyren.flags.services import flag_raise

from .models import Episode
from .selectors import targets_for


def lead_time_flags_raise(*, today: dt.date | None = None) -> int:
    """Raise one flag per episode and target that is due soon or missed; return how many were new."""
    today = today or timezone.localdate()
    made = 0
    episodes = (
        Episode.objects.filter(
            status__in=(Episode.Status.REQUESTED, Episode.Status.OPEN), pathway__targets__isnull=False
        )
        .distinct()
        .select_related("citizen", "unit", "pathway")
        .prefetch_related("points", "pauses", "pathway__targets")
    )
    for episode in episodes:
        pathway = episode.pathway
        for target in targets_for(episode, today=today):
            if pathway is None or target.lead is None or target.state not in ("due_soon", "missed"):
                continue
            values = {
                "pathway": pathway.name,
                "a": target.from_point,
                "b": target.to_point,
                "days": target.target_days,
                "gone": target.lead.counted_days,
            }
            flag = flag_raise(
                kind=Flag.Kind.LEAD_TIME,
                citizen=episode.citizen,
                unit=episode.unit,
                message={
                    "sv": "{pathway}: {a}→{b} ska ske inom {days} dagar; {gone} dagar har gått.".format(**values),
                    "en": "{pathway}: {a}→{b} is due within {days} days; {gone} days have passed.".format(**values),
                },
                source_type="episode_target",
                source_id=f"{episode.pk}:{target.from_point}{target.to_point}",
            )
            made += flag.was_created
    return made

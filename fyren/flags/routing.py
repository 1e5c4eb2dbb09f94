"""Who a patient's flags and messages go to. They go to the enrolment's
responsible clinicians; when none of them is at work (absent, or none named),
they go to every present clinician and enrolment admin of the unit, so nothing
waits on someone who is away."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .models import Absence


def absences_on(unit, day: dt.date | None = None):
    day = day or timezone.localdate()
    return Absence.objects.filter(unit=unit, starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def is_absent(user, unit, day: dt.date | None = None) -> bool:
    return absences_on(unit, day).filter(user=user).exists()


def routed_filter(actor, unit, *, enrolment: str = "enrolment", assigned_field: str | None = None, day=None) -> Q:
    """A filter for objects pointing at an enrolment (``enrolment`` is the path to
    it; ``"self"`` filters enrolments themselves): the ones the actor should act on.
    Objects without an enrolment go to everyone. With ``assigned_field``, an object
    assigned to a present person goes to that person only. An absent actor gets nothing."""
    day = day or timezone.localdate()
    if is_absent(actor, unit, day):
        return Q(pk__in=[])
    absent = absences_on(unit, day).values("user_id")
    # Enrolments sit on a floor above flags: reached through the app registry, not an import.
    through = apps.get_model("care", "Enrolment").clinicians.through
    ref = OuterRef("pk" if enrolment == "self" else f"{enrolment}_id")
    present_responsible = Exists(through.objects.filter(enrolment_id=ref).exclude(user_id__in=absent))
    responsible = Exists(through.objects.filter(enrolment_id=ref, user_id=actor.pk))
    routed = Q(responsible) | ~Q(present_responsible)
    if enrolment != "self":
        routed |= Q(**{f"{enrolment}__isnull": True})
    if assigned_field is None:
        return routed
    assigned_present = Q(**{f"{assigned_field}__isnull": False}) & ~Q(**{f"{assigned_field}__in": absent})
    return Q(**{assigned_field: actor}) | (~assigned_present & routed)

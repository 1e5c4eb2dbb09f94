"""Reads of citizens for citizens: themselves, and those they may act for."""

import datetime as dt

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from fyren.lib.http import id_or_none
from fyren.lib.request_context import request_cache

from .models import GUARDIAN_AGE_LIMIT, Citizen, GuardianRelation, ProxyAuthorisation


def citizen_of_user(user) -> Citizen | None:
    """The logged-in citizen's record, read once per request (cached in the
    request's scope; outside a request it is read every time)."""
    if not getattr(user, "is_authenticated", False) or not user.is_citizen:
        return None
    cache = request_cache()
    key = ("citizen_of_user", user.pk)
    if cache is not None and key in cache:
        return cache[key]
    citizen = Citizen.objects.filter(user=user).first()
    if cache is not None:
        cache[key] = citizen
    return citizen


def _youngest_birth_date_excluded(day: dt.date) -> dt.date:
    """Children born after this date are under the guardian age limit on ``day``."""
    try:
        return day.replace(year=day.year - GUARDIAN_AGE_LIMIT)
    except ValueError:  # 29 February
        return day.replace(year=day.year - GUARDIAN_AGE_LIMIT, day=28)


def represented_ids(citizen: Citizen, *, day: dt.date | None = None) -> list[int]:
    """The ids of the citizens ``citizen`` may act for today (see
    ``citizens_represented_by``), in one query read once per request."""
    day = day or timezone.localdate()
    cache = request_cache()
    key = ("represented_ids", citizen.pk, day)
    if cache is not None and key in cache:
        return cache[key]
    # From the relations' indexed sides, not joins ORed over the whole citizen table
    # (which read every citizen in the country on every page); both sides in one query.
    children = (
        GuardianRelation.objects.filter(
            guardian=citizen, valid_from__lte=day, child__birth_date__gt=_youngest_birth_date_excluded(day)
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .values_list("child_id", flat=True)
    )
    principals = ProxyAuthorisation.objects.filter(proxy=citizen, valid_from__lte=day, valid_to__gte=day).values_list(
        "principal_id", flat=True
    )
    ids = sorted(set(children.union(principals, all=True)))
    if cache is not None:
        cache[key] = ids
    return ids


def citizens_represented_by(citizen: Citizen, *, day: dt.date | None = None):
    """Citizens that ``citizen`` may act for today: children under 13 through an
    active guardian relation, and principals through a valid proxy authorisation."""
    ids = represented_ids(citizen, day=day)
    return Citizen.objects.filter(pk__in=ids) if ids else Citizen.objects.none()


def citizens_of_user(user) -> list[Citizen]:
    """The logged-in citizen and those they may act for today (empty for staff)."""
    me = citizen_of_user(user)
    if me is None:
        return []
    return [me, *citizens_represented_by(me)]


def citizen_for_user_or_404(user, citizen_id) -> Citizen:
    """The citizen behind ``citizen_id`` if the logged-in citizen is that person or
    may act for them; otherwise 404, exactly as for a missing one."""
    me = citizen_of_user(user)
    if me is None:
        raise Http404
    if str(me.pk) == str(citizen_id):
        return me
    wanted = id_or_none(citizen_id)
    if wanted is None or wanted not in represented_ids(me):
        raise Http404
    other = Citizen.objects.filter(pk=wanted).first()
    if other is None:
        raise Http404
    return other


def citizen_user_language(user) -> str:
    """The page language a citizen user chose ("" when they have no citizen record)."""
    citizen = citizen_of_user(user)
    return citizen.preferred_language if citizen is not None else ""


def may_act_for(user, citizen) -> bool:
    """The user is the citizen themself, or a guardian or proxy who may act for them today."""
    me = citizen_of_user(user)
    if me is None:
        return False
    return me.pk == citizen.pk or citizen.pk in represented_ids(me)


def citizens_with_ids(ids):
    return Citizen.objects.filter(pk__in=ids)


def citizen_alone(citizen):
    """The citizen as a queryset (none when there is none)."""
    return Citizen.objects.filter(pk=getattr(citizen, "pk", 0))

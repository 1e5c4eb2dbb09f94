"""Reads of staff accounts (no patient data)."""

from .hooks import citizen_language
from .models import Licence, RoleAssignment, User


def remembered_language(user: User) -> str:
    """The page language a user chose before ("" when never)."""
    kept_elsewhere = citizen_language() if user.is_citizen else None
    if kept_elsewhere is not None:
        return kept_elsewhere[0](user)
    return user.language


def staff_at(unit_ids):
    """Active staff users holding an active role at one of the units."""
    holding = RoleAssignment.objects.active().filter(unit__in=unit_ids).values("user_id")
    return User.objects.filter(pk__in=holding, kind=User.Kind.STAFF, is_active=True)


def staff_by_hsa_id(hsa_id: str) -> User | None:
    """The active staff member with ``hsa_id`` (None for an empty or unknown one)."""
    if not hsa_id:
        return None
    return User.objects.filter(kind=User.Kind.STAFF, is_active=True, hsa_id=hsa_id).first()


def licence_in_force(user, day, professions=()) -> Licence | None:
    """``user``'s licence in force on ``day`` in one of ``professions`` (any licensed
    profession when none is named); None when there is none."""
    if user is None or not getattr(user, "pk", None):
        return None
    licences = Licence.objects.filter(user=user, issued_on__lte=day).exclude(revoked_on__lte=day)
    if professions:
        licences = licences.filter(profession__in=list(professions))
    return licences.order_by("profession").first()


def licences_at(unit) -> dict[int, list[Licence]]:
    """The licences of the staff holding a role at ``unit``, by user id."""
    holding = RoleAssignment.objects.active().filter(unit=unit).values("user_id")
    found: dict[int, list[Licence]] = {}
    for licence in Licence.objects.filter(user_id__in=holding).order_by("profession"):
        found.setdefault(licence.user_id, []).append(licence)
    return found


def licensed_as(user_ids, day) -> dict[int, str]:
    """Per user, the professions they are licensed in on ``day``, named for display
    ("Psychologist, Psychotherapist"); users without a licence in force are absent."""
    ids = [i for i in set(user_ids) if i]
    found: dict[int, list[str]] = {}
    if ids:
        licences = Licence.objects.filter(user_id__in=ids, issued_on__lte=day).exclude(revoked_on__lte=day)
        for licence in licences.order_by("profession"):
            found.setdefault(licence.user_id, []).append(str(licence.get_profession_display()))
    return {user_id: ", ".join(names) for user_id, names in found.items()}

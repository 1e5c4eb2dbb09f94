"""Reads of staff accounts (no patient data)."""

from .hooks import citizen_language
from .models import RoleAssignment, User


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

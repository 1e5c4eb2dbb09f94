"""Writes about staff accounts and roles. Each runs in one transaction with its
audit event."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.audit.services import audit_event_write
from fyren.lib.request_context import request_cache_clear
from fyren.organisations.models import CareUnit, Region

from .hooks import citizen_language
from .models import Licence, RoleAssignment, User
from .permissions import units_where_roles_are_managed_by
from .professions import Profession
from .roles import REGION_ROLES, Role


def staff_user_create(
    *,
    actor,
    username: str,
    given_name: str,
    family_name: str,
    hsa_id: str | None = None,
    title: str = "",
    email: str = "",
    password: str | None = None,
) -> User:
    """Create a staff login. With no password the user can log in only through the staff IdP."""
    with transaction.atomic():
        user = User(
            username=username,
            first_name=given_name,
            last_name=family_name,
            hsa_id=hsa_id or None,
            title=title,
            email=email,
            kind=User.Kind.STAFF,
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean()
        user.save()
        audit_event_write(
            actor=actor, action="staff_user.create", obj=user, data={"username": username, "hsa_id": hsa_id}
        )
    return user


def role_assign(*, actor, user: User, role: str, unit: CareUnit) -> RoleAssignment:
    """Give ``user`` a unit role. The actor must be access admin at the unit or
    care-provider admin of its region."""
    if role in REGION_ROLES or role not in Role.values:
        raise ValidationError(_("This role cannot be given at a care unit."))
    request_cache_clear()  # roles asked earlier in this request are no longer true
    if not user.is_staff_member:
        raise ValidationError(_("Roles can be given to staff members only."))
    with transaction.atomic():
        if not units_where_roles_are_managed_by(actor).filter(pk=unit.pk).exists():
            raise PermissionDenied
        if RoleAssignment.objects.filter(user=user, role=role, unit=unit, removed_at__isnull=True).exists():
            raise ValidationError(_("%(name)s already has this role at this unit.") % {"name": user.display_name})
        assignment = RoleAssignment.objects.create(user=user, role=role, unit=unit, granted_by=actor)
        audit_event_write(
            actor=actor,
            action="role.assign",
            obj=assignment,
            unit=unit,
            data={"user": user.username, "role": role, "unit": unit.hsa_id},
        )
    return assignment


def role_remove(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    request_cache_clear()  # roles asked earlier in this request are no longer true
    with transaction.atomic():
        assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        if (
            assignment.unit is None
            or not units_where_roles_are_managed_by(actor).filter(pk=assignment.unit_id).exists()
        ):
            raise PermissionDenied
        if assignment.removed_at is not None:
            return assignment
        assignment.removed_at = timezone.now()
        assignment.removed_by = actor
        assignment.save(update_fields=["removed_at", "removed_by"])
        audit_event_write(
            actor=actor,
            action="role.remove",
            obj=assignment,
            unit=assignment.unit,
            data={"user": assignment.user.username, "role": assignment.role, "unit": assignment.unit.hsa_id},
        )
    return assignment


def region_role_assign(*, actor, user: User, region: Region, role: str = Role.CARE_PROVIDER_ADMIN) -> RoleAssignment:
    """Make ``user`` care-provider admin (or national analyst) of ``region``. Only a
    superuser (system operator) or an existing care-provider admin of the region may do this."""
    if role not in REGION_ROLES:
        raise ValueError(f"{role} is not held for a region")
    with transaction.atomic():
        allowed = (
            actor is None
            or actor.is_superuser
            or RoleAssignment.objects.active().filter(user=actor, role=Role.CARE_PROVIDER_ADMIN, region=region).exists()
        )
        if not allowed:
            raise PermissionDenied
        assignment = RoleAssignment.objects.create(user=user, role=role, region=region, granted_by=actor)
        audit_event_write(
            actor=actor,
            action="role.assign",
            obj=assignment,
            data={"user": user.username, "role": role, "region": region.organisation_number},
        )
    return assignment


def totp_device_pending(*, user: User, device_id=None):
    """The unconfirmed authenticator (TOTP) device a staff member is setting up at
    first login: the one already shown to them, or a new one."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first() if device_id else None
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Fyren", confirmed=False)
    return device


def totp_device_confirm(*, user: User, device, token: str) -> bool:
    """Confirm the new device with a code from the app. Other unconfirmed devices
    go; the change is audited. Returns False (and changes nothing) for a wrong code."""
    with transaction.atomic():
        if not device.verify_token(token.strip()):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        type(device).objects.filter(user=user, confirmed=False).delete()
        audit_event_write(actor=user, action="totp.confirm", obj=device)
    return True


def language_choose(*, user: User, language: str) -> None:
    """Remember the page language a user chose, for their next login anywhere: a
    citizen's on the citizen (the notices use it too; ``accounts.hooks``), a staff
    member's on the user."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose one of the languages offered."))
    kept_elsewhere = citizen_language() if user.is_citizen else None
    if kept_elsewhere is not None:
        kept_elsewhere[1](user, language)
    elif user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language


def display_choose(*, user: User, text_size: str, contrast: str) -> None:
    """Remember how the user wants pages shown (larger text, high contrast)."""
    if text_size not in User.TextSize.values or contrast not in User.Contrast.values:
        raise ValidationError(_("Choose one of the settings offered."))
    User.objects.filter(pk=user.pk).update(text_size=text_size, contrast=contrast)
    user.text_size, user.contrast = text_size, contrast


def _licence_keeper(actor, unit: CareUnit, user: User) -> None:
    """An access admin (or the region's care-provider admin) keeps the licences of
    the staff who hold a role at their unit."""
    if not units_where_roles_are_managed_by(actor).filter(pk=unit.pk).exists():
        raise PermissionDenied
    if not RoleAssignment.objects.active().filter(user=user, unit=unit).exists():
        raise PermissionDenied


def licence_record(*, actor, unit: CareUnit, user: User, profession: str, number: str, issued_on) -> Licence:
    """Record ``user``'s licence in ``profession`` as the national register shows it
    (a new number or date replaces the old; a revoked licence recorded again is in
    force again)."""
    if profession not in Profession.values:
        raise ValidationError({"profession": _("Choose a licensed profession.")})
    if issued_on is None or issued_on > timezone.localdate() or issued_on.year < 1940:
        raise ValidationError({"issued_on": _("A licence is issued on a day that has come.")})
    with transaction.atomic():
        _licence_keeper(actor, unit, user)
        licence = Licence.objects.select_for_update().filter(user=user, profession=profession).first()
        licence = licence or Licence(user=user, profession=profession)
        licence.number = (number or "").strip()
        licence.issued_on = issued_on
        licence.revoked_on = None
        licence.recorded_by = actor
        licence.recorded_at = timezone.now()
        licence.full_clean()
        licence.save()
        audit_event_write(
            actor=actor,
            action="licence.record",
            obj=licence,
            unit=unit,
            data={"user": user.username, "profession": profession, "number": licence.number},
        )
    return licence


def licence_revoke(*, actor, unit: CareUnit, licence: Licence, revoked_on) -> Licence:
    """The register shows the licence revoked (or restricted) from ``revoked_on``:
    visits from that day no longer count as held by licensed staff."""
    with transaction.atomic():
        licence = Licence.objects.select_for_update().select_related("user").get(pk=licence.pk)
        _licence_keeper(actor, unit, licence.user)
        if revoked_on is None or revoked_on < licence.issued_on:
            raise ValidationError({"revoked_on": _("A licence is revoked on or after the day it was issued.")})
        licence.revoked_on = revoked_on
        licence.save(update_fields=["revoked_on"])
        audit_event_write(
            actor=actor,
            action="licence.revoke",
            obj=licence,
            unit=unit,
            data={"user": licence.user.username, "profession": licence.profession, "from": revoked_on.isoformat()},
        )
    return licence

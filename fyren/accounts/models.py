import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fyren.organisations.models import CareUnit, Region
from fyren.organisations.validators import validate_hsa_id

from .professions import Profession
from .roles import REGION_ROLES, Role


class User(AbstractUser):
    """A login. Citizens have a linked ``people.Citizen``; staff have roles."""

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Citizen")
        STAFF = "staff", _("Staff")

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STAFF)
    hsa_id = models.CharField(
        _("personal HSA-id"), max_length=31, unique=True, null=True, blank=True, validators=[validate_hsa_id]
    )
    title = models.CharField(_("professional title"), max_length=100, blank=True)
    # The page language a staff member chose (blank: not chosen); a citizen's is
    # Citizen.preferred_language, which the notices also use.
    language = models.CharField(_("language"), max_length=8, blank=True, choices=settings.LANGUAGES)

    class TextSize(models.TextChoices):
        NORMAL = "", _("Normal")
        LARGE = "large", _("Large")
        LARGER = "larger", _("Larger still")

    class Contrast(models.TextChoices):
        NORMAL = "", _("Normal")
        HIGH = "high", _("High contrast")

    # How pages are shown to this user (#19), remembered for every login.
    text_size = models.CharField(_("text size"), max_length=8, blank=True, choices=TextSize.choices)
    contrast = models.CharField(_("contrast"), max_length=8, blank=True, choices=Contrast.choices)

    @property
    def is_citizen(self) -> bool:
        return self.kind == self.Kind.CITIZEN

    @property
    def is_staff_member(self) -> bool:
        return self.kind == self.Kind.STAFF

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @staticmethod
    def new_citizen_username() -> str:
        return f"citizen-{uuid.uuid4().hex[:16]}"


# Sorted, so the constraint (and its migration) does not change from run to run.
REGION_ROLE_VALUES = sorted(str(r) for r in REGION_ROLES)


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self):
        """Assignments in force today: not removed, and the unit (if any) still valid."""
        today = timezone.localdate()
        return self.filter(removed_at__isnull=True).filter(
            Q(unit__isnull=True)
            | (Q(unit__valid_from__lte=today) & (Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gte=today)))
        )


class RoleAssignment(models.Model):
    """A staff member's role at a care unit (or, for care-provider admins, a region).

    Removing a role keeps the row (``removed_at``/``removed_by``) so the history of
    who could do what stays readable.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(CareUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="roles")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="roles")
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["granted_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role__in=REGION_ROLE_VALUES) & Q(region__isnull=False) & Q(unit__isnull=True))
                | (~Q(role__in=REGION_ROLE_VALUES) & Q(unit__isnull=False) & Q(region__isnull=True)),
                name="role_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=Q(removed_at__isnull=True, unit__isnull=False),
                name="unique_active_unit_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=Q(removed_at__isnull=True, region__isnull=False),
                name="unique_active_region_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} @ {self.unit or self.region}"


class Licence(models.Model):
    """A staff member's licence to practise (legitimation) in a profession, as
    the national register (HOSP) holds it: the profession, the licence number,
    when it was issued and, if it was revoked or restricted, from when. Kept by
    an access admin of a unit where the person works (``services.licence_record``)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="licences")
    profession = models.CharField(_("profession"), max_length=2, choices=Profession.choices)
    number = models.CharField(
        _("licence number"),
        max_length=12,
        validators=[RegexValidator(r"^[0-9]{6,10}$", _("A licence number is 6 to 10 digits."))],
    )
    issued_on = models.DateField(_("issued on"))
    revoked_on = models.DateField(_("revoked from"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["profession"]
        constraints = [models.UniqueConstraint(fields=["user", "profession"], name="one_licence_per_profession")]

    def __str__(self) -> str:
        return f"{self.get_profession_display()} {self.number}"

    def valid_on(self, day) -> bool:
        return self.issued_on <= day and (self.revoked_on is None or day < self.revoked_on)

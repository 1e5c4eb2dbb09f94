import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .identity import COORDINATION_NUMBER, PERSONAL_IDENTITY_NUMBER, age_on, formatted

GUARDIAN_AGE_LIMIT = 13  # a guardian acts for a child until the child turns 13


class Citizen(models.Model):
    """A citizen (*invånare*), identified by personnummer or samordningsnummer.

    ``identity_number`` is stored normalised as twelve digits; birth date and legal
    sex are derived from it when the citizen is created (see ``people.services``).
    """

    class Kind(models.TextChoices):
        PERSONAL = PERSONAL_IDENTITY_NUMBER, _("Personal identity number")
        COORDINATION = COORDINATION_NUMBER, _("Coordination number")

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    class Language(models.TextChoices):  # the page languages (settings.LANGUAGES)
        SWEDISH = "sv", _("Swedish")
        ENGLISH = "en", _("English")
        FINNISH = "fi", _("Finnish")
        ARABIC = "ar", _("Arabic")
        PERSIAN = "fa", _("Persian")
        SOMALI = "so", _("Somali")
        TIGRINYA = "ti", _("Tigrinya")
        UKRAINIAN = "uk", _("Ukrainian")

    identity_number = models.CharField(_("identity number"), max_length=12, unique=True)
    identity_kind = models.CharField(_("kind of number"), max_length=20, choices=Kind.choices)
    birth_date = models.DateField(_("date of birth"))
    legal_sex = models.CharField(_("legal sex"), max_length=1, choices=Sex.choices)
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    mobile = models.CharField(_("mobile number"), max_length=16, blank=True)
    notify_email = models.BooleanField(_("notify me by e-mail"), default=False)
    notify_sms = models.BooleanField(_("notify me by SMS"), default=False)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.SWEDISH
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="citizen"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the row last changed: set by a database trigger on every UPDATE, whoever writes
    # (api migration 0004). The FHIR server's meta.lastUpdated, _lastUpdated and _since.
    changed_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")
        constraints = [
            models.CheckConstraint(condition=Q(identity_number__regex=r"^\d{12}$"), name="citizen_identity_12_digits")
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def formatted_identity_number(self) -> str:
        return formatted(self.identity_number)

    def age_on(self, day: dt.date | None = None) -> int:
        return age_on(self.birth_date, day or timezone.localdate())


class GuardianRelation(models.Model):
    """A guardian (*vårdnadshavare*) who may act for a child until the child turns 13."""

    guardian = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="guardian_of")
    child = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="guardians")
    valid_from = models.DateField(default=dt.date.today)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["guardian", "child"], name="unique_guardian_child"),
            models.CheckConstraint(condition=~Q(guardian=models.F("child")), name="guardian_not_self"),
        ]

    def is_active_on(self, day: dt.date) -> bool:
        in_period = self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)
        return in_period and self.child.age_on(day) < GUARDIAN_AGE_LIMIT


class ProxyAuthorisation(models.Model):
    """A proxy (*ombud*) authorised by a principal for a period."""

    proxy = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="proxy_for")
    principal = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="proxies")
    valid_from = models.DateField()
    valid_to = models.DateField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gte=models.F("valid_from")), name="proxy_valid_period"),
            models.CheckConstraint(condition=~Q(proxy=models.F("principal")), name="proxy_not_self"),
        ]

    def is_active_on(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_to

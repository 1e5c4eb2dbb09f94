import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .counties import COUNTIES
from .validators import validate_hsa_id, validate_organisation_number


class Region(models.Model):
    """A care provider (*vårdgivare*), usually a region, that owns care units."""

    name = models.CharField(_("name"), max_length=200)
    organisation_number = models.CharField(
        _("organisation number"), max_length=11, unique=True, validators=[validate_organisation_number]
    )
    # The county code of a regional care provider (blank for others): its row in
    # the national follow-up, and the region of the treatments its units give.
    county_code = models.CharField(_("county code"), max_length=2, blank=True, choices=sorted(COUNTIES.items()))

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["county_code"], condition=~Q(county_code=""), name="one_region_per_county_code"
            )
        ]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class CareUnitQuerySet(models.QuerySet):
    def active_on(self, day: dt.date | None = None):
        day = day or timezone.localdate()
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class CareUnit(models.Model):
    """A care unit (*vårdenhet*) identified by its HSA-id. Staff act at a unit only
    while it is valid (between ``valid_from`` and ``valid_to``)."""

    class Provider(models.TextChoices):
        PUBLIC = "public", _("Public provider")
        PRIVATE = "private", _("Private provider")

    name = models.CharField(_("name"), max_length=200)
    hsa_id = models.CharField(_("HSA-id"), max_length=31, unique=True, validators=[validate_hsa_id])
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="units", verbose_name=_("region"))
    provider_type = models.CharField(
        _("provider type"), max_length=10, choices=Provider.choices, default=Provider.PUBLIC
    )
    valid_from = models.DateField(_("valid from"), default=dt.date.today)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # A message from a patient not handled within this time raises a flag.
    answer_within_hours = models.PositiveSmallIntegerField(_("answer messages within (hours)"), default=48)
    # Citizens may ask the unit to contact them ("Kontakta mig") without being in a program.
    accepts_contact_requests = models.BooleanField(_("accepts contact requests"), default=False)

    objects = CareUnitQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("care unit")
        verbose_name_plural = _("care units")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="care_unit_valid_period",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

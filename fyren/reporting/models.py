"""Follow-up and national reporting: treatment records (made by Fyren from
completed enrolments, or imported from a region's record systems), population
tables, every import, and every exported report (to tell what changed since)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fyren.organisations.counties import COUNTIES
from fyren.programs.models import TreatmentKind

USER = settings.AUTH_USER_MODEL
COUNTY_CHOICES = sorted(COUNTIES.items())
FYREN_SOURCE = "fyren"


class Provider(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")


class Sex(models.TextChoices):
    FEMALE = "F", _("Women")
    MALE = "M", _("Men")


class ImportRun(models.Model):
    """One import of a file: who, when, which file (SHA-256), how many rows, and
    what became of them. A file with errors stores nothing unless the valid rows
    were asked for (then the rejected rows are kept in a file of their own)."""

    class Kind(models.TextChoices):
        TREATMENTS = "treatments", _("Treatments")
        POPULATION = "population", _("Population")

    class Mode(models.TextChoices):
        ALL = "all", _("All rows or none")
        VALID = "valid", _("The valid rows; the rejected ones in a file")

    class Status(models.TextChoices):
        STORED = "stored", _("Stored")
        REFUSED = "refused", _("Refused (errors; nothing stored)")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.ALL)
    source = models.CharField(max_length=40, blank=True)  # treatments: whose record ids these are
    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    actor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # the first errors: {line, column, reason}
    rejected_rows = models.TextField(blank=True)  # CSV: the rejected rows with their line and reasons
    region_codes = models.JSONField(default=list, blank=True)  # the regions the file's rows are about

    class Meta:
        ordering = ["-started_at"]


class Treatment(models.Model):
    """A treatment in the national follow-up: of a region (county code) and
    optionally a unit, by kind, sex and age at start; counted in the year it was
    completed (or started, for years whose rule says so)."""

    source = models.CharField(max_length=40)
    record_id = models.CharField(max_length=64)
    region_code = models.CharField(max_length=2, choices=COUNTY_CHOICES)
    unit_hsa_id = models.CharField(max_length=31, blank=True)
    provider = models.CharField(max_length=7, choices=Provider.choices)
    kind = models.CharField(max_length=24, choices=TreatmentKind.choices)
    sex = models.CharField(max_length=1, choices=Sex.choices)
    age = models.PositiveSmallIntegerField()
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    sessions = models.PositiveSmallIntegerField(default=0)
    employer_contact_on = models.DateField(null=True, blank=True)
    employment_service_contact_on = models.DateField(null=True, blank=True)
    import_run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "record_id"], name="one_treatment_per_source_id")]
        indexes = [
            models.Index(fields=["completed_on"], name="treatment_completed"),
            models.Index(fields=["started_on"], name="treatment_started"),
            # Few treatments have contacts: partial indexes keep the contact counts cheap.
            models.Index(
                fields=["employer_contact_on"],
                condition=models.Q(employer_contact_on__isnull=False),
                name="treatment_employer_contact",
            ),
            models.Index(
                fields=["employment_service_contact_on"],
                condition=models.Q(employment_service_contact_on__isnull=False),
                name="treatment_employment_contact",
            ),
        ]


class Population(models.Model):
    """Inhabitants of a region by year, sex and single year of age (Statistics Sweden)."""

    year = models.PositiveSmallIntegerField()
    region_code = models.CharField(max_length=2, choices=COUNTY_CHOICES)
    sex = models.CharField(max_length=1, choices=Sex.choices)
    age = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField()
    import_run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "region_code", "sex", "age"], name="one_population_cell")
        ]


class ReportExport(models.Model):
    """A national report as it was exported: its settings and every figure, so a
    later run can say which figures changed since (corrections to a year)."""

    year = models.PositiveSmallIntegerField()
    settings = models.JSONField(default=dict)
    figures = models.JSONField(default=dict)  # "table|row|column" → value (hidden cells left out)
    exported_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    exported_at = models.DateTimeField(default=timezone.now)
    format = models.CharField(max_length=8)

    class Meta:
        ordering = ["-exported_at"]

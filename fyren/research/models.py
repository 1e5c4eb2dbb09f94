"""Research projects, the citizens' consent to them, and each pseudonymised
export delivered to a project (its files expire)."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


def _new_secret() -> str:
    return secrets.token_hex(32)


class Project(models.Model):
    """A research project a region's data administrator has approved: what it may
    receive (programs, instruments, period) and the key its pseudonyms are made with."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Registered, not yet approved")
        APPROVED = "approved", _("Approved")
        CLOSED = "closed", _("Closed")

    region = models.ForeignKey("organisations.Region", on_delete=models.PROTECT, related_name="research_projects")
    title = models.CharField(_("title"), max_length=300)
    ethics_number = models.CharField(_("ethics approval number (Dnr)"), max_length=50)
    ethics_date = models.DateField(_("ethics approval date"))
    principal_investigator = models.CharField(_("principal investigator"), max_length=200)
    organisation = models.CharField(_("research organisation"), max_length=200)
    programs = models.ManyToManyField("programs.Program", related_name="research_projects")
    instruments = models.JSONField(default=list, blank=True)  # instrument codes; empty: all the programs use
    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))
    k = models.PositiveSmallIntegerField(_("smallest group (k)"), default=5)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    secret = models.CharField(max_length=64, default=_new_secret, editable=False)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Consent(models.Model):
    """A citizen's consent to one project; a withdrawal keeps the row (and its time)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="consents")
    citizen = models.ForeignKey("people.Citizen", on_delete=models.PROTECT, related_name="research_consents")
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "citizen"], name="one_consent_per_project")]


class Export(models.Model):
    """One delivery: the files, the k-anonymity report, who made it and when it expires."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="exports")
    key = models.UUIDField(default=uuid.uuid4, unique=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    people = models.PositiveIntegerField(default=0)
    files = models.JSONField(default=list)  # [{"name", "rows", "bytes", "sha256"}]
    report = models.JSONField(default=dict)  # k, kept/dropped rows, suppressed groups
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

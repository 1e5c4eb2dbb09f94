"""API clients that act for a care unit rather than for a person, and bulk
exports of a unit's data."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UnitClient(models.Model):
    """A record system's OAuth client (client credentials) bound to one care unit:
    its tokens read that unit's patients with ``system/…`` scopes, and the access
    log names the client."""

    application = models.OneToOneField(
        "oauth2_provider.Application", on_delete=models.CASCADE, related_name="unit_binding"
    )
    unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # SMART Backend Services: the client's public keys, by value (a JWK Set) or by address, for
    # private_key_jwt (fyren/api/client_auth.py). Empty both: the client secret only.
    jwks = models.JSONField(default=dict, blank=True, help_text=_("The client's public keys as a JWK Set."))
    jwks_url = models.URLField(blank=True, help_text=_("Where the client publishes its JWK Set (https)."))

    class Meta:
        verbose_name = _("unit client")
        verbose_name_plural = _("unit clients")

    def __str__(self) -> str:
        return f"{self.application} → {self.unit}"


class UsedAssertion(models.Model):
    """A client assertion's ``jti`` seen at the token endpoint, kept until the
    assertion expires: the same assertion twice is refused (RFC 7523, SMART)."""

    application = models.ForeignKey("oauth2_provider.Application", on_delete=models.CASCADE, related_name="+")
    jti = models.CharField(max_length=255)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "jti"], name="api_usedassertion_once")]


class BulkExport(models.Model):
    """A FHIR bulk ``$export`` of one unit, built by the worker into NDJSON files
    that expire."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    key = models.UUIDField(default=uuid.uuid4, unique=True)
    application = models.ForeignKey("oauth2_provider.Application", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="+")

    class Level(models.TextChoices):
        SYSTEM = "system", _("Everything of the unit")
        PATIENT = "patient", _("The unit's patients")
        GROUP = "group", _("A group of the unit's patients")

    types = models.JSONField(default=list)
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.SYSTEM)
    group = models.CharField(max_length=100, blank=True)  # a Group id (fhir_types/group.py) at the group level
    type_filters = models.JSONField(default=dict)  # type → [search parameters], OR between them (_typeFilter)
    since = models.DateTimeField(null=True, blank=True)
    request_url = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    files = models.JSONField(default=list)  # [{"type", "name", "count"}]
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

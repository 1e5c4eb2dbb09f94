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


class Subscription(models.Model):
    """A record system's topic-based subscription (FHIR R4 Subscriptions backport,
    rest-hook): the events of one topic at its client's unit are POSTed to its
    endpoint as history Bundles, numbered, at least once (``subscriptions.py``)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested (waiting for the handshake)")
        ACTIVE = "active", _("Active")
        ERROR = "error", _("Error (the client must ask for it again)")
        OFF = "off", _("Off")

    class Content(models.TextChoices):
        EMPTY = "empty", _("Empty")
        ID_ONLY = "id-only", _("Ids only")
        FULL = "full-resource", _("Full resources")

    key = models.UUIDField(default=uuid.uuid4, unique=True)  # the FHIR id
    application = models.ForeignKey("oauth2_provider.Application", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(max_length=60)  # a name in subscriptions.TOPICS
    patient = models.ForeignKey(  # the backport filter ``patient=Patient/<id>``; none: every patient of the unit
        "people.Citizen", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    endpoint = models.URLField(max_length=500)
    headers = models.JSONField(default=list)  # "Name: value" strings sent with every POST
    content = models.CharField(max_length=15, choices=Content.choices, default=Content.ID_ONLY)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    reason = models.CharField(max_length=300, blank=True)
    error = models.CharField(max_length=300, blank=True)  # why it is in error (shown in $status)
    heartbeat_period = models.PositiveIntegerField(null=True, blank=True)  # seconds
    timeout = models.PositiveSmallIntegerField(default=10)  # seconds for one POST
    max_count = models.PositiveSmallIntegerField(default=20)  # events in one notification at the most
    end = models.DateTimeField(null=True, blank=True)
    events_count = models.PositiveBigIntegerField(default=0)  # eventsSinceSubscriptionStart
    failures = models.PositiveSmallIntegerField(default=0)  # POSTs failed in a row
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sending_since = models.DateTimeField(null=True, blank=True)  # a worker holds it (committed before the POST)
    last_sent_at = models.DateTimeField(null=True, blank=True)  # the endpoint last answered 2xx
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["unit", "topic", "status"])]

    def __str__(self) -> str:
        return f"{self.topic} → {self.endpoint}"


class SubscriptionEvent(models.Model):
    """One event of a subscription's topic, numbered in the subscription (the
    outbox): written in the transaction of the change it reports, delivered by
    the worker, kept for ``$events`` until it expires."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="events")
    number = models.PositiveBigIntegerField()
    focus_type = models.CharField(max_length=40)
    focus_id = models.CharField(max_length=64)
    citizen_id = models.BigIntegerField(null=True)  # whose data the focus is (the access log at delivery)
    occurred_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)  # the endpoint answered 2xx for it
    deliveries = models.PositiveSmallIntegerField(default=0)  # times it was POSTed (more than 1: maybe a duplicate)
    answer = models.CharField(max_length=80, blank=True)  # the endpoint's answer when it took it ("200 OK")

    class Meta:
        ordering = ["subscription", "number"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "number"], name="api_subscription_event_number"),
            # One event per subscription and focus: a change saved twice is reported once.
            models.UniqueConstraint(
                fields=["subscription", "focus_type", "focus_id"], name="api_subscription_event_once"
            ),
        ]
        indexes = [models.Index(fields=["subscription", "delivered_at", "number"])]


class LaunchingRecordSystem(models.Model):
    """A record system that may open Fyren in its own context (SMART App Launch
    2, EHR launch): Fyren is a SMART app in its list, and the record system is
    its authorisation server and FHIR server. An operator registers it here with
    the client id the record system gave Fyren (fyren/api/ehr_launch.py,
    docs/api.md)."""

    class ClientAuth(models.TextChoices):
        PUBLIC = "none", _("Public client (PKCE only)")
        PRIVATE_KEY_JWT = "private_key_jwt", _("Fyren's own key (private_key_jwt, Fyren's JWK Set)")

    name = models.CharField(_("name"), max_length=120)
    issuer = models.URLField(
        _("FHIR base address (iss)"), unique=True, help_text=_("The address the record system sends as iss.")
    )
    client_id = models.CharField(_("Fyren's client id there"), max_length=255)
    client_auth = models.CharField(
        _("client authentication"), max_length=20, choices=ClientAuth.choices, default=ClientAuth.PUBLIC
    )
    units = models.ManyToManyField(
        "organisations.CareUnit",
        related_name="+",
        verbose_name=_("units"),
        help_text=_("The units whose staff the record system opens Fyren for."),
    )
    trusted_identity = models.BooleanField(
        _("trust its identity of the clinician"),
        default=False,
        help_text=_(
            "Log the clinician in from the record system's ID token (fhirUser's HSA-id) without Fyren's own "
            "login and second factor. Only for a record system whose own login has two factors (SITHS)."
        ),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("launching record system")
        verbose_name_plural = _("launching record systems")

    def __str__(self) -> str:
        return self.name

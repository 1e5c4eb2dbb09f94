from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an access-log entry."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The access log is append-only.")

    def delete(self):
        raise AppendOnlyError("The access log is append-only.")


class AccessLogEntry(models.Model):
    """One access to a citizen's data (Patientdatalagen, HSLF-FS 2016:40).

    Written in the same transaction as the work it records. Entries are never
    changed or deleted: the model refuses, PostgreSQL refuses by trigger, and each
    entry carries a SHA-256 hash chained to the previous entry of its chain so
    that ``manage.py verify_access_log`` finds any tampering. There is one chain
    per care unit (``chain`` is the unit's id; 0 for entries without a unit and
    for every entry written before the chains were split), so writers at
    different units never wait for each other; ``seq`` counts within the chain. Labels (names, HSA-ids,
    identity numbers) are copied in so the entry outlives the rows it names.
    """

    class Action(models.TextChoices):
        READ = "read", _("Read")
        CREATE = "create", _("Create")
        CHANGE = "change", _("Change")
        PRINT = "print", _("Print")
        EXPORT = "export", _("Export")
        DISCLOSE = "disclose", _("Disclose")

    chain = models.BigIntegerField(default=0)
    seq = models.BigIntegerField()
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    actor_label = models.CharField(max_length=200)
    role = models.CharField(max_length=30, blank=True)
    unit = models.ForeignKey(
        "organisations.CareUnit", null=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    unit_label = models.CharField(max_length=250, blank=True)
    citizen = models.ForeignKey(
        "people.Citizen", null=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    citizen_identity = models.CharField(max_length=12, db_index=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=50, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    outside_care_relation = models.BooleanField(default=False)
    emergency = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["chain", "seq"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="one_entry_per_place_in_its_chain")]
        indexes = [
            models.Index(fields=["citizen", "at"]),
            models.Index(fields=["actor", "at"]),
            models.Index(fields=["unit", "at"]),
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The access log is append-only.")


class AccessLogHead(models.Model):
    """The end of one hash chain (one per care unit); locked while appending so
    that concurrent writers at the same unit form one chain on PostgreSQL."""

    chain = models.BigIntegerField(unique=True, default=0)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)


class AuditEvent(models.Model):
    """An administrative change (roles, units, care relations, contact details),
    with old and new value, kept after the actor is gone."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=50)
    unit = models.ForeignKey(
        "organisations.CareUnit", null=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    data = models.JSONField(default=dict)
    request_id = models.CharField(max_length=64, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events are append-only.")

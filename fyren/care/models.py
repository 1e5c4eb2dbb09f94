from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CareRelationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class CareRelation(models.Model):
    """A care relation (*vårdrelation*) between a citizen and a care unit.

    Clinicians at the unit may see the citizen's data only while a relation is
    active. Enrolments (a later part) open and close relations through services.
    """

    citizen = models.ForeignKey("people.Citizen", on_delete=models.PROTECT, related_name="care_relations")
    unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="care_relations")
    started_at = models.DateTimeField(default=timezone.now)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("reason for contact"), max_length=200, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CareRelationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["citizen", "unit"], condition=Q(ended_at__isnull=True), name="one_active_relation_per_unit"
            )
        ]


class EmergencyAccess(models.Model):
    """Emergency access (*nödåtkomst*): a clinician reads a citizen's data without a
    care relation, for a stated reason, for a limited time. Every use is flagged
    in the access log for review."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="+")
    citizen = models.ForeignKey("people.Citizen", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["actor", "unit", "citizen", "expires_at"])]


class Enrolment(models.Model):
    """Enrolment — *ärende* in SoB: a citizen working through one program version
    at a care unit, followed by one or more responsible clinicians."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACTIVE = "active", _("Active")
        MAINTENANCE = "maintenance", _("Maintenance phase")
        COMPLETED = "completed", _("Completed")
        DISCONTINUED = "discontinued", _("Discontinued")
        HANDED_OVER = "handed_over", _("Handed over")

    class StartKind(models.TextChoices):
        CLINICIAN = "clinician", _("Started by care staff")
        SELF = "self", _("Self-enrolment")

    OPEN_STATUSES = (Status.OFFERED, Status.ACTIVE, Status.MAINTENANCE)

    citizen = models.ForeignKey("people.Citizen", on_delete=models.PROTECT, related_name="enrolments")
    program_version = models.ForeignKey("programs.ProgramVersion", on_delete=models.PROTECT, related_name="enrolments")
    unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="enrolments")
    clinicians = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="enrolments")
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.ACTIVE)
    start_kind = models.CharField(max_length=10, choices=StartKind.choices, default=StartKind.CLINICIAN)
    started_at = models.DateTimeField(default=timezone.now)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)
    # The assessment recorded before a clinician starts a program: indication,
    # why this program, and that risk was considered (with a note).
    assessment = models.JSONField(default=dict, blank=True)
    # When the citizen's own work was removed under the retention rule (``apply_retention``).
    purged_at = models.DateTimeField(null=True, blank=True)
    # A self-enrolment left for the enrolment admin to assign: the day by which
    # the unit promised to name a responsible clinician (told to the citizen).
    responsible_due_on = models.DateField(null=True, blank=True)
    # The language the citizen chose to follow the program in (one of the version's); blank: the page's.
    language = models.CharField(max_length=16, blank=True)
    # Kept by the services that change what they summarise (``care.summary``), so
    # that the unit's dashboard filters, sorts and pages in the database: the latest
    # thing done from the citizen's side (or the start), the open and the urgent
    # open flags, the citizen's unread messages, and the current module (the first
    # not done, in order) of how many. ``summary_refresh`` recomputes them.
    last_activity_at = models.DateTimeField(null=True, blank=True)
    open_flags = models.PositiveIntegerField(default=0)
    urgent_flags = models.PositiveIntegerField(default=0)
    unread_messages = models.PositiveIntegerField(default=0)
    module_number = models.PositiveSmallIntegerField(default=0)
    module_count = models.PositiveSmallIntegerField(default=0)
    # When the row last changed: set by a database trigger on every UPDATE, whoever writes
    # (api migration 0004). The FHIR server's meta.lastUpdated, _lastUpdated and _since.
    changed_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["citizen", "status"]),
            models.Index(fields=["unit", "status", "last_activity_at"], name="care_enrol_unit_activity"),
            models.Index(fields=["unit", "status", "program_version"], name="care_enrol_unit_version"),
        ]

    def save(self, *args, **kwargs):
        if self._state.adding and self.last_activity_at is None:
            self.last_activity_at = self.started_at
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ModuleProgress(models.Model):
    """A module's state in one enrolment: opened (by the rule or the clinician) and done."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="module_progress")
    module_key = models.UUIDField()
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by_clinician = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "module_key"], name="one_progress_per_module")]


class ElementAnswer(models.Model):
    """The citizen's work on one element: an exercise or worksheet (a draft until
    sent for feedback), a checklist's ticks, or a measurement."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent for feedback")
        SAVED = "saved", _("Saved")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="element_answers")
    element_key = models.UUIDField()
    value = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    feedback = models.TextField(blank=True)
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    feedback_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=16, blank=True)  # the program's language the answer was written in

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "element_key"], name="one_answer_per_element")]


class DiaryEntry(models.Model):
    """One entry in a diary/registration element (e.g. one night in a sleep diary).
    ``client_token`` makes adding idempotent."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="diary_entries")
    element_key = models.UUIDField()
    day = models.DateField()
    values = models.JSONField(default=dict)
    client_token = models.UUIDField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    language = models.CharField(max_length=16, blank=True)  # the program's language the entry was written in

    class Meta:
        ordering = ["-day", "-created_at"]
        indexes = [models.Index(fields=["enrolment", "element_key", "day"])]


class SelfEnrolmentPolicy(models.Model):
    """How a unit names the responsible clinician when a citizen starts a
    program on their own: always one named clinician, in turn among the unit's
    clinicians, or the enrolment admin names one within a number of working
    days (a flag for the unit until done). A unit without a policy row uses the
    last rule with two working days."""

    class Rule(models.TextChoices):
        NAMED = "named", _("Always the same named clinician")
        ROUND_ROBIN = "round_robin", _("In turn among the unit's clinicians")
        ADMIN = "admin", _("The enrolment admin names one")

    unit = models.OneToOneField(
        "organisations.CareUnit", on_delete=models.CASCADE, related_name="self_enrolment_policy"
    )
    rule = models.CharField(_("rule"), max_length=12, choices=Rule.choices, default=Rule.ADMIN)
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    admin_days = models.PositiveSmallIntegerField(_("working days to name a clinician"), default=2)
    # The clinician given the last self-enrolment in turn (round robin).
    last_assigned = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)


class HiddenContent(models.Model):
    """A module or section the clinician has hidden for this patient."""

    enrolment = models.ForeignKey("care.Enrolment", on_delete=models.CASCADE, related_name="hidden_content")
    key = models.UUIDField()  # the module's or section's stable key
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    hidden_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "clinic_hiddencontent"  # made by the workspace, which writes it; the plan reads it
        constraints = [models.UniqueConstraint(fields=["enrolment", "key"], name="hide_once")]


class ClinicianNote(models.Model):
    """A clinician's working note on an enrolment (not the medical record)."""

    enrolment = models.ForeignKey("care.Enrolment", on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "clinic_cliniciannote"  # made when notes were part of the clinician workspace
        ordering = ["-created_at"]


class Handover(models.Model):
    """An enrolment handed over to another unit. Nothing moves until a clinician or
    enrolment admin there accepts; then the enrolment, its messages and the
    access move with it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the receiving unit")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    enrolment = models.ForeignKey("care.Enrolment", on_delete=models.PROTECT, related_name="handovers")
    from_unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="incoming_handovers")
    reason = models.TextField(_("reason and summary for the receiving unit"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "clinic_handover"  # made when handovers were part of the clinician workspace
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"], condition=models.Q(status="pending"), name="one_pending_handover"
            )
        ]

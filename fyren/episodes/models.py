"""Care episodes and the flow model of the standardised care pathways: the
measurement points A–G, patient-chosen waits and medical pauses, pathways with
their target lead times and yearly code tables, and care requests between units."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Point(models.TextChoices):
    """The flow model's measurement points (*mätpunkter*), in their order."""

    A = "A", _("A · Decision to make a care request")
    B = "B", _("B · Care request received")
    C = "C", _("C · Position taken on the care request")
    D = "D", _("D · Decision to carry out an activity")
    E = "E", _("E · Activity started")
    F = "F", _("F · Decision to end")
    G = "G", _("G · Ended")


POINTS = [p.value for p in Point]


class Pathway(models.Model):
    """A standardised care pathway (*standardiserat vårdförlopp*, SVF) as a region
    runs it: its area, the lead times it aims at and the codes it reports."""

    class Area(models.TextChoices):
        DEPRESSION = "depression", _("Depression")
        ANXIETY = "anxiety", _("Anxiety")
        STRESS = "stress", _("Stress-related illness")
        PAIN = "pain", _("Long-term pain")
        DIABETES = "diabetes", _("Diabetes")
        COPD = "copd", _("COPD")
        ASTHMA = "asthma", _("Asthma")
        HEART = "heart", _("Heart and vascular disease")
        RHEUMATIC = "rheumatic", _("Rheumatic disease")
        CANCER = "cancer", _("Cancer")
        OTHER = "other", _("Other")

    region = models.ForeignKey("organisations.Region", on_delete=models.PROTECT, related_name="pathways")
    name = models.CharField(_("name"), max_length=200)
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="one_pathway_name_per_region")]

    def __str__(self) -> str:
        return self.name


class PathwayTarget(models.Model):
    """A target lead time between two points, in calendar days (B→C within 3)."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="targets")
    from_point = models.CharField(_("from"), max_length=1, choices=Point.choices)
    to_point = models.CharField(_("to"), max_length=1, choices=Point.choices)
    days = models.PositiveSmallIntegerField(_("within (days)"))
    # The flag goes up this many days before the target is missed.
    warn_days_before = models.PositiveSmallIntegerField(_("warn (days before)"), default=1)

    class Meta:
        ordering = ["from_point", "to_point"]
        constraints = [
            models.UniqueConstraint(fields=["pathway", "from_point", "to_point"], name="one_target_per_pair"),
            models.CheckConstraint(condition=Q(from_point__lt=F("to_point")), name="target_points_in_order"),
        ]


class PathwayCode(models.Model):
    """The code a point is reported with in one year (KVÅ lists change yearly)."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="codes")
    year = models.PositiveSmallIntegerField(_("year"))
    point = models.CharField(_("point"), max_length=1, choices=Point.choices)
    code = models.CharField(_("code"), max_length=20)

    class Meta:
        ordering = ["-year", "point"]
        constraints = [models.UniqueConstraint(fields=["pathway", "year", "point"], name="one_code_per_point_and_year")]


class Episode(models.Model):
    """A care episode (*vårdåtagande*): a unit's commitment to a citizen, from the
    care request (or wherever it starts) to its end, measured by points A–G."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Care request waiting")
        OPEN = "open", _("Open")
        DECLINED = "declined", _("Request declined")
        ENDED = "ended", _("Ended")

    CLOSED = (Status.DECLINED, Status.ENDED)

    citizen = models.ForeignKey("people.Citizen", on_delete=models.PROTECT, related_name="episodes")
    unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="episodes")
    pathway = models.ForeignKey(
        Pathway, null=True, blank=True, on_delete=models.PROTECT, related_name="episodes", verbose_name=_("pathway")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    # When the row last changed: set by a database trigger on every UPDATE, whoever writes
    # (api migration 0004). The FHIR server's meta.lastUpdated, _lastUpdated and _since.
    changed_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["unit", "status"]), models.Index(fields=["citizen", "status"])]

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED


class EpisodePoint(models.Model):
    """One measurement point of an episode: when, who, and where it came from.
    A correction changes ``at`` and keeps the old value in ``corrections``."""

    class Source(models.TextChoices):
        STAFF = "staff", _("Entered by staff")
        REFERRAL_SENT = "referral_sent", _("Care request sent")
        REFERRAL_RECEIVED = "referral_received", _("Care request received")
        REFERRAL_DECIDED = "referral_decided", _("Care request decided")
        SELF_ENROLMENT = "self_enrolment", _("Self-enrolment request")
        ASSESSMENT = "assessment", _("Assessment")
        ENROLMENT_STARTED = "enrolment_started", _("Program started")
        END_DECIDED = "end_decided", _("End decided")
        ENROLMENT_ENDED = "enrolment_ended", _("Program ended")

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="points")
    point = models.CharField(max_length=1, choices=Point.choices)
    at = models.DateTimeField()
    unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.STAFF)
    source_id = models.CharField(max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["point"]
        constraints = [models.UniqueConstraint(fields=["episode", "point"], name="one_value_per_point")]


class EpisodePointCorrection(models.Model):
    """The value a point had before a correction, who changed it and why."""

    point = models.ForeignKey(EpisodePoint, on_delete=models.CASCADE, related_name="corrections")
    old_at = models.DateTimeField()
    new_at = models.DateTimeField()
    reason = models.CharField(max_length=300)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    corrected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["corrected_at"]


class EpisodePause(models.Model):
    """A wait the patient chose (*patientvald väntan*) or a medically motivated
    pause: counted apart from the unit's lead times."""

    class Kind(models.TextChoices):
        PATIENT = "patient", _("Wait chosen by the patient")
        MEDICAL = "medical", _("Medically motivated pause")

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="pause_ends_after_start"
            )
        ]


class CareRequest(models.Model):
    """A care request (*vårdbegäran*) from a clinician at one unit to another unit.
    Sending records A (at the sender) and B (on arrival); the receiver's position
    is C. Accepting opens the episode and the care relation there."""

    class Status(models.TextChoices):
        SENT = "sent", _("Waiting for a position")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    citizen = models.ForeignKey("people.Citizen", on_delete=models.PROTECT, related_name="care_requests")
    from_unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="care_requests")
    pathway = models.ForeignKey(Pathway, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("what the request is about"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    decided_to_send_at = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="care_request")
    client_token = models.UUIDField(unique=True)
    # When the row last changed: set by a database trigger on every UPDATE, whoever writes
    # (api migration 0004). The FHIR server's meta.lastUpdated, _lastUpdated and _since.
    changed_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)

    class Meta:
        ordering = ["sent_at"]
        indexes = [models.Index(fields=["to_unit", "status"]), models.Index(fields=["from_unit", "sent_at"])]

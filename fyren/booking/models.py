"""Booking: what a unit publishes (schedules, weekly templates, one-off times,
blocked periods), and the bookings on its times — offered ("a time in hand"),
agreed, rebooked in a kept chain, cancelled — with no time ever booked twice."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class VisitKind(models.TextChoices):
    AT_UNIT = "at_unit", _("At the unit")
    VIDEO = "video", _("Video")
    PHONE = "phone", _("Phone")


class Audience(models.TextChoices):
    """Who may take a time."""

    STAFF = "staff", _("Booked by staff only")
    OFFERED = "offered", _("Offered by staff to a citizen")
    PROGRAM = "program", _("Citizens in a given program")
    LISTED = "listed", _("Any patient of the unit (web booking)")


class Schedule(models.Model):
    """What times are booked with: a clinician, any clinician with a given role
    title at the unit (e.g. any psychologist), or a room."""

    class Kind(models.TextChoices):
        CLINICIAN = "clinician", _("A clinician")
        ROLE = "role", _("Any clinician with a title")
        ROOM = "room", _("A room")

    unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="schedules")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    clinician = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="schedules")
    title = models.CharField(_("name"), max_length=200)  # "Anna Lind", "Psykolog", "Rum 3"
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # When the row last changed: set by a database trigger on every UPDATE, whoever writes
    # (api migration 0004). The FHIR server's meta.lastUpdated, _lastUpdated and _since.
    changed_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="clinician", clinician__isnull=False)
                | (~Q(kind="clinician") & Q(clinician__isnull=True)),
                name="schedule_clinician_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return self.title


class WeeklyTemplate(models.Model):
    """Times repeated every week on one weekday, from ``starts`` to ``ends`` in
    slots of ``minutes``, between two dates; publishing makes the slots."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="templates")
    weekday = models.PositiveSmallIntegerField(_("weekday"))  # 0 = Monday
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    minutes = models.PositiveSmallIntegerField(_("length (minutes)"))
    visit_kind = models.CharField(_("visit kind"), max_length=10, choices=VisitKind.choices)
    reasons = models.JSONField(default=list, blank=True)  # booking reasons (free text, shown to staff)
    audience = models.CharField(_("who may book"), max_length=10, choices=Audience.choices)
    program = models.ForeignKey("programs.Program", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("first day"))
    valid_to = models.DateField(_("last day"))
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="template_weekday_0_to_6"),
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="template_ends_after_start"),
            models.CheckConstraint(condition=Q(valid_to__gte=F("valid_from")), name="template_period_in_order"),
            models.CheckConstraint(condition=Q(minutes__gte=5), name="template_slot_at_least_5_minutes"),
        ]


class Slot(models.Model):
    """One bookable time. Made by publishing a template, or one-off. A blocked
    slot (absence, a blocked period) cannot be booked."""

    schedule = models.ForeignKey(Schedule, on_delete=models.PROTECT, related_name="slots")
    template = models.ForeignKey(WeeklyTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    visit_kind = models.CharField(max_length=10, choices=VisitKind.choices)
    reasons = models.JSONField(default=list, blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    program = models.ForeignKey("programs.Program", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    blocked = models.BooleanField(default=False)
    blocked_reason = models.CharField(max_length=200, blank=True)
    # When the row last changed: set by a database trigger on every UPDATE, whoever writes
    # (api migration 0004). The FHIR server's meta.lastUpdated, _lastUpdated and _since.
    changed_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    booking: "Booking | None"  # set by ``selectors.unit_calendar``: the booking holding it

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["schedule", "starts_at"])]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "starts_at"], name="one_slot_per_schedule_and_time"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"),
        ]


class Booking(models.Model):
    """A citizen's time. Offered by staff (a time in hand), agreed (booked),
    declined, cancelled, or replaced by a rebooking (``replaces`` keeps the
    chain, and ``waiting_since`` the start of the wait across it)."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        BOOKED = "booked", _("Booked")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        REPLACED = "replaced", _("Rebooked")
        ARRIVED = "arrived", _("Checked in")
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("Did not come")

    # A slot is taken while a booking in one of these holds it.
    HOLDING = (Status.OFFERED, Status.BOOKED, Status.ARRIVED, Status.HELD, Status.NO_SHOW)
    CURRENT = (Status.OFFERED, Status.BOOKED, Status.ARRIVED)

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    citizen = models.ForeignKey("people.Citizen", on_delete=models.PROTECT, related_name="bookings")
    unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="bookings")
    status = models.CharField(max_length=10, choices=Status.choices)
    reason = models.CharField(_("reason for the visit"), max_length=200, blank=True)
    # Offers made together: the citizen takes one of them, the others are freed.
    offer_group = models.UUIDField(null=True, blank=True, db_index=True)
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by")
    waiting_since = models.DateTimeField()  # when the wait for this visit began (kept across rebookings)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)  # declined, cancelled or replaced
    ended_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    end_reason = models.CharField(max_length=300, blank=True)
    # The patient chose not to take this time (declined, or rebooked it away).
    patient_choice = models.BooleanField(default=False)
    client_token = models.UUIDField(null=True, blank=True, unique=True)
    # Video visits: the room at the external video service (unguessable, one per visit).
    video_room = models.CharField(max_length=64, blank=True)
    # The virtual waiting room: checked in, admitted, told of a delay.
    checked_in_at = models.DateTimeField(null=True, blank=True)
    admitted_at = models.DateTimeField(null=True, blank=True)
    admitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Who held the visit (the schedule's clinician, or whoever marked it held): whether it
    # counts as the care guarantee's medical assessment depends on their licence.
    held_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Booked by staff of another unit under a booking agreement (the advice line, a referring unit).
    booked_by_unit = models.ForeignKey(
        "organisations.CareUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    late_notice_at = models.DateTimeField(null=True, blank=True)
    # When the row last changed: set by a database trigger on every UPDATE, whoever writes
    # (api migration 0004). The FHIR server's meta.lastUpdated, _lastUpdated and _since.
    changed_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    position: "int | None"  # set by ``selectors.waiting_room``: the place in today's queue

    class Meta:
        ordering = ["slot__starts_at"]
        indexes = [models.Index(fields=["citizen", "status"]), models.Index(fields=["unit", "status"])]
        constraints = [
            # No double booking: one holding booking per slot, enforced by the database.
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status__in=["offered", "booked", "arrived", "held", "no_show"]),
                name="one_holding_booking_per_slot",
            )
        ]

    @property
    def is_current(self) -> bool:
        return self.status in self.CURRENT


GUARANTEE_LEVELS = [
    ("primary", _("Primary care (contact the same day, assessment within 3 days)")),
    ("specialist", _("Specialist care (first visit and treatment within 90 days)")),
]


class BookingAgreement(models.Model):
    """A unit lets another unit's staff book its patients' visits into one of its
    schedules (e.g. the regional advice line or a referring unit into a health
    centre's times). Kept until ended; the granting unit's enrolment admin decides."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="agreements")
    booking_unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "booking_unit"], condition=Q(ended_at__isnull=True), name="one_live_agreement"
            )
        ]


class UnitBookingRules(models.Model):
    """How late a citizen may rebook or cancel, and how early reminders go."""

    unit = models.OneToOneField("organisations.CareUnit", on_delete=models.CASCADE, related_name="booking_rules")
    change_until_hours = models.PositiveSmallIntegerField(
        _("citizens may rebook or cancel until (hours before)"), default=24
    )
    remind_hours = models.PositiveSmallIntegerField(_("reminder (hours before)"), default=24)
    # A citizen moving a visit keeps its kind (video stays video) unless the unit allows a change.
    citizen_may_change_visit_kind = models.BooleanField(
        _("citizens moving a visit may choose another kind (video, phone, at the unit)"), default=False
    )
    # Which limits of the care guarantee the unit is measured against; blank:
    # contacts are not followed automatically (staff may still register them).
    guarantee_level = models.CharField(
        _("care guarantee"),
        max_length=10,
        blank=True,
        choices=GUARANTEE_LEVELS,
    )
    # The licensed professions whose visit (or recorded assessment) is the primary-care
    # "medical assessment by licensed staff" within 3 days; empty: any licensed profession.
    assessment_professions = models.JSONField(_("assessment by licensed"), default=list, blank=True)


class CalendarFeed(models.Model):
    """A personal calendar feed behind a secret address: the user's visits,
    without health content. Revoking it makes the old address answer 404."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="calendar_feeds")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="one_live_feed_per_user"
            )
        ]


class GuaranteeCase(models.Model):
    """A citizen's contact with care, followed against the care guarantee
    (0-3-90-90): when the contact came, and when each step was taken."""

    class Level(models.TextChoices):
        PRIMARY = "primary", _("Primary care")
        SPECIALIST = "specialist", _("Specialist care")

    class Source(models.TextChoices):
        FYREN = "fyren", _("A request in Fyren")
        REGISTERED = "registered", _("Registered by staff")
        CONTACT = "contact", _("A contact request in Fyren")

    citizen = models.ForeignKey("people.Citizen", on_delete=models.PROTECT, related_name="guarantee_cases")
    unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="guarantee_cases")
    level = models.CharField(_("level of care"), max_length=10, choices=Level.choices)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.REGISTERED)
    contact_at = models.DateTimeField(_("contact"))
    registered_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    contacted_at = models.DateTimeField(_("contact with care"), null=True, blank=True)
    assessed_at = models.DateTimeField(_("medical assessment"), null=True, blank=True)
    assessed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    first_visit_at = models.DateTimeField(_("first visit"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decision to treat"), null=True, blank=True)
    treated_at = models.DateTimeField(_("treatment started"), null=True, blank=True)
    patient_wait_days = models.PositiveSmallIntegerField(_("days the patient chose to wait"), default=0)
    # A contact that ends without treatment (a request declined, the patient no
    # longer wants care) is no longer followed; steps already taken still count.
    ended_at = models.DateTimeField(_("ended without treatment"), null=True, blank=True)
    end_reason = models.CharField(_("why"), max_length=300, blank=True)
    # The care request (episode point B) a case started from, when it came through Fyren.
    episode = models.ForeignKey(
        "episodes.Episode", null=True, blank=True, on_delete=models.SET_NULL, related_name="guarantee_cases"
    )

    class Meta:
        ordering = ["contact_at"]
        # Followed until treatment starts (the measures tell which steps are still open).
        indexes = [models.Index(fields=["unit", "treated_at"])]

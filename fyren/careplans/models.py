"""Joined-up care plans: the patient contract (*patientkontrakt*) as an umbrella
over the plans of every unit involved (Min vårdplan, rehabilitation plan, SIP,
a Fyren program's plan), with goals, activities, the fixed care contact at each
unit, revisions the citizen can follow, comments and agreement."""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from fyren.booking.models import Booking

USER = settings.AUTH_USER_MODEL


class Contract(models.Model):
    """A patient contract: one agreement between the patient and all of the
    patient's care contacts on who does what, how and when. One per citizen."""

    citizen = models.OneToOneField("people.Citizen", on_delete=models.PROTECT, related_name="contract")
    started_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    started_unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="+")
    # The patient's own priorities, in their own words.
    priorities = models.TextField(_("what matters most to me"), blank=True)
    revision = models.PositiveIntegerField(default=0)  # the number of the latest revision
    updated_at = models.DateTimeField(default=timezone.now)
    # When the row last changed: set by a database trigger on every UPDATE, whoever writes
    # (api migration 0004). The FHIR server's meta.lastUpdated, _lastUpdated and _since.
    changed_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)

    # Set by the selectors that load a contract for a page (not database fields).
    participant_list: "list[Participant]"
    contact_list: "list[FixedContact]"
    plan_list: "list[Plan]"
    goal_list: "list[Goal]"
    activity_list: "list[Activity]"
    comment_list: "list[Comment]"
    revision_list: "list[Revision]"
    latest: "Revision | None"
    agreed: bool
    last_agreed: "Revision | None"


class Participant(models.Model):
    """A care unit taking part in a contract: invited by a unit already in it,
    then accepted (or declined) by the invited unit."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Taking part")
        DECLINED = "declined", _("Declined")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="participants")
    unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="plan_participations")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    invited_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)
    invitation_note = models.CharField(_("message to the unit"), max_length=500, blank=True)
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    # Where the citizen's comments to this unit arrive (a thread in its inbox).
    thread = models.ForeignKey("messaging.Thread", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    taking_part: list  # set by ``selectors.invitations_for``: the units already in the contract

    class Meta:
        ordering = ["invited_at"]
        constraints = [models.UniqueConstraint(fields=["contract", "unit"], name="one_participation_per_unit")]
        indexes = [models.Index(fields=["unit", "status"])]


class FixedContact(models.Model):
    """The fixed care contact (*fast vårdkontakt*) at one unit for this patient,
    and how the patient reaches them."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="fixed_contacts")
    unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("fixed care contact"))
    how_to_reach = models.CharField(_("how to reach them"), max_length=300)
    appointed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    appointed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contract", "unit"], name="one_fixed_contact_per_unit")]


class Plan(models.Model):
    """A plan under the contract's umbrella, held by one unit."""

    class Kind(models.TextChoices):
        MIN_VARDPLAN = "min_vardplan", _("Min vårdplan (cancer care)")
        REHABILITATION = "rehabilitation", _("Rehabilitation plan")
        SIP = "sip", _("SIP – coordinated individual plan")
        PROGRAM = "program", _("Plan of a Fyren program")
        CARE = "care", _("Care plan")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="plans")
    unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of plan"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    # False: the other units see that the plan exists and who holds it, not its content.
    shared = models.BooleanField(_("all units in the contract see the content"), default=True)
    enrolment = models.ForeignKey("care.Enrolment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    treatment = models.TextField(_("treatment plan"), blank=True)
    rehabilitation = models.TextField(_("rehabilitation"), blank=True)
    self_care = models.TextField(_("self-care advice"), blank=True)
    # SIP: the meeting, its coordinator and decisions.
    meeting_on = models.DateField(_("SIP meeting"), null=True, blank=True)
    coordinator = models.CharField(_("coordinator"), max_length=200, blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    hidden: bool  # set by the selectors: its content is not for the reading unit

    class Meta:
        ordering = ["created_at"]


class PlanMember(models.Model):
    """A participant in a SIP who is not staff of a Fyren unit: social services,
    home care, school, next of kin — entered by name and role."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    contact = models.CharField(_("how to reach them"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]


class Goal(models.Model):
    """A goal in the patient's own words, optionally measurable against a
    questionnaire score (e.g. PHQ-9 at most 9)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Working on it")
        REACHED = "reached", _("Reached")
        DROPPED = "dropped", _("No longer a goal")

    class Comparison(models.TextChoices):
        AT_MOST = "at_most", _("at most")
        AT_LEAST = "at_least", _("at least")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="goals")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="goals")
    unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="+")
    text = models.CharField(_("goal, in the patient's own words"), max_length=500)
    instrument_code = models.CharField(_("measured by"), max_length=40, blank=True)
    # Or measured by a measurement the patient enters in a program (weight, blood pressure …).
    measurement_enrolment = models.ForeignKey(
        "care.Enrolment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    measurement_key = models.UUIDField(null=True, blank=True)
    measurement_label = models.CharField(max_length=200, blank=True)
    comparison = models.CharField(max_length=10, choices=Comparison.choices, blank=True)
    target_value = models.DecimalField(_("target"), max_digits=8, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    progress: Any  # set by the selectors: the latest score against the target (or None)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(instrument_code="") & Q(measurement_key__isnull=True))
                | (Q(target_value__isnull=False) & ~Q(comparison="")),
                name="measurable_goal_has_target",
            ),
            models.CheckConstraint(
                condition=Q(instrument_code="") | Q(measurement_key__isnull=True), name="goal_measured_one_way"
            ),
        ]


class Activity(models.Model):
    """Who does what, how and when."""

    class How(models.TextChoices):
        VISIT = "visit", _("Visit")
        VIDEO = "video", _("Video meeting")
        PHONE = "phone", _("Phone call")
        DIGITAL = "digital", _("Digital program")
        SELF_CARE = "self_care", _("Self-care")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="activities")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities")
    goal = models.ForeignKey(Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities")
    unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="+")
    what = models.CharField(_("what"), max_length=300)
    how = models.CharField(_("how"), max_length=10, choices=How.choices)
    who_role = models.CharField(_("who (role)"), max_length=100, blank=True)
    who_person = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("who (named)")
    )
    starts_on = models.DateField(_("date, or first date"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    recurrence = models.CharField(_("how often"), max_length=100, blank=True)
    enrolment = models.ForeignKey("care.Enrolment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The booked visit that carries the activity out (a rebooking moves the link along the chain).
    booking = models.ForeignKey(
        "booking.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("visit")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    visit: "Booking | None"  # set by ``selectors``: the booked visit as it stands after rebookings
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on", "created_at"]
        verbose_name_plural = "activities"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=False, ends_on__gte=models.F("starts_on")),
                name="activity_period_in_order",
            )
        ]


class Revision(models.Model):
    """The whole contract as it stood after one change: who changed what, so the
    citizen sees what changed since they last looked, and agrees to a revision."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey(
        "organisations.CareUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.CharField(max_length=300)
    snapshot = models.JSONField()

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["contract", "number"], name="one_revision_number")]


class Seen(models.Model):
    """The revision a citizen (or their guardian or proxy) last looked at."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contract", "user"], name="one_seen_per_reader")]


class Agreement(models.Model):
    """The patient (or someone acting for them) agrees to a revision."""

    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="agreements")
    agreed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    agreed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["revision", "agreed_by"], name="agree_once")]


class Comment(models.Model):
    """A comment from the citizen's side on the plan, a goal or an activity; it
    arrives as a message in the inbox of the unit concerned."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="comments")
    goal = models.ForeignKey(Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments")
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments")
    unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    message = models.ForeignKey("messaging.Message", null=True, on_delete=models.SET_NULL, related_name="+")
    client_token = models.UUIDField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]


class FixedContactRoutine(models.Model):
    """The unit's documented routine for appointing a fixed care contact."""

    unit = models.OneToOneField(
        "organisations.CareUnit", on_delete=models.CASCADE, related_name="fixed_contact_routine"
    )
    text = models.TextField(_("routine"))
    reviewed_on = models.DateField(_("last reviewed"))
    updated_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

"""Programs (*moment*), their versions and content.

Structure: program → version → modules → sections → steps (pages) → elements.
Every content row carries its version, and a stable ``key`` that is kept when a
new draft is made from a published version, so versions can be compared and an
enrolment's answers keep pointing at the same element. A version that has left
draft never changes: the models refuse (``ImmutableVersionError``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import elements
from .unlocking import RULES


class ImmutableVersionError(Exception):
    """A version that has left draft cannot be changed."""


class Kind(models.TextChoices):
    TREATMENT = "treatment", _("Treatment program")
    SUPPORT_PROGRAM = "support_program", _("Support program")
    SUPPORT = "support", _("Support")
    COURSE = "course", _("Course / patient education")
    SCREENING = "screening", _("Screening")
    CARE_PLAN = "care_plan", _("Care plan")


class TreatmentKind(models.TextChoices):
    """What a completed enrolment counts as in the national follow-up of treatments
    for mild-to-moderate mental ill-health and long-term pain (``reporting``)."""

    MMR1 = "MMR1", _("Multimodal rehabilitation, level 1 (MMR1)")
    MMR2 = "MMR2", _("Multimodal rehabilitation, level 2 (MMR2)")
    BEHAVIOURAL_MEDICINE = "BEHAVIOURAL_MEDICINE", _("Behavioural-medicine pain treatment")
    ACTIVE_TRAINING = "ACTIVE_TRAINING", _("Active specific training")
    OTHER_PAIN = "OTHER_PAIN", _("Other pain treatment")
    KBT = "KBT", _("Cognitive behavioural therapy (KBT)")
    IKBT = "IKBT", _("Internet-based KBT (IKBT)")
    IPT = "IPT", _("Interpersonal therapy (IPT)")
    PDT = "PDT", _("Psychodynamic therapy (PDT)")
    EMDR = "EMDR", _("EMDR")
    OTHER_PSYCH = "OTHER_PSYCH", _("Other psychological treatment")


class Licence(models.TextChoices):
    CC_BY = "CC-BY-4.0", _("CC BY 4.0 (share and adapt, with attribution)")
    CC_BY_SA = "CC-BY-SA-4.0", _("CC BY-SA 4.0 (adapt under the same licence)")
    CC_BY_ND = "CC-BY-ND-4.0", _("CC BY-ND 4.0 (share unchanged only)")
    REGIONS = "regions-share", _("Shared between regions, unchanged")


ADAPTABLE_LICENCES = {Licence.CC_BY, Licence.CC_BY_SA}


class UnlockRule(models.TextChoices):
    ALL = "all", _("All modules at once")
    SEQUENCE = "sequence", _("In sequence, each when the one before is done")
    CLINICIAN = "clinician", _("When the clinician opens them")
    SCHEDULE = "schedule", _("On a schedule after the start")


assert set(UnlockRule.values) == set(RULES)


class Program(models.Model):
    """A program owned by a region. Its content lives in versions."""

    owner = models.ForeignKey("organisations.Region", on_delete=models.PROTECT, related_name="programs")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    copied_from = models.ForeignKey(
        "ProgramVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )

    def __str__(self) -> str:
        latest = self.versions.order_by("-number").first()
        return latest.display_title if latest else f"Program {self.pk}"


def age_range_text(low, high) -> str:
    """An age range in words: "13–17", "18 and over", "up to 12", "all ages"."""
    if low is not None and high is not None:
        return f"{low}–{high}"
    if low is not None:
        return str(_("%(age)d and over") % {"age": low})
    if high is not None:
        return str(_("up to %(age)d") % {"age": high})
    return str(_("all ages"))


class ProgramVersion(models.Model):
    """One version of a program: draft → in review → published → retired."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("Submitted for review")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    title = models.JSONField(default=dict)
    summary = models.JSONField(default=dict)
    target_group = models.JSONField(default=dict)
    indications = models.JSONField(default=dict)
    contact_info = models.JSONField(default=dict)  # how to reach the unit, and what to do in an emergency
    # Who the program is for by age (years, inclusive; None: no limit), checked when it is started;
    # a program open to anyone under 18 says how guardians take part.
    min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(null=True, blank=True)
    guardian_participation = models.JSONField(default=dict, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TREATMENT)
    languages = models.JSONField(default=list)
    licence = models.CharField(max_length=20, choices=Licence.choices, default=Licence.CC_BY)
    attribution = models.CharField(max_length=300, blank=True)
    messaging_enabled = models.BooleanField(default=True)
    unlock_rule = models.CharField(max_length=10, choices=UnlockRule.choices, default=UnlockRule.SEQUENCE)
    unlock_interval_days = models.PositiveIntegerField(default=7)
    # Screening gate for self-enrolment: {"instrument": code, "rules": [{"score" or "item", "operator", "value"}]};
    # when any rule holds, the program is not suitable and the citizen is advised to contact care.
    screening = models.JSONField(default=dict, blank=True)
    # Days without activity before the citizen gets a (content-free) reminder; 0 turns it off.
    inactivity_days = models.PositiveIntegerField(default=7)
    # Blank: a completed enrolment is not a treatment in the national follow-up.
    treatment_kind = models.CharField(max_length=24, choices=TreatmentKind.choices, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retired_at = models.DateTimeField(null=True, blank=True)

    # Fields that may change after the version has left draft (the workflow's own).
    WORKFLOW_FIELDS = {
        "status", "submitted_at", "submitted_by", "published_at", "published_by", "retired_at", "updated_at",
    }  # fmt: skip

    class Meta:
        ordering = ["program", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="unique_version_number"),
            models.UniqueConstraint(
                fields=["program"], condition=Q(status__in=["draft", "in_review"]), name="one_open_version_per_program"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_title} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk:
            stored = type(self).objects.filter(pk=self.pk).values("status").first()
            if stored and stored["status"] != self.Status.DRAFT:
                update_fields = kwargs.get("update_fields")
                if update_fields is None or not set(update_fields) <= self.WORKFLOW_FIELDS:
                    raise ImmutableVersionError("Only a draft version can be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status != self.Status.DRAFT:
            raise ImmutableVersionError("Only a draft version can be deleted.")
        return super().delete(*args, **kwargs)

    @property
    def age_range(self) -> str:
        return age_range_text(self.min_age, self.max_age)

    @property
    def for_minors(self) -> bool:
        """Whether people under 18 may take part (the age range reaches below 18)."""
        return self.min_age is not None and self.min_age < 18 or (self.max_age is not None and self.max_age < 18)

    def age_refusal(self, age: int) -> str:
        """Why a person of ``age`` may not start this version ("" when they may)."""
        if self.min_age is not None and age < self.min_age or self.max_age is not None and age > self.max_age:
            return _("The program is for ages %(range)s; the person is %(age)d.") % {
                "range": age_range_text(self.min_age, self.max_age),
                "age": age,
            }
        return ""

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def display_title(self) -> str:
        return text_in(self.title, self.languages)


def text_in(value, languages=(), preferred: str | None = None) -> str:
    """The text of a translatable field in the preferred language, else the
    version's first language that has it, else any."""
    if not isinstance(value, dict):
        return str(value or "")
    for lang in [preferred, *languages]:
        if lang and value.get(lang):
            return value[lang]
    return next((v for v in value.values() if v), "")


class ContentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if self.exclude(version__status=ProgramVersion.Status.DRAFT).exists():
            raise ImmutableVersionError("Only a draft version can be changed.")
        return super().update(**kwargs)

    def delete(self):
        if self.exclude(version__status=ProgramVersion.Status.DRAFT).exists():
            raise ImmutableVersionError("Only a draft version can be changed.")
        return super().delete()


class ContentNode(models.Model):
    """Shared by modules, sections, steps and elements: version, stable key,
    position, and the draft-only guard."""

    version = models.ForeignKey(ProgramVersion, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveIntegerField(default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def save(self, *args, **kwargs):
        self._check_draft()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_draft()
        return super().delete(*args, **kwargs)

    def _check_draft(self):
        status = ProgramVersion.objects.filter(pk=self.version_id).values_list("status", flat=True).first()
        if status != ProgramVersion.Status.DRAFT:
            raise ImmutableVersionError("Only a draft version can be changed.")


class Module(ContentNode):
    title = models.JSONField(default=dict)
    intro = models.JSONField(default=dict)

    section_list: list["Section"]  # filled by programs.tree.load_tree, in order

    class Meta(ContentNode.Meta):
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_module_key")]


class Section(ContentNode):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="sections")
    title = models.JSONField(default=dict)

    step_list: list["Step"]  # filled by programs.tree.load_tree

    class Meta(ContentNode.Meta):
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_section_key")]


class Step(ContentNode):
    """A page the citizen works through."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="steps")
    title = models.JSONField(default=dict)
    condition = models.JSONField(null=True, blank=True)

    element_list: list["Element"]  # filled by programs.tree.load_tree

    class Meta(ContentNode.Meta):
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_step_key")]


class MediaAsset(models.Model):
    """An uploaded file, checked by content, stored once per content hash and
    never changed (versions and packages refer to it by hash)."""

    owner = models.ForeignKey("organisations.Region", on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to="media/%Y/")
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    original_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "sha256"], name="unique_asset_per_owner")]


class Element(ContentNode):
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="elements")
    kind = models.CharField(max_length=20, choices=list(elements.KINDS.items()))
    content = models.JSONField(default=dict)
    asset = models.ForeignKey(MediaAsset, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    condition = models.JSONField(null=True, blank=True)

    class Meta(ContentNode.Meta):
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_element_key")]

    @property
    def short_key(self) -> str:
        """The ref name used in conditions: the first 8 characters of the key."""
        return self.key.hex[:8]


class Review(models.Model):
    """A publisher's review of a submitted version against the checklist."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approve and publish")
        RETURN = "return", _("Return to the designer")

    version = models.ForeignKey(ProgramVersion, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    checklist = models.JSONField(default=dict)
    comment = models.TextField(blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]


class Adoption(models.Model):
    """A region uses another region's program as it is (attribution kept)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="adoptions")
    region = models.ForeignKey("organisations.Region", on_delete=models.CASCADE, related_name="adopted_programs")
    adopted_at = models.DateTimeField(default=timezone.now)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "region"], name="unique_adoption")]


class UnitProgram(models.Model):
    """A program offered at a care unit, optionally open for self-enrolment."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="unit_activations")
    unit = models.ForeignKey("organisations.CareUnit", on_delete=models.CASCADE, related_name="programs")
    active = models.BooleanField(default=True)
    self_enrolment = models.BooleanField(default=False)
    self_enrolment_group = models.JSONField(default=dict, blank=True, help_text="Who may self-enrol, per language")
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "unit"], name="unique_unit_program")]

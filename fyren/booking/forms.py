import datetime as dt
import uuid

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from fyren.accounts.models import User
from fyren.accounts.professions import Profession
from fyren.lib.forms import LabelledModelChoiceField, set_choices, set_queryset
from fyren.lib.ranges import BoundedDateField, BoundedDateTimeField
from fyren.people.forms import CitizenByNumberForm
from fyren.programs.models import Program

from .models import GUARANTEE_LEVELS, Audience, GuaranteeCase, Schedule, VisitKind


def slot_label(slot) -> str:
    start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    when = f"{formats.date_format(start, 'l j F')} {start:%H:%M}–{end:%H:%M}"
    return f"{when}, {slot.schedule.title} ({slot.get_visit_kind_display()})"


class _SlotChoice(forms.Form):
    slot = forms.ChoiceField(label=_("Time"))

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._slots = {str(s.pk): s for s in slots}
        set_choices(self, "slot", [(pk, slot_label(s)) for pk, s in self._slots.items()])

    def clean_slot(self):
        return self._slots[self.cleaned_data["slot"]]


class BookForm(_SlotChoice):
    reason = forms.CharField(label=_("What is the visit about?"), max_length=200, required=False)
    client_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_token", uuid.uuid4())
        super().__init__(*args, **kwargs)


class RebookForm(_SlotChoice):
    reason = forms.CharField(label=_("Why do you move it?"), max_length=300, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why do you cancel?"), max_length=300)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Why do none of the times suit you?"), max_length=300, required=False)


# --- staff ------------------------------------------------------------------------------------

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class ScheduleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Times are booked with"), choices=Schedule.Kind.choices)
    clinician = LabelledModelChoiceField(
        label=_("Clinician (for a clinician's times)"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No one (a title's or a room's times)"),
        label_of=lambda u: u.display_name,
    )
    title = forms.CharField(label=_("Name (a title such as Psykolog, or a room)"), max_length=200, required=False)

    def __init__(self, *args, clinicians, **kwargs):
        super().__init__(*args, **kwargs)
        set_queryset(self, "clinician", clinicians)


class TemplateForm(forms.Form):
    schedule = LabelledModelChoiceField(label=_("Schedule"), queryset=Schedule.objects.none(), label_of=str)
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=WEEKDAYS, coerce=int)
    starts = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    ends = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    minutes = forms.IntegerField(label=_("Length of each time (minutes)"), min_value=5, max_value=480, initial=30)
    visit_kind = forms.ChoiceField(label=_("Kind of visit"), choices=VisitKind.choices)
    audience = forms.ChoiceField(label=_("Who may book"), choices=Audience.choices)
    program = LabelledModelChoiceField(
        label=_("Program (when its citizens may book)"),
        queryset=Program.objects.none(),
        required=False,
        empty_label=_("No program"),
        label_of=str,
    )
    reasons = forms.CharField(
        label=_("Booking reasons, one per line"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    valid_from = BoundedDateField(label=_("First day"))
    valid_to = BoundedDateField(label=_("Last day"))

    def __init__(self, *args, schedules, programs, **kwargs):
        super().__init__(*args, **kwargs)
        set_queryset(self, "schedule", schedules)
        set_queryset(self, "program", programs)


class SlotForm(forms.Form):
    schedule = LabelledModelChoiceField(label=_("Schedule"), queryset=Schedule.objects.none(), label_of=str)
    starts_at = BoundedDateTimeField(label=_("Starts"), past_only=False)
    minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=5, max_value=480, initial=30)
    visit_kind = forms.ChoiceField(label=_("Kind of visit"), choices=VisitKind.choices)
    audience = forms.ChoiceField(
        label=_("Who may book"), choices=[c for c in Audience.choices if c[0] != Audience.PROGRAM]
    )

    def __init__(self, *args, schedules, **kwargs):
        super().__init__(*args, **kwargs)
        set_queryset(self, "schedule", schedules)


class BlockForm(forms.Form):
    schedule = LabelledModelChoiceField(label=_("Schedule"), queryset=Schedule.objects.none(), label_of=str)
    starts_at = BoundedDateTimeField(label=_("From"), past_only=False)
    ends_at = BoundedDateTimeField(label=_("Until"), past_only=False)
    reason = forms.CharField(label=_("Reason (e.g. absence, training)"), max_length=200)

    def __init__(self, *args, schedules, **kwargs):
        super().__init__(*args, **kwargs)
        set_queryset(self, "schedule", schedules)


class OfferForm(forms.Form):
    slots = forms.MultipleChoiceField(label=_("Times"), widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("Booking reason (shown to staff, not in notices)"), max_length=200, required=False)
    direct = forms.BooleanField(
        label=_("Book the first chosen time directly (agreed with the patient)"), required=False
    )

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._slots = {str(s.pk): s for s in slots}
        set_choices(self, "slots", [(pk, slot_label(s)) for pk, s in self._slots.items()])

    def clean_slots(self):
        return [self._slots[pk] for pk in self.cleaned_data["slots"]]


class BookingRulesForm(forms.Form):
    change_until_hours = forms.IntegerField(
        label=_("Citizens may rebook or cancel until (hours before the visit)"), min_value=0, max_value=336
    )
    remind_hours = forms.IntegerField(label=_("Reminder (hours before the visit)"), min_value=1, max_value=336)
    guarantee_level = forms.ChoiceField(
        label=_("Care guarantee the unit is measured against"),
        required=False,
        choices=[("", _("Not followed automatically")), *GUARANTEE_LEVELS],
        help_text=_("Care requests received in Fyren then start the guarantee clock by themselves."),
    )
    citizen_may_change_visit_kind = forms.BooleanField(
        label=_("Citizens moving a visit may choose another kind of visit (video, phone, at the unit)"),
        required=False,
        help_text=_("Otherwise a video visit is moved only to another video time, and so on."),
    )
    assessment_professions = forms.MultipleChoiceField(
        label=_("The medical assessment within 3 days counts when made by licensed"),
        required=False,
        choices=Profession.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any licensed profession. A visit by staff without such a licence does not count."),
    )


class GuaranteeRegisterForm(CitizenByNumberForm):
    level = forms.ChoiceField(label=_("Level of care"), choices=GuaranteeCase.Level.choices)
    contact_at = BoundedDateTimeField(
        label=_("When the citizen made contact"), required=False, help_text=_("Leave empty for now.")
    )


STEP_LABELS = {
    "contacted_at": _("Contact with care"),
    "assessed_at": _("Medical assessment by licensed staff"),
    "first_visit_at": _("First visit"),
    "decided_at": _("Decision to treat"),
    "treated_at": _("Treatment started"),
}


class GuaranteeStepForm(forms.Form):
    step = forms.ChoiceField(label=_("Step"))
    at = BoundedDateTimeField(label=_("When"), required=False, help_text=_("Leave empty for now."))
    by = LabelledModelChoiceField(
        label=_("Assessed by"),
        queryset=None,
        required=False,
        empty_label=_("Me"),
        label_of=lambda user: user.display_name,
        help_text=_("For the medical assessment: the licensed professional who made it."),
    )

    def __init__(self, *args, steps=(), staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        set_choices(self, "step", [(s, STEP_LABELS[s]) for s in steps])
        set_queryset(self, "by", staff if staff is not None else User.objects.none())


class GuaranteeWaitForm(forms.Form):
    days = forms.IntegerField(label=_("Days the patient chose to wait"), min_value=0, max_value=365)


class GuaranteeEndForm(forms.Form):
    reason = forms.CharField(label=_("Why the contact ends without treatment"), max_length=300)


class GuaranteeReportForm(forms.Form):
    start = forms.CharField(label=_("First month"), widget=forms.TextInput(attrs={"type": "month"}))
    end = forms.CharField(label=_("Last month"), widget=forms.TextInput(attrs={"type": "month"}))
    threshold = forms.IntegerField(
        label=_("Hide counts below"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("0 shows everything; 5 or 20 for figures that are published."),
    )

    def _month(self, name):
        value = self.cleaned_data[name]
        try:
            year, month = (int(p) for p in value.split("-"))
            return dt.date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(_("Give a month as YYYY-MM.")) from None

    def clean_start(self):
        return self._month("start")

    def clean_end(self):
        return self._month("end")

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The last month cannot be before the first."))
            if (end.year - start.year) * 12 + end.month - start.month >= 36:
                raise forms.ValidationError(_("Choose at most 36 months."))
        return data


class AgreementForm(forms.Form):
    """Open one of the unit's schedules to another unit's staff."""

    schedule = LabelledModelChoiceField(
        label=_("Schedule"), queryset=Schedule.objects.none(), label_of=lambda schedule: schedule.title
    )
    booking_unit = LabelledModelChoiceField(
        label=_("Unit whose staff may book into it"),
        queryset=Schedule.objects.none(),
        label_of=lambda unit: f"{unit.name} ({unit.region.name})",
    )

    def __init__(self, *args, schedules=None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        set_queryset(self, "schedule", schedules if schedules is not None else Schedule.objects.none())
        set_queryset(self, "booking_unit", units if units is not None else Schedule.objects.none())


class BookElsewhereForm(forms.Form):
    """Book the unit's patient into another unit's free time that an agreement opens."""

    slot = forms.ChoiceField(label=_("Time"), widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Booking reason (shown to staff, not in notices)"), max_length=200, required=False)
    client_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._slots = {str(s.pk): s for s in slots}
        set_choices(self, "slot", [(pk, f"{s.schedule.unit.name}: {slot_label(s)}") for pk, s in self._slots.items()])

    def clean_slot(self):
        return self._slots[self.cleaned_data["slot"]]

import uuid

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from fyren.accounts.models import User
from fyren.booking.forms import slot_label
from fyren.instruments.definitions import name_of
from fyren.instruments.library import LIBRARY
from fyren.lib.forms import LabelledModelChoiceField, set_choices, set_queryset
from fyren.lib.ranges import BoundedDateField
from fyren.organisations.models import CareUnit
from fyren.programs.selectors import measurement_label

from .models import Activity, Goal, Plan


def _program_choices(programs) -> list[tuple[str, str]]:
    return [("", _("None"))] + [(str(p.enrolment.pk), p.enrolment.program_version.display_title) for p in programs]


class InviteForm(forms.Form):
    unit = LabelledModelChoiceField(
        label=_("Unit to invite"), queryset=CareUnit.objects.none(), label_of=lambda u: f"{u.name} ({u.region.name})"
    )
    note = forms.CharField(label=_("Message to the unit"), max_length=500, required=False)

    def __init__(self, *args, exclude, **kwargs):
        super().__init__(*args, **kwargs)
        set_queryset(self, "unit", CareUnit.objects.active_on().exclude(pk__in=exclude).select_related("region"))


class FixedContactForm(forms.Form):
    person = LabelledModelChoiceField(
        label=_("Fixed care contact"), queryset=User.objects.none(), label_of=lambda u: u.display_name
    )
    how_to_reach = forms.CharField(label=_("How the patient reaches them"), max_length=300)

    def __init__(self, *args, clinicians, **kwargs):
        super().__init__(*args, **kwargs)
        set_queryset(self, "person", clinicians)


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of plan"), choices=Plan.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    shared = forms.BooleanField(label=_("All units in the contract see the content"), required=False, initial=True)
    treatment = forms.CharField(label=_("Treatment plan"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    rehabilitation = forms.CharField(
        label=_("Rehabilitation"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    self_care = forms.CharField(label=_("Self-care advice"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    meeting_on = BoundedDateField(label=_("SIP meeting"), required=False)
    coordinator = forms.CharField(label=_("Coordinator (SIP)"), max_length=200, required=False)
    decisions = forms.CharField(label=_("Decisions (SIP)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    enrolment = forms.ChoiceField(label=_("The program (for a program's plan)"), required=False)

    def __init__(self, *args, programs=(), **kwargs):
        super().__init__(*args, **kwargs)
        set_choices(self, "enrolment", _program_choices(programs))


class MemberForm(forms.Form):
    plan = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.CharField(label=_("Role (e.g. home care, social services, next of kin)"), max_length=200)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    contact = forms.CharField(label=_("How to reach them"), max_length=200, required=False)


class GoalForm(forms.Form):
    text = forms.CharField(label=_("Goal, in the patient's own words"), max_length=500)
    instrument_code = forms.ChoiceField(label=_("Measured by"), required=False)
    comparison = forms.ChoiceField(
        label=_("The score should be"), choices=[("", "–"), *Goal.Comparison.choices], required=False
    )
    measurement = forms.ChoiceField(label=_("Or measured by a measurement in a program"), required=False)
    target_value = forms.DecimalField(label=_("Target score"), max_digits=8, decimal_places=2, required=False)

    def __init__(self, *args, programs=(), **kwargs):
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "measurement",
            [("", _("Not measured"))]
            + [
                (f"{p.enrolment.pk}:{m.key}", f"{p.enrolment.program_version.display_title}: {measurement_label(m)}")
                for p in programs
                for m in p.measurements
            ],
        )
        lang = get_language()
        set_choices(
            self,
            "instrument_code",
            [("", _("Not measured"))] + [(code, name_of(d, lang)) for code, d in sorted(LIBRARY.items())],
        )


class GoalStatusForm(forms.Form):
    goal = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=Goal.Status.choices)


class ActivityForm(forms.Form):
    what = forms.CharField(label=_("What"), max_length=300)
    how = forms.ChoiceField(label=_("How"), choices=Activity.How.choices)
    who_role = forms.CharField(label=_("Who (a role)"), max_length=100, required=False)
    who_person = LabelledModelChoiceField(
        label=_("Or a named person"), queryset=User.objects.none(), required=False, label_of=lambda u: u.display_name
    )
    starts_on = BoundedDateField(label=_("Date, or first date"), required=False)
    ends_on = BoundedDateField(label=_("Until"), required=False)
    recurrence = forms.CharField(label=_("How often (e.g. every other week)"), max_length=100, required=False)
    goal = LabelledModelChoiceField(
        label=_("For the goal"), queryset=Goal.objects.none(), required=False, label_of=lambda g: g.text
    )
    enrolment = forms.ChoiceField(label=_("Part of the program"), required=False)
    visit = forms.ChoiceField(label=_("Carried out at the visit"), required=False)

    def __init__(self, *args, clinicians, goals, programs=(), visits=(), **kwargs):
        super().__init__(*args, **kwargs)
        set_queryset(self, "who_person", clinicians)
        set_queryset(self, "goal", goals)
        set_choices(self, "enrolment", _program_choices(programs))
        self._visits = {str(v.pk): v for v in visits}
        set_choices(self, "visit", [("", _("No visit"))] + [(pk, slot_label(v.slot)) for pk, v in self._visits.items()])

    def clean_visit(self):
        return self._visits.get(self.cleaned_data["visit"])


class ActivityStatusForm(forms.Form):
    activity = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=Activity.Status.choices)


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(label=_("Answer"), choices=[("accept", _("Take part")), ("decline", _("Decline"))])
    reason = forms.CharField(label=_("Reason (needed to decline)"), max_length=300, required=False)


class RoutineForm(forms.Form):
    text = forms.CharField(label=_("Routine"), widget=forms.Textarea(attrs={"rows": 8}), max_length=5000)
    reviewed_on = BoundedDateField(label=_("Last reviewed"), past_only=True)


# --- the citizen ----------------------------------------------------------------------------


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    about = forms.CharField(widget=forms.HiddenInput, required=False)  # "goal:<id>", "activity:<id>" or "unit:<id>"
    client_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_token", uuid.uuid4())
        super().__init__(*args, **kwargs)


class PrioritiesForm(forms.Form):
    priorities = forms.CharField(
        label=_("What matters most to me"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


class AgreeForm(forms.Form):
    number = forms.IntegerField(widget=forms.HiddenInput)

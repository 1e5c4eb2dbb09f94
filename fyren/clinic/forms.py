from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fyren.care.models import SelfEnrolmentPolicy
from fyren.instruments.forms_choices import instrument_choices
from fyren.lib.ranges import BoundedDateField
from fyren.people.forms import CitizenByNumberForm, IdentityNumberField


class EmergencyAccessForm(forms.Form):
    identity_number = IdentityNumberField(label=_("The citizen's identity number"))
    reason = forms.CharField(
        label=_("Reason for emergency access"),
        max_length=1000,
        help_text=_(
            "Say why the care of this person needs you to read the data now, without a care relation. "
            "This access is reviewed."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CareRelationForm(CitizenByNumberForm):
    reason = forms.CharField(label=_("Reason for contact"), max_length=200)


class SendAddForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Questionnaire"))
    due_on = BoundedDateField(label=_("Send on"))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["instrument"]).choices = choices


class SendMoveForm(forms.Form):
    due_on = BoundedDateField(label=_("New date"))


class StartProgramForm(forms.Form):
    """Starting a program needs an assessment first (a main risk named in the seeds)."""

    program_version = forms.ChoiceField(label=_("Program"))
    indication = forms.CharField(label=_("Indication"), max_length=300)
    reason = forms.CharField(
        label=_("Why this program suits the patient"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    risk_considered = forms.BooleanField(
        label=_("I have assessed the risk (for example of suicide) and it allows treatment on the internet")
    )
    risk_note = forms.CharField(
        label=_("Risk assessment note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.versions = {str(v.pk): v for v in versions}
        cast(forms.ChoiceField, self.fields["program_version"]).choices = [
            (str(v.pk), v.display_title) for v in versions
        ]


class FlagAcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("What did you do?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: called the patient, booked a visit, assessed as not urgent."),
    )


class AbsenceForm(forms.Form):
    user = forms.ChoiceField(label=_("Clinician"))
    starts_on = BoundedDateField(label=_("From"))
    ends_on = BoundedDateField(label=_("Until"), required=False, help_text=_("Leave empty if not known."))

    def __init__(self, *args, clinicians=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["user"]).choices = [
            (str(c.pk), c.get_full_name() or c.username) for c in clinicians
        ]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class EndForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did it end?"),
        choices=[("completed", _("Completed")), ("discontinued", _("Discontinued"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=200, required=False, help_text=_("Required when discontinued.")
    )


class HandoverForm(forms.Form):
    """The receiving unit, among the active units of one region (the country has
    hundreds: they are chosen region by region), and the reason."""

    to_unit = forms.ChoiceField(label=_("Receiving care unit"))
    reason = forms.CharField(
        label=_("Reason and summary for the receiving unit"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["to_unit"]).choices = [
            ("", _("Choose a unit")),
            *((str(u.pk), u.name) for u in units),
        ]


class ClinicianChoiceForm(forms.Form):
    clinicians = forms.MultipleChoiceField(label=_("Responsible clinicians"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, clinicians=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["clinicians"]).choices = [
            (str(c.pk), c.get_full_name() or c.username) for c in clinicians
        ]


class JournalPeriodForm(forms.Form):
    period_start = BoundedDateField(label=_("From"), past_only=True)
    period_end = BoundedDateField(label=_("Until"), past_only=True)

    def clean(self):
        data = super().clean() or {}
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            raise forms.ValidationError(_("The period must end on or after its first day."))
        return data


class SelfEnrolmentPolicyForm(forms.Form):
    """How the unit names a responsible clinician for self-enrolments."""

    rule = forms.ChoiceField(
        label=_("Who becomes responsible for a citizen who starts on their own"), widget=forms.RadioSelect
    )
    clinician = forms.ChoiceField(
        label=_("The named clinician"), required=False, help_text=_("Only for the rule with a named clinician.")
    )
    admin_days = forms.IntegerField(
        label=_("Working days for the enrolment admin to name a clinician"),
        min_value=1,
        max_value=20,
        required=False,
        help_text=_("Until then the unit has a flag, and the citizen is told by which day."),
    )

    def __init__(self, *args, clinicians, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["rule"]).choices = SelfEnrolmentPolicy.Rule.choices
        cast(forms.ChoiceField, self.fields["clinician"]).choices = [
            ("", _("Choose")),
            *[(str(c.pk), c.display_name) for c in clinicians],
        ]


def instrument_choices_for(enrolment):
    """The instruments a clinician may send in this enrolment: its program's region's."""
    return instrument_choices(enrolment.program_version.program.owner)


def send_add_form(request, enrolment) -> SendAddForm:
    """The form to schedule a questionnaire: today by default, or what the
    clinician typed last time if it was refused (kept in the session across the
    redirect, shown with its errors)."""
    prefix = f"add{enrolment.pk}"
    typed = request.session.pop(f"typed-{prefix}", None)
    if typed is not None:
        form = SendAddForm(typed, choices=instrument_choices_for(enrolment), prefix=prefix)
        form.is_valid()
        return form
    return SendAddForm(
        choices=instrument_choices_for(enrolment), prefix=prefix, initial={"due_on": timezone.localdate()}
    )

from django import forms
from django.utils.translation import gettext_lazy as _

from fyren.people.forms import IdentityNumberField


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


class CareRelationForm(forms.Form):
    identity_number = IdentityNumberField(label=_("The citizen's identity number"))
    given_name = forms.CharField(
        label=_("Given name"),
        max_length=100,
        required=False,
        help_text=_("Only needed if the citizen is not yet registered."),
    )
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    reason = forms.CharField(label=_("Reason for contact"), max_length=200)


class SendAddForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Questionnaire"))
    due_on = forms.DateField(label=_("Send on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = choices


class SendMoveForm(forms.Form):
    due_on = forms.DateField(label=_("New date"), widget=forms.DateInput(attrs={"type": "date"}))

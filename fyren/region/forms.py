from django import forms
from django.utils.translation import gettext_lazy as _

from fyren.lib.ranges import BoundedDateField
from fyren.people.forms import IdentityNumberField


class LogReviewFilterForm(forms.Form):
    staff = forms.CharField(label=_("Staff member (name or HSA-id)"), required=False, max_length=100)
    citizen = IdentityNumberField(label=_("Citizen's identity number"), required=False)
    unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Care unit"), queryset=None, required=False, empty_label=_("All units")
    )
    date_from = BoundedDateField(label=_("From"), required=False, past_only=True)
    date_to = BoundedDateField(label=_("To"), required=False, past_only=True)
    only_flagged = forms.BooleanField(
        label=_("Only emergency access and access outside a care relation"), required=False
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = units

    def clean_citizen(self):
        value = self.cleaned_data.get("citizen")
        return value or ""

    def clean(self):
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data

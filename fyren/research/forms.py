from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fyren.instruments.library import LIBRARY
from fyren.lib.forms import set_choices, set_queryset
from fyren.lib.ranges import BoundedDateField


class ProgramChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)  # the latest version's title


class ProjectForm(forms.Form):
    region: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Region"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=300)
    ethics_number = forms.CharField(label=_("Ethics approval number (Dnr)"), max_length=50)
    ethics_date = BoundedDateField(label=_("Ethics approval date"), past_only=True)
    principal_investigator = forms.CharField(label=_("Principal investigator"), max_length=200)
    organisation = forms.CharField(label=_("Research organisation"), max_length=200)
    programs = ProgramChoices(label=_("Programs"), queryset=None, widget=forms.CheckboxSelectMultiple)
    instruments = forms.MultipleChoiceField(
        label=_("Instruments"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every questionnaire answered in the programs."),
    )
    period_start = BoundedDateField(label=_("Enrolments started from"))
    period_end = BoundedDateField(label=_("to"))
    k = forms.IntegerField(
        label=_("Smallest group (k)"),
        min_value=3,
        max_value=100,
        initial=5,
        help_text=_("Combinations of age band, sex, region and program held by fewer people are left out."),
    )

    def __init__(self, *args, regions, programs, **kwargs):
        super().__init__(*args, **kwargs)
        set_queryset(self, "region", regions)
        set_queryset(self, "programs", programs)
        library: dict[str, Any] = dict(LIBRARY)  # type: ignore[arg-type]
        set_choices(
            self,
            "instruments",
            sorted((code, str((d.get("name") or {}).get("en") or code)) for code, d in library.items()),
        )

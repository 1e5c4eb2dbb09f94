from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from fyren.lib.forms import LabelledModelChoiceField, set_queryset
from fyren.lib.ranges import BoundedDateField, BoundedDateTimeField
from fyren.organisations.models import CareUnit

from .models import EpisodePause, Pathway, Point


class PointForm(forms.Form):
    point = forms.ChoiceField(label=_("Measurement point"), choices=Point.choices)
    at = BoundedDateTimeField(label=_("Date and time"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class CorrectForm(forms.Form):
    point = forms.ChoiceField(label=_("Measurement point"), choices=Point.choices)
    at = BoundedDateTimeField(label=_("Correct date and time"))
    reason = forms.CharField(label=_("Why is it corrected?"), max_length=300)


class PauseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of wait"), choices=EpisodePause.Kind.choices)
    starts_on = BoundedDateField(label=_("From"))
    ends_on = BoundedDateField(label=_("Until (leave empty while it lasts)"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PauseEndForm(forms.Form):
    pause = forms.IntegerField(widget=forms.HiddenInput)
    ends_on = BoundedDateField(label=_("Ended on"))


class PathwayChoiceForm(forms.Form):
    pathway = forms.ModelChoiceField(label=_("Care pathway"), queryset=Pathway.objects.none(), required=False)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        set_queryset(self, "pathway", Pathway.objects.filter(region_id=unit.region_id, active=True))
        cast(forms.ModelChoiceField, self.fields["pathway"]).empty_label = _("No pathway")


class CareRequestForm(forms.Form):
    to_unit = LabelledModelChoiceField(
        label=_("To unit"), queryset=CareUnit.objects.none(), label_of=lambda u: f"{u.name} ({u.region.name})"
    )
    reason = forms.CharField(
        label=_("What is the request about?"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    pathway = LabelledModelChoiceField(
        label=_("Care pathway"),
        queryset=Pathway.objects.none(),
        required=False,
        label_of=lambda p: f"{p.name} ({p.region.name})",
    )
    decided_at = BoundedDateTimeField(
        label=_("Decided to send (leave empty for now)"),
        required=False,
        help_text=_("Point A: when the decision to make the request was taken."),
    )
    client_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, from_unit, **kwargs):
        super().__init__(*args, **kwargs)
        set_queryset(self, "to_unit", CareUnit.objects.active_on().exclude(pk=from_unit.pk).select_related("region"))
        set_queryset(self, "pathway", Pathway.objects.filter(active=True).select_related("region"))


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Position"),
        choices=[("accept", _("Accept: the unit takes on the patient")), ("decline", _("Decline"))],
    )
    reason = forms.CharField(label=_("Reason (needed to decline)"), max_length=300, required=False)


class PathwayForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    area = forms.ChoiceField(label=_("Area"), choices=Pathway.Area.choices)
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class TargetForm(forms.Form):
    from_point = forms.ChoiceField(label=_("From point"), choices=Point.choices)
    to_point = forms.ChoiceField(label=_("To point"), choices=Point.choices)
    days = forms.IntegerField(
        label=_("Within (calendar days); empty removes the target"), min_value=0, max_value=3650, required=False
    )
    warn_days_before = forms.IntegerField(label=_("Flag this many days before"), min_value=0, max_value=365, initial=1)


class CodesForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Point.choices:
            self.fields[f"code_{value}"] = forms.CharField(label=label, max_length=20, required=False)

    def codes(self) -> dict[str, str]:
        return {value: self.cleaned_data.get(f"code_{value}", "") for value in Point.values}


class ReportForm(forms.Form):
    pathway = forms.ModelChoiceField(label=_("Care pathway"), queryset=Pathway.objects.none(), empty_label=None)
    from_point = forms.ChoiceField(label=_("From point"), choices=Point.choices, initial="B")
    to_point = forms.ChoiceField(label=_("To point"), choices=Point.choices, initial="E")
    start = BoundedDateField(label=_("Period from"))
    end = BoundedDateField(label=_("Period until"))
    by_month = forms.BooleanField(label=_("Per month (the month the second point fell in)"), required=False)
    threshold = forms.IntegerField(
        label=_("Hide counts below"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("0 shows everything; 5 or 20 for figures that are published."),
    )

    def __init__(self, *args, pathways, **kwargs):
        super().__init__(*args, **kwargs)
        set_queryset(self, "pathway", pathways)

    def clean(self):
        data = super().clean() or {}
        if data.get("from_point") and data.get("to_point") and data["from_point"] >= data["to_point"]:
            self.add_error("to_point", _("The second point must come after the first."))
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period cannot end before it starts."))
        return data

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fyren.lib.ranges import BoundedDateField

from .models import ImportRun

MAX_UPLOAD = 200 * 1024 * 1024


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportRun.Kind.choices)
    file = forms.FileField(label=_("CSV file (UTF-8, comma-separated, with a header row)"))
    source = forms.CharField(
        label=_("Record system the ids come from"),
        max_length=40,
        initial="import",
        help_text=_("Treatments only: a row's id is unique within its system; importing it again updates it."),
    )
    mode = forms.ChoiceField(label=_("If some rows are wrong"), choices=ImportRun.Mode.choices, initial="all")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 200 MB; import it with the command instead."))
        return upload


class NationalReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    count_by = forms.ChoiceField(
        label=_("A treatment counts in the year it was"),
        choices=[("completed", _("completed (the rule since 2012)")), ("started", _("started"))],
        required=False,
    )
    age_from = forms.IntegerField(label=_("Ages from"), min_value=0, max_value=120, required=False)
    age_to = forms.IntegerField(label=_("to"), min_value=0, max_value=120, required=False)
    threshold = forms.IntegerField(
        label=_("Hide counts below"),
        min_value=0,
        max_value=100,
        initial=0,
        required=False,
        help_text=_("0 shows everything (as the national agreement report); 5 or 20 for public pages."),
    )
    years = forms.CharField(
        label=_("Years for the tables over time"),
        max_length=60,
        required=False,
        help_text=_("Comma-separated, e.g. 2013, 2015, 2016, 2017."),
    )

    def clean_years(self):
        value = self.cleaned_data["years"] or ""
        try:
            years = sorted({int(p) for p in value.replace(" ", "").split(",") if p})
        except ValueError:
            raise forms.ValidationError(_("Give years separated by commas.")) from None
        if any(not 2000 <= y <= 2100 for y in years) or len(years) > 10:
            raise forms.ValidationError(_("Give at most ten years from 2000 to 2100."))
        return years

    def clean(self):
        data = super().clean() or {}
        low, high = data.get("age_from"), data.get("age_to")
        if low is not None and high is not None and high < low:
            self.add_error("age_to", _("The upper age cannot be below the lower."))
        return data

    @staticmethod
    def initial_for(years_with_data: list[int]) -> dict:
        """The latest year with data (else last year), and up to five years with data for the tables over time."""
        year = years_with_data[-1] if years_with_data else timezone.localdate().year - 1
        shown = [y for y in years_with_data if y <= year][-5:] or [year]
        return {"year": year, "threshold": 0, "years": ", ".join(str(y) for y in shown)}


class OutcomesForm(forms.Form):
    start = BoundedDateField(label=_("Enrolments started from"))
    end = BoundedDateField(label=_("until"))
    threshold = forms.IntegerField(
        label=_("Hide counts below"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("0 shows everything; 5 or 20 for figures that are published."),
    )
    visit_share = forms.FloatField(
        label=_("Share of digital contacts that replace a visit (0–1)"), min_value=0, max_value=1
    )
    km_per_visit = forms.FloatField(label=_("Kilometres travelled per visit, there and back"), min_value=0)
    co2_kg_per_km = forms.FloatField(label=_("Carbon dioxide per kilometre (kg)"), min_value=0)
    minutes_per_visit = forms.FloatField(label=_("Minutes of travel and waiting per visit"), min_value=0)
    sheets_per_contact = forms.FloatField(label=_("Sheets of paper per contact by post"), min_value=0)

    def clean(self):
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period cannot end before it starts."))
        return data


class UnitResultsForm(OutcomesForm):
    """The period of a unit's results and the small-count rule, as for program
    outcomes (without the benefit's assumptions)."""

    start = BoundedDateField(label=_("From"))
    visit_share = km_per_visit = co2_kg_per_km = minutes_per_visit = sheets_per_contact = None  # type: ignore[assignment]

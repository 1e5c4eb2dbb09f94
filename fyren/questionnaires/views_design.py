"""Instruments in the design tool: the library, the region's own, FHIR import/export."""

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from fyren.accounts.decorators import staff_required
from fyren.accounts.roles import Role
from fyren.interop.fhir.questionnaire import instrument_to_questionnaire
from fyren.programs.permissions import regions_with_role

from . import services
from .instruments import name_of
from .library import LIBRARY
from .models import Instrument


class InstrumentImportForm(forms.Form):
    region = forms.ModelChoiceField(label=gettext_lazy("Owner region"), queryset=None, empty_label=None)
    resource = forms.FileField(
        label=gettext_lazy("FHIR R4 Questionnaire (JSON)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/fhir+json"}),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the texts"),
        choices=settings.LANGUAGES,
        initial="sv",
        required=False,
        help_text=gettext_lazy("Used when the Questionnaire does not state its language."),
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions

    def clean_resource(self):
        upload = self.cleaned_data["resource"]
        if upload.size > 2 * 2**20:
            raise forms.ValidationError(_("The file is too large (at most 2 MB)."))
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise forms.ValidationError(_("The file is not valid JSON: %(error)s") % {"error": exc}) from None


@staff_required
def instruments(request):
    regions = regions_with_role(request.user, Role.DESIGNER)
    if not regions.exists():
        raise Http404
    form = InstrumentImportForm(request.POST or None, request.FILES or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        try:
            instrument = services.instrument_import(
                actor=request.user,
                region=form.cleaned_data["region"],
                resource=form.cleaned_data["resource"],
                language=form.cleaned_data["language"] or "sv",
            )
        except ValidationError as exc:
            form.add_error("resource", exc)
        else:
            messages.success(request, _("The instrument %(code)s is added.") % {"code": instrument.code})
            # What the import could not settle by itself, said plainly (an offered sum, missing safety alerts).
            for note in instrument.definition.get("import_notes") or []:
                messages.warning(request, note)
            return redirect("instruments")
    lang = get_language()
    library = [
        {"code": code, "name": name_of(d, lang), "source": d["source"], "licence": d["licence"]}
        for code, d in LIBRARY.items()
    ]
    own = Instrument.objects.filter(owner__in=regions).select_related("owner").order_by("code")
    for instrument in own:
        instrument.display_name = name_of(instrument.definition, lang)
    return render(
        request,
        "questionnaires/instruments.html",
        {"form": form, "library": library, "own": own},
        status=400 if form.errors else 200,
    )


@staff_required
def instrument_fhir(request, code):
    """An instrument as a FHIR R4 Questionnaire (library instruments for all
    staff; a region's own for its designers)."""
    definition = LIBRARY.get(code)
    if definition is None:
        instrument = Instrument.objects.filter(
            code=code, owner__in=regions_with_role(request.user, Role.DESIGNER)
        ).first()
        if instrument is None:
            raise Http404
        definition = instrument.definition
    response = JsonResponse(
        instrument_to_questionnaire(definition),
        content_type="application/fhir+json",
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
    response["Content-Disposition"] = f'attachment; filename="Questionnaire-{code}.json"'
    return response

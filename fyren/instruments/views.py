"""Instruments in the design tool: the library, the region's own, FHIR import/export."""

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fyren.accounts.decorators import staff_required
from fyren.accounts.permissions import regions_with_role
from fyren.accounts.roles import Role
from fyren.lib.forms import form_call
from fyren.lib.languages import name_local

from . import services
from .definitions import name_of
from .fhir import instrument_to_questionnaire
from .library import LIBRARY
from .models import Instrument, InstrumentTranslation
from .translations import sheet, text_nodes


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
    imported = request.method == "POST" and form_call(
        form,
        lambda data: services.instrument_import(
            actor=request.user, region=data["region"], resource=data["resource"], language=data["language"] or "sv"
        ),
        field="resource",
    )
    if imported:
        instrument = imported.result
        messages.success(request, _("The instrument %(code)s is added.") % {"code": instrument.code})
        # What the import could not settle by itself, said plainly (an offered sum, missing safety alerts).
        for note in instrument.definition.get("import_notes") or []:
            messages.warning(request, note)
        return redirect("instruments")
    lang = get_language()
    added: dict[str, list[str]] = {}
    for code, language in (
        InstrumentTranslation.objects.filter(region__in=regions).order_by("language").values_list("code", "language")
    ):
        added.setdefault(code, []).append(name_local(language))
    library = [
        {
            "code": code,
            "name": name_of(d, lang),
            "source": d["source"],
            "licence": d["licence"],
            "languages": [name_local(c) for c in d.get("languages") or ["sv"]],
            "added": sorted(set(added.get(code, []))),
        }
        for code, d in LIBRARY.items()
    ]
    own = Instrument.objects.filter(owner__in=regions).select_related("owner").order_by("code")
    for instrument in own:
        instrument.display_name = name_of(instrument.definition, lang)
        instrument.import_notes = instrument.definition.get("import_notes") or []
    return render(
        request,
        "instruments/instruments.html",
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


class TranslationForm(forms.Form):
    region = forms.ModelChoiceField(label=gettext_lazy("Region"), queryset=None, empty_label=None)
    language = forms.ChoiceField(label=gettext_lazy("Language of the translation"))
    source = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=500,
        help_text=gettext_lazy("Who made the translation, its version and year, e.g. the official translation."),
    )
    licence = forms.CharField(
        label=gettext_lazy("Right to use it"),
        max_length=500,
        help_text=gettext_lazy("Free to use, or the licence or agreement the region holds."),
    )
    sheet = forms.FileField(
        label=gettext_lazy("The filled-in sheet (CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, regions, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["language"].choices = languages

    def clean_sheet(self):
        upload = self.cleaned_data["sheet"]
        if upload.size > 2**20:
            raise forms.ValidationError(_("The file is too large (at most 1 MB)."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Save the sheet as CSV in UTF-8 and try again.")) from None


def _designer_definition(request, code):
    """The instrument (library, or a region's own) for a designer of the regions
    the user designs for; 404 for everyone else."""
    regions = regions_with_role(request.user, Role.DESIGNER)
    if not regions.exists():
        raise Http404
    if code in LIBRARY:
        return regions, LIBRARY[code]
    instrument = Instrument.objects.filter(code=code, owner__in=regions).first()
    if instrument is None:
        raise Http404
    return regions.filter(pk=instrument.owner_id), instrument.definition


@staff_required
def instrument_translations(request, code):
    """A region's licensed translations of one instrument: the sheet to fill
    in, what has been added, and adding one."""
    regions, definition = _designer_definition(request, code)
    has = set(definition.get("languages") or ["sv"])
    languages = [(c, name_local(c)) for c, _name in settings.LANGUAGES if c not in has]
    form = TranslationForm(request.POST or None, request.FILES or None, regions=regions, languages=languages)
    if request.method == "POST" and form_call(
        form,
        lambda data: services.instrument_translation_add(
            actor=request.user,
            region=data["region"],
            code=code,
            language=data["language"],
            sheet=data["sheet"],
            source=data["source"],
            licence=data["licence"],
        ),
    ):
        data = form.cleaned_data
        messages.success(
            request,
            _(
                "The translation into %(language)s is added: citizens of %(region)s who read it get the "
                "questionnaire in it."
            )
            % {"language": name_local(data["language"]), "region": data["region"].name},
        )
        return redirect("instrument_translations", code=code)
    lang = get_language()
    translations = list(
        InstrumentTranslation.objects.filter(code=code, region__in=regions)
        .select_related("region", "added_by")
        .order_by("region__name", "language")
    )
    return render(
        request,
        "instruments/translations.html",
        {
            "code": code,
            "name": name_of(definition, lang),
            "count": len(text_nodes(definition)),
            "languages": [name_local(c) for c in definition.get("languages") or ["sv"]],
            "translations": translations,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def _csv(text: str, filename: str) -> HttpResponse:
    # A byte-order mark so that spreadsheet programs read the file as UTF-8.
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_required
def instrument_sheet(request, code):
    """The texts of an instrument to translate, as CSV."""
    _regions, definition = _designer_definition(request, code)
    return _csv(sheet(definition), f"{code}-translation.csv")


def _designers_translation(request, pk) -> InstrumentTranslation:
    """A translation of a region the user designs for; 404 for everyone else."""
    translation = InstrumentTranslation.objects.filter(
        pk=pk, region__in=regions_with_role(request.user, Role.DESIGNER)
    ).first()
    if translation is None:
        raise Http404
    return translation


@staff_required
def instrument_translation_sheet(request, pk):
    """A translation already added, as the sheet it was made from (to correct it)."""
    translation = _designers_translation(request, pk)
    _regions, definition = _designer_definition(request, translation.code)
    return _csv(sheet(definition, translation.texts), f"{translation.code}-{translation.language}.csv")


@staff_required
@require_POST
def instrument_translation_remove(request, pk):
    translation = _designers_translation(request, pk)
    services.instrument_translation_remove(actor=request.user, translation=translation)
    messages.success(
        request,
        _("The translation into %(language)s is removed. Answers already given keep their texts.")
        % {"language": name_local(translation.language)},
    )
    return redirect("instrument_translations", code=translation.code)

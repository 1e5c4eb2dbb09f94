"""Forms of the design tool. Translatable texts get one field per language of
the program (``body_sv``, ``body_en``…); lists (worksheet fields, diary fields,
checklist items) are formsets with one row per entry and a blank row to add."""

from __future__ import annotations

import math

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from fyren.lib.ranges import ANY_NUMBER

from . import elements
from .conditions import OPS
from .models import Kind, Licence, ProgramVersion, TreatmentKind, UnlockRule
from .templates_library import TEMPLATES

LANGUAGE_NAMES = dict(settings.FYREN_PROGRAM_LANGUAGES)
INSTRUMENTS = [
    ("phq9", "PHQ-9"),
    ("phq2", "PHQ-2"),
    ("gad7", "GAD-7"),
    ("audit", "AUDIT"),
    ("auditc", "AUDIT-C"),
    ("madrs_s", "MADRS-S"),
    ("who5", "WHO-5"),
    ("k10", "K10"),
]
OP_LABELS = {
    "eq": _("is"),
    "ne": _("is not"),
    "gt": _("is more than"),
    "ge": _("is at least"),
    "lt": _("is less than"),
    "le": _("is at most"),
    "exists": _("is answered"),
    "not_exists": _("is not answered"),
    "contains": _("contains"),
}


def lang_label(label, lang: str) -> str:
    return f"{label} ({LANGUAGE_NAMES.get(lang, lang)})"


# Bounds a designer can give a number field (a measurement, a diary field).
BOUNDS = {"min_value": ANY_NUMBER[0], "max_value": ANY_NUMBER[1]}


class TranslatedFieldsMixin:
    """Adds ``<name>_<lang>`` fields for translatable JSON values and reads them back."""

    translated: dict[str, tuple] = {}  # name -> (label, widget factory or None, help)

    def add_translated(self, languages, initial_values: dict):
        for name, (label, textarea, help_text) in self.translated.items():
            value = initial_values.get(name) or {}
            for lang in languages:
                widget = forms.Textarea(attrs={"rows": textarea}) if textarea else forms.TextInput
                self.fields[f"{name}_{lang}"] = forms.CharField(
                    label=lang_label(label, lang),
                    required=False,
                    widget=widget,
                    initial=value.get(lang, ""),
                    help_text=help_text,
                )

    def translated_value(self, name, languages) -> dict:
        return {
            lang: self.cleaned_data.get(f"{name}_{lang}", "").strip()
            for lang in languages
            if self.cleaned_data.get(f"{name}_{lang}", "").strip()
        }


class ProgramCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    region = forms.ModelChoiceField(label=_("Owner region"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("Kind of program"), choices=Kind.choices)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=settings.FYREN_PROGRAM_LANGUAGES,
        initial=["sv"],
        widget=forms.CheckboxSelectMultiple,
    )
    template = forms.ChoiceField(
        label=_("Start from"),
        required=False,
        widget=forms.RadioSelect,
        choices=[("", _("An empty program")), *TEMPLATES.items()],
        initial="",
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        if regions.count() == 1:
            self.fields["region"].widget = forms.HiddenInput()
            self.fields["region"].initial = regions.first()


class VersionForm(TranslatedFieldsMixin, forms.Form):
    translated = {
        "title": (_("Title"), None, ""),
        "summary": (_("Summary"), 3, _("What the program is and who it is for, shown in the catalogue.")),
        "target_group": (_("Target group"), 2, ""),
        "indications": (_("Indications"), 2, _("For example: mild to moderate anxiety, worry.")),
        "contact_info": (
            _("Contact and emergency information"),
            3,
            _("How to reach the care unit, and what to do in an emergency (112, 1177)."),
        ),
        "guardian_participation": (
            _("How guardians take part"),
            3,
            _("Needed when the program is open to people under 18: what guardians see and do."),
        ),
    }
    min_age = forms.IntegerField(label=_("Youngest age"), required=False, min_value=0, max_value=120)
    max_age = forms.IntegerField(label=_("Oldest age"), required=False, min_value=0, max_value=120)
    kind = forms.ChoiceField(label=_("Kind of program"), choices=Kind.choices)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=settings.FYREN_PROGRAM_LANGUAGES, widget=forms.CheckboxSelectMultiple
    )
    licence = forms.ChoiceField(label=_("Licence"), choices=Licence.choices)
    attribution = forms.CharField(label=_("Attribution"), max_length=300, required=False)
    messaging_enabled = forms.BooleanField(label=_("Messages between patient and care team"), required=False)
    unlock_rule = forms.ChoiceField(label=_("How modules open"), choices=UnlockRule.choices, widget=forms.RadioSelect)
    unlock_interval_days = forms.IntegerField(
        label=_("Days between modules (on a schedule)"), min_value=1, max_value=365
    )

    SETTINGS = (
        "kind", "languages", "licence", "attribution", "messaging_enabled", "unlock_rule", "unlock_interval_days",
        "inactivity_days", "treatment_kind", "min_age", "max_age",
    )  # fmt: skip

    treatment_kind = forms.ChoiceField(
        label=_("Reported as treatment"),
        required=False,
        choices=[("", _("Not reported")), *TreatmentKind.choices],
        help_text=_("A completed enrolment counts as this treatment in the national follow-up."),
    )

    inactivity_days = forms.IntegerField(
        label=_("Remind the patient after this many days without activity (0: never)"),
        min_value=0,
        max_value=90,
        initial=7,
    )
    screening_instrument = forms.ChoiceField(
        label=_("Screening before self-enrolment"),
        required=False,
        help_text=_("A questionnaire the citizen answers before starting on their own."),
    )
    screening_total = forms.IntegerField(
        label=_("Not suitable when the total is at least"), required=False, min_value=0, max_value=1000
    )
    screening_item = forms.CharField(label=_("…or when question number"), required=False, max_length=20)
    screening_item_above = forms.IntegerField(
        label=_("…is answered above"), required=False, min_value=-1000, max_value=1000
    )

    def __init__(self, *args, version: ProgramVersion, **kwargs):
        initial = {name: getattr(version, name) for name in self.SETTINGS}
        screening = version.screening or {}
        rules = screening.get("rules") or []
        total = next((r for r in rules if "score" in r), {})
        item = next((r for r in rules if "item" in r), {})
        initial.update(
            screening_instrument=screening.get("instrument", ""),
            screening_total=total.get("value"),
            screening_item=item.get("item", ""),
            screening_item_above=item.get("value"),
        )
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["screening_instrument"].choices = [("", _("No screening")), *INSTRUMENTS]
        self.version = version
        self.add_translated(version.languages, {n: getattr(version, n) for n in self.translated})

    def changes(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.SETTINGS}
        for name in self.translated:
            data[name] = self.translated_value(name, self.version.languages)
        data["screening"] = self.screening()
        return data

    def screening(self) -> dict:
        instrument = self.cleaned_data.get("screening_instrument")
        if not instrument:
            return {}
        rules = []
        if self.cleaned_data.get("screening_total") is not None:
            rules.append({"score": "total", "operator": ">=", "value": self.cleaned_data["screening_total"]})
        if self.cleaned_data.get("screening_item") and self.cleaned_data.get("screening_item_above") is not None:
            rules.append(
                {
                    "item": self.cleaned_data["screening_item"].strip(),
                    "operator": ">",
                    "value": self.cleaned_data["screening_item_above"],
                }
            )
        return {"instrument": instrument, "rules": rules}


class NodeTitleForm(TranslatedFieldsMixin, forms.Form):
    translated = {"title": (_("Title"), None, "")}

    def __init__(self, *args, node, languages, with_intro=False, **kwargs):
        if with_intro:
            self.translated = {**self.translated, "intro": (_("Introduction"), 2, "")}
        super().__init__(*args, **kwargs)
        self.languages = languages
        self.add_translated(languages, {name: getattr(node, name) for name in self.translated})

    def changes(self) -> dict:
        return {name: self.translated_value(name, self.languages) for name in self.translated}


class ConditionForm(forms.Form):
    """One clause: show this only when <answer> <op> <value>."""

    cond_ref = forms.ChoiceField(label=_("Show only when"), required=False)
    cond_op = forms.ChoiceField(label=_("Comparison"), required=False, choices=[(op, OP_LABELS[op]) for op in OPS])
    cond_value = forms.CharField(label=_("Value"), required=False, max_length=100)

    def __init__(self, *args, refs: list[tuple[str, str]], condition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cond_ref"].choices = [("", _("always show")), *refs]
        self.has_refs = bool(refs) or bool(condition)
        self.compound = bool(condition) and ("all" in condition or "any" in condition)
        if condition and not self.compound:
            self.initial.update(
                cond_ref=condition.get("ref", ""),
                cond_op=condition.get("op", ""),
                cond_value=condition.get("value", ""),
            )

    def condition(self, current):
        ref = self.cleaned_data.get("cond_ref")
        if not ref:
            return current if self.compound and "cond_ref" not in self.data else None
        op = self.cleaned_data.get("cond_op") or "exists"
        clause = {"ref": ref, "op": op}
        if op not in ("exists", "not_exists"):
            raw = self.cleaned_data.get("cond_value", "").strip()
            try:
                number = float(raw.replace(",", "."))
                clause["value"] = int(number) if number.is_integer() else number
                if not math.isfinite(number) or abs(number) > 1e15:
                    clause["value"] = raw
            except ValueError:
                clause["value"] = raw
        return clause


class ListRowForm(forms.Form):
    """One row of a worksheet, diary or checklist list."""

    key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, languages, row_kind, **kwargs):
        super().__init__(*args, **kwargs)
        for lang in languages:
            self.fields[f"label_{lang}"] = forms.CharField(
                label=lang_label(_("Label"), lang), required=False, max_length=200
            )
        if row_kind == "diary":
            self.fields["type"] = forms.ChoiceField(
                label=_("Type"),
                choices=[
                    ("number", _("Number")),
                    ("scale", _("Scale")),
                    ("time", _("Time of day")),
                    ("text", _("Text")),
                    ("choice", _("Choice")),
                ],
            )
            self.fields["unit"] = forms.CharField(label=_("Unit"), required=False, max_length=20)
            self.fields["min"] = forms.FloatField(label=_("Lowest"), required=False, **BOUNDS)
            self.fields["max"] = forms.FloatField(label=_("Highest"), required=False, **BOUNDS)
            for lang in languages:
                self.fields[f"choices_{lang}"] = forms.CharField(
                    label=lang_label(_("Choices, separated by ;"), lang), required=False, max_length=500
                )
        elif row_kind == "worksheet":
            self.fields["multiline"] = forms.BooleanField(label=_("Long answer"), required=False)


ListFormSet = forms.formset_factory(ListRowForm, extra=1, can_delete=True)


class ElementForm(TranslatedFieldsMixin, forms.Form):
    """The editing form of one element, built for its kind."""

    LIST_KIND = {elements.EXERCISE: "worksheet", elements.DIARY: "diary", elements.CHECKLIST: "checklist"}
    LIST_NAME = {elements.EXERCISE: "fields", elements.DIARY: "fields", elements.CHECKLIST: "items"}
    LABELS = {
        "body": (_("Text"), 6, _("You can use Markdown: **bold**, *italic*, lists with -, links [text](https://…).")),
        "alt": (_("Alt text"), None, _("What the image shows, for people who cannot see it.")),
        "caption": (_("Caption"), None, ""),
        "title": (_("Title"), None, ""),
        "transcript": (_("Transcript"), 4, _("Everything that is said, for people who cannot hear it.")),
        "prompt": (_("Instructions"), 4, ""),
        "intro": (_("Introduction"), 2, ""),
        "label": (_("Label"), None, ""),
        "description": (_("Description"), 2, ""),
    }

    def __init__(self, *args, element, languages, instrument_choices=None, **kwargs):
        self.translated = {name: self.LABELS[name] for name in elements.TEXT_FIELDS[element.kind]}
        super().__init__(*args, **kwargs)
        self.element, self.languages = element, languages
        content = element.content or {}
        self.add_translated(languages, content)
        kind = element.kind
        if kind in elements.MEDIA_KINDS:
            accept = {
                "image": ".png,.jpg,.jpeg,.gif",
                "file": ".pdf,.png,.jpg,.jpeg,.gif",
                "video": ".mp4,.webm",
                "audio": ".mp3,.ogg",
            }[elements.MEDIA_KINDS[kind]]
            self.fields["upload"] = forms.FileField(
                label=_("Replace the file") if element.asset_id else _("File"),
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": accept}),
            )
        if kind == elements.TEXT:
            spoken = elements.spoken_files(kind, content)
            for lang in languages:
                self.fields[f"spoken_{lang}"] = forms.FileField(
                    label=lang_label(_("Spoken version"), lang),
                    required=False,
                    widget=forms.ClearableFileInput(attrs={"accept": ".mp3,.ogg"}),
                    help_text=_("A recording of the text, MP3 or Ogg. Without one, the browser may read it aloud."),
                )
                if lang in spoken:
                    self.fields[f"spoken_remove_{lang}"] = forms.BooleanField(
                        label=lang_label(_("Remove the spoken version"), lang), required=False
                    )
        if kind == elements.VIDEO:
            for lang in languages:
                self.fields[f"captions_{lang}"] = forms.CharField(
                    label=lang_label(_("Captions (WebVTT)"), lang),
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    initial=(content.get("captions") or {}).get(lang, ""),
                    help_text=_("Starts with WEBVTT, then cues such as 00:00.000 --> 00:04.000 and the text."),
                )
        elif kind == elements.EXERCISE:
            self.fields["mode"] = forms.ChoiceField(
                label=_("Answer"),
                widget=forms.RadioSelect,
                initial=content.get("mode", "free_text"),
                choices=[("free_text", _("Free text")), ("worksheet", _("Worksheet with named fields"))],
            )
        elif kind == elements.QUESTIONNAIRE:
            self.fields["instrument"] = forms.ChoiceField(
                label=_("Questionnaire"),
                required=False,
                initial=content.get("instrument", ""),
                choices=[("", _("Choose…")), *(instrument_choices or INSTRUMENTS)],
            )
            self.fields["show_result"] = forms.BooleanField(
                label=_("Show the patient the result"), required=False, initial=content.get("show_result", True)
            )
            schedule = content.get("schedule") or {}
            for name, label in (
                ("at_start", _("Send at the start")),
                ("weekly", _("Send every week")),
                ("before_each_module", _("Send before each module")),
                ("at_end", _("Send at the end")),
            ):
                self.fields[f"schedule_{name}"] = forms.BooleanField(
                    label=label, required=False, initial=bool(schedule.get(name))
                )
            self.fields["schedule_follow_up_weeks"] = forms.IntegerField(
                label=_("Follow-up, weeks after the end"),
                required=False,
                min_value=1,
                max_value=104,
                initial=schedule.get("follow_up_weeks"),
            )
        elif kind == elements.MEASUREMENT:
            self.fields["unit"] = forms.CharField(
                label=_("Unit"), max_length=20, required=False, initial=content.get("unit", "")
            )
            self.fields["min"] = forms.FloatField(
                label=_("Lowest allowed"), required=False, initial=content.get("min"), **BOUNDS
            )
            self.fields["max"] = forms.FloatField(
                label=_("Highest allowed"), required=False, initial=content.get("max"), **BOUNDS
            )
            self.fields["decimals"] = forms.IntegerField(
                label=_("Decimals"), min_value=0, max_value=4, initial=content.get("decimals", 0)
            )

    @property
    def list_kind(self):
        return self.LIST_KIND.get(self.element.kind)

    def list_formset(self, data=None):
        if not self.list_kind:
            return None
        rows = []
        for row in (self.element.content or {}).get(self.LIST_NAME[self.element.kind], []):
            initial = {
                "key": row.get("key", ""),
                **{f"label_{lang}": (row.get("label") or {}).get(lang, "") for lang in self.languages},
            }
            for name in ("type", "unit", "min", "max", "multiline"):
                if name in row:
                    initial[name] = row[name]
            for lang in self.languages:
                if row.get("choices"):
                    initial[f"choices_{lang}"] = "; ".join(c.get(lang, "") for c in row["choices"])
            rows.append(initial)
        # Bound to posted data, every row is read as typed (no initial): after an
        # autosave the page still counts a new row as extra, and it must not be lost.
        return ListFormSet(
            data,
            initial=None if data is not None else rows,
            prefix=f"e{self.element.pk}",
            form_kwargs={"languages": self.languages, "row_kind": self.list_kind},
        )

    def content(self, formset=None) -> dict:
        kind, data = self.element.kind, self.cleaned_data
        content = dict(self.element.content or {})
        for name in self.translated:
            content[name] = self.translated_value(name, self.languages)
        if kind == elements.VIDEO:
            content["captions"] = {
                lang: data.get(f"captions_{lang}", "").strip()
                for lang in self.languages
                if data.get(f"captions_{lang}", "").strip()
            }
        elif kind == elements.EXERCISE:
            content["mode"] = data["mode"]
        elif kind == elements.QUESTIONNAIRE:
            content["instrument"], content["show_result"] = data["instrument"], data["show_result"]
            content["schedule"] = {
                name: data[f"schedule_{name}"] for name in ("at_start", "weekly", "before_each_module", "at_end")
            } | {"follow_up_weeks": data["schedule_follow_up_weeks"]}
        elif kind == elements.MEASUREMENT:
            content.update(unit=data["unit"].strip(), min=data["min"], max=data["max"], decimals=data["decimals"])
        if formset is not None:
            content[self.LIST_NAME[kind]] = self._rows(formset)
        return content

    def _rows(self, formset) -> list[dict]:
        rows, used = [], set()
        self.new_keys: dict[str, str] = {}  # hidden key inputs to fill in after an autosave
        existing = {r.get("key") for r in (self.element.content or {}).get(self.LIST_NAME[self.element.kind], [])}
        for form in formset.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            label = {
                lang: data.get(f"label_{lang}", "").strip()
                for lang in self.languages
                if data.get(f"label_{lang}", "").strip()
            }
            if not label and not data.get("key"):
                continue
            key = data.get("key") or ""
            if key not in existing or key in used:
                number = len(existing | used) + 1
                while f"f{number}" in existing | used:
                    number += 1
                key = f"f{number}"
            used.add(key)
            if key != data.get("key"):
                self.new_keys[form.add_prefix("key")] = key
            row = {"key": key, "label": label}
            if self.list_kind == "diary":
                row.update(
                    type=data.get("type"), unit=data.get("unit", "").strip(), min=data.get("min"), max=data.get("max")
                )
                if data.get("type") == "choice":
                    split = {
                        lang: [c.strip() for c in data.get(f"choices_{lang}", "").split(";") if c.strip()]
                        for lang in self.languages
                    }
                    count = max((len(v) for v in split.values()), default=0)
                    row["choices"] = [
                        {lang: (split[lang][i] if i < len(split[lang]) else "") for lang in self.languages}
                        for i in range(count)
                    ]
            elif self.list_kind == "worksheet":
                row["multiline"] = bool(data.get("multiline"))
            rows.append(row)
        return rows


class AddElementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Add an element"), choices=list(elements.KINDS.items()))


class ImportForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Owner region"), queryset=None, empty_label=None)
    package = forms.FileField(
        label=_("Program package (.zip)"), widget=forms.ClearableFileInput(attrs={"accept": ".zip"})
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions

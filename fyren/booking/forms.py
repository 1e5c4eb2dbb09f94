import uuid

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from fyren.lib.forms import set_choices


def slot_label(slot) -> str:
    start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    when = f"{formats.date_format(start, 'l j F')} {start:%H:%M}–{end:%H:%M}"
    return f"{when}, {slot.schedule.title} ({slot.get_visit_kind_display()})"


class _SlotChoice(forms.Form):
    slot = forms.ChoiceField(label=_("Time"))

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._slots = {str(s.pk): s for s in slots}
        set_choices(self, "slot", [(pk, slot_label(s)) for pk, s in self._slots.items()])

    def clean_slot(self):
        return self._slots[self.cleaned_data["slot"]]


class BookForm(_SlotChoice):
    reason = forms.CharField(label=_("What is the visit about? (optional)"), max_length=200, required=False)
    client_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_token", uuid.uuid4())
        super().__init__(*args, **kwargs)


class RebookForm(_SlotChoice):
    reason = forms.CharField(label=_("Why do you move it? (optional)"), max_length=300, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why do you cancel?"), max_length=300)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Why do none of the times suit you? (optional)"), max_length=300, required=False)

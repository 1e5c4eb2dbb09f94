from django import forms
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the content is checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.gif"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class MessageForm(forms.Form):
    """A message needs text, a file, or both: neither field is required alone,
    but neither is "optional" either, so the form does not say so."""

    body = forms.CharField(
        label=_("Your message"),
        required=False,
        help_text=_("Write a message, attach a file, or both."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = MultipleFileField(
        label=_("Attach files"),
        required=False,
        help_text=_("PDF, PNG, JPG or GIF."),
    )
    client_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("body", "attachments"):
            self.fields[name].show_optional = False  # type: ignore[attr-defined]


class ContactThreadForm(MessageForm):
    subject = forms.CharField(label=_("Subject"), max_length=200)

    field_order = ["subject", "body", "attachments"]

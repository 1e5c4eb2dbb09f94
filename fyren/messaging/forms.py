from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ContactRequest


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


class ContactRequestForm(forms.Form):
    """*Kontakta mig*: what it is about, how and when the unit may reach the citizen."""

    topic = forms.CharField(label=_("What it is about, in a few words"), max_length=200)
    body = forms.CharField(
        label=_("What you want to tell the unit"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Do not wait for an answer here if it is urgent: call 1177, or 112 in an emergency."),
    )
    how = forms.ChoiceField(
        label=_("How may the unit reach you?"), widget=forms.RadioSelect, choices=ContactRequest.How.choices
    )
    phone = forms.CharField(
        label=_("Phone number"), max_length=20, required=False, help_text=_("Needed if you want to be called.")
    )
    when = forms.CharField(
        label=_("When it suits you"),
        max_length=200,
        required=False,
        help_text=_("For example: weekdays after 15, not Fridays."),
    )
    client_token = forms.UUIDField(widget=forms.HiddenInput)

from django import forms
from django.utils.translation import gettext_lazy as _

from .identity import InvalidIdentityNumber, parse_identity_number
from .models import Citizen
from .validators import normalise_mobile


class ContactForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    mobile = forms.CharField(
        label=_("Mobile number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=Citizen.Language.choices)
    notify_email = forms.BooleanField(label=_("Tell me by e-mail when something new is waiting"), required=False)
    notify_sms = forms.BooleanField(label=_("Tell me by SMS when something new is waiting"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("notify_email") and not data.get("email"):
            self.add_error("email", _("Give an e-mail address to get notices by e-mail."))
        if data.get("notify_sms") and not data.get("mobile"):
            self.add_error("mobile", _("Give a mobile number to get notices by SMS."))
        return data

    def clean_mobile(self):
        value = self.cleaned_data["mobile"].strip()
        return normalise_mobile(value) if value else ""


class IdentityNumberField(forms.CharField):
    """A personnummer or samordningsnummer; cleans to the twelve-digit form."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 15)
        kwargs.setdefault("help_text", _("YYYYMMDD-NNNN"))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return ""
        try:
            return parse_identity_number(value).digits
        except InvalidIdentityNumber as exc:
            raise forms.ValidationError(str(exc)) from None


class CitizenByNumberForm(forms.Form):
    """A citizen found by number, or registered with the names given (see
    ``people.services.citizen_by_number_or_create``)."""

    identity_number = IdentityNumberField(label=_("The citizen's identity number"))
    given_name = forms.CharField(
        label=_("Given name"),
        max_length=100,
        required=False,
        help_text=_("Only needed if the citizen is not yet registered."),
    )
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)

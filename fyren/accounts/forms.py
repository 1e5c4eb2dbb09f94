from django import forms
from django.utils.translation import gettext_lazy as _

from fyren.lib.forms import LabelledModelChoiceField, set_queryset

from .models import User
from .professions import Profession
from .roles import UNIT_ROLES, Role


class StaffLoginForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        max_length=8,
        help_text=_("Six digits. Leave empty the first time you log in: you will then set up the app."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class TotpConfirmForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class RoleAssignForm(forms.Form):
    user = forms.CharField(
        label=_("Staff member"),
        max_length=150,
        help_text=_("User name or personal HSA-id of the staff member."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=[(r.value, r.label) for r in UNIT_ROLES])

    def clean_user(self):
        value = self.cleaned_data["user"].strip()
        user = (
            User.objects.filter(kind=User.Kind.STAFF, is_active=True, username=value).first()
            or User.objects.filter(kind=User.Kind.STAFF, is_active=True, hsa_id=value).first()
        )
        if user is None:
            raise forms.ValidationError(_("No active staff member has this user name or HSA-id."))
        return user

    def clean_role(self):
        return Role(self.cleaned_data["role"])


class DisplayForm(forms.Form):
    """Larger text and high contrast (#19)."""

    text_size = forms.ChoiceField(
        label=_("Text size"), choices=User.TextSize.choices, widget=forms.RadioSelect, required=False
    )
    contrast = forms.ChoiceField(
        label=_("Contrast"), choices=User.Contrast.choices, widget=forms.RadioSelect, required=False
    )


class LicenceForm(forms.Form):
    """A staff member's licence, as the national register of licensed health-care personnel shows it."""

    user = LabelledModelChoiceField(
        label=_("Staff member"), queryset=User.objects.none(), label_of=lambda user: user.display_name
    )
    profession = forms.ChoiceField(label=_("Licensed profession"), choices=[("", _("Choose…")), *Profession.choices])
    number = forms.CharField(
        label=_("Licence number"), max_length=12, help_text=_("As in the national register (HOSP): 6 to 10 digits.")
    )
    issued_on = forms.DateField(label=_("Licence issued on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        set_queryset(self, "user", staff if staff is not None else User.objects.none())


class LicenceRevokeForm(forms.Form):
    revoked_on = forms.DateField(label=_("Revoked or restricted from"), widget=forms.DateInput(attrs={"type": "date"}))

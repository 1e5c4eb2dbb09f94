from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User
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

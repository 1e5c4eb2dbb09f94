"""Calling a service from a form so that a refusal lands on the form, next to
what the user typed (nothing typed is lost), and "not allowed" looks like
"not found"."""

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _


def errors_onto(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when
    the form has that field, otherwise at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def form_call(form, call: Callable[[dict], object]) -> bool:
    """Run ``call(cleaned_data)`` when the form is valid; True when it went through."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        errors_onto(form, exc)
        return False
    except PermissionDenied:
        raise Http404 from None
    return True


class LabelledModelChoiceField(forms.ModelChoiceField):
    """A model choice whose options are labelled by ``label_of`` (a name, not ``str()``),
    and whose empty choice says what it means instead of Django's "---------"."""

    def __init__(self, *args, label_of: Callable[[Any], str] = str, **kwargs):
        if "empty_label" not in kwargs:
            kwargs["empty_label"] = _("Choose…") if kwargs.get("required", True) else _("None")
        super().__init__(*args, **kwargs)
        self.label_of = label_of

    def label_from_instance(self, obj) -> str:
        return self.label_of(obj)


def set_queryset(form, name: str, queryset) -> None:
    """Narrow a model choice field to what this user may choose."""
    cast(forms.ModelChoiceField, form.fields[name]).queryset = queryset


def set_choices(form, name: str, choices) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = choices


def message_call(request, call: Callable[[], object], success: str) -> bool:
    """Run a service for a button without a form: its refusal becomes a message
    on the next page, "not allowed" looks like "not found"."""
    try:
        call()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, success)
    return True


def query_or_defaults(request, initial: dict) -> dict:
    """A report's form data: the query when one was sent, else its defaults as if
    submitted, so a report opens showing the figures for what its form shows."""
    if request.GET:
        return request.GET
    data = {}
    for key, value in initial.items():
        if value is None or value is False:
            continue
        data[key] = value.isoformat() if hasattr(value, "isoformat") else str(getattr(value, "pk", value))
    return data

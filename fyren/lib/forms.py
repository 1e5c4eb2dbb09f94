"""Calling a service from a form so that a refusal lands on the form, next to
what the user typed (nothing typed is lost), and "not allowed" looks like
"not found"."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Done:
    """A service call that went through, with what it returned. Always true, so
    ``if form_call(...)`` reads as "if it went through" whatever the result is."""

    result: Any = None

    def __bool__(self) -> bool:
        return True


def errors_onto(form, exc: ValidationError, field: str | None = None) -> None:
    """Put a service's ValidationError on the form: on the field it names when
    the form has that field, otherwise on ``field`` (the top when None)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else field, errors)
    else:
        form.add_error(field, exc)


def form_call(form, call: Callable[[dict], object], *, field: str | None = None) -> Done | None:
    """Run ``call(cleaned_data)`` when the form is valid: ``Done`` with its result
    when it went through, None when the form or the service refused (the
    refusal is on the form, on ``field`` when it names none)."""
    if not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data)
    except ValidationError as exc:
        errors_onto(form, exc, field)
        return None
    except PermissionDenied:
        raise Http404 from None
    return Done(result)


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


def message_call(request, call: Callable[[], object], success: str = "", *, refused: str = "") -> Done | None:
    """Run a service for a button without a form: ``Done`` with its result when it
    went through (``success`` said, if any), None when refused (the refusal, or
    ``refused`` in its place, said on the next page); "not allowed" looks like
    "not found"."""
    try:
        result = call()
    except ValidationError as exc:
        messages.error(request, refused or " ".join(exc.messages))
        return None
    except PermissionDenied:
        raise Http404 from None
    if success:
        messages.success(request, success)
    return Done(result)


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

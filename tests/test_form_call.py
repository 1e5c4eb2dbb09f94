"""The two ways a view calls a service: a refusal lands on the form (or in a
message) and changes nothing the user typed; "not allowed" is not found; what
the service made comes back to the view."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory

from fyren.lib.forms import Done, form_call, message_call


class NameForm(forms.Form):
    name = forms.CharField()
    package = forms.FileField(required=False)


def _refuse(message, **by_field):
    def call(*_args):
        raise ValidationError(by_field or message)

    return call


def test_what_the_service_made_comes_back_and_is_true_even_when_empty():
    form = NameForm({"name": "Ada"})
    done = form_call(form, lambda data: {"made": data["name"]})
    assert done == Done({"made": "Ada"}) and done.result["made"] == "Ada"
    assert form_call(NameForm({"name": "Ada"}), lambda data: [])  # went through, though the result is empty


def test_an_invalid_form_calls_nothing():
    called = []
    assert form_call(NameForm({}), lambda data: called.append(data)) is None
    assert called == []


def test_a_refusal_lands_on_the_field_it_names_else_on_the_one_given_else_at_the_top():
    form = NameForm({"name": "Ada"})
    assert form_call(form, _refuse("", name="Taken.")) is None
    assert form.errors["name"] == ["Taken."] and form.data["name"] == "Ada"
    form = NameForm({"name": "Ada"})
    assert form_call(form, _refuse("Not a package."), field="package") is None
    assert form.errors["package"] == ["Not a package."]
    form = NameForm({"name": "Ada"})
    form_call(form, _refuse("No."))
    assert form.non_field_errors() == ["No."]


def test_not_allowed_looks_like_not_found():
    def deny(*_args):
        raise PermissionDenied

    with pytest.raises(Http404):
        form_call(NameForm({"name": "Ada"}), deny)
    with pytest.raises(Http404):
        message_call(_request(), deny)


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_button_says_the_refusal_or_the_text_given_for_it_and_the_success():
    request = _request()
    assert message_call(request, _refuse("Too late."), "Done.") is None
    assert message_call(request, _refuse("Too late."), refused="Not yet: see the list.") is None
    done = message_call(request, lambda: 7, "Done.")
    assert done and done.result == 7
    assert message_call(request, lambda: None)  # nothing to say, and it went through
    assert [str(m) for m in get_messages(request)] == ["Too late.", "Not yet: see the list.", "Done."]

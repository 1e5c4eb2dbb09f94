"""Small HTTP helpers shared by views."""

import re
from collections.abc import Callable

from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe


def query_without_page(request) -> str:
    """The page's query string without ``page``, for links to other pages of a list."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def next_or(request, fallback: str) -> str:
    """The ``next`` address (form or query) if it points into this site, else ``fallback`` (no open redirects)."""
    target = request.POST.get("next") or request.GET.get("next", "")
    # Only a path on this site: "2" or "x:y" would be taken for a view name by redirect().
    if (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return fallback


_ID = re.compile(r"[0-9]{1,18}")


def id_or_none(value) -> int | None:
    """A database id from a form or an address, or None for anything else
    (text, signs, other digits such as "²", numbers too large for a column)."""
    text = str(value or "").strip()
    return int(text) if _ID.fullmatch(text) else None


_SENTINEL = 987654321987


def url_for_ids(name: str, *args) -> Callable[[int], str]:
    """``id → reverse(name, args=[*args, id])``, reversing once: for the links of a
    long list (a hundred ``{% url %}`` tags were a tenth of the dashboard's time)."""
    head, _sep, tail = reverse(name, args=[*args, _SENTINEL]).rpartition(str(_SENTINEL))
    return lambda pk: f"{head}{int(pk)}{tail}"


def select_options(choices: list[tuple[str, str]], selected: str = "") -> SafeString:
    """``<option>`` elements (escaped) with ``selected`` marked: for a select
    repeated on every row of a long list, made in Python instead of a nested
    template loop per row."""
    chosen = mark_safe(" selected")  # noqa: S308 - a constant attribute
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, chosen if str(value) == str(selected) else "", label) for value, label in choices),
    )

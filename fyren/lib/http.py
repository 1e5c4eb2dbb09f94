"""Small HTTP helpers shared by views."""

from django.utils.http import url_has_allowed_host_and_scheme


def query_without_page(request) -> str:
    """The page's query string without ``page``, for links to other pages of a list."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def next_or(request, fallback: str) -> str:
    """The ``next`` address (form or query) if it points into this site, else ``fallback`` (no open redirects)."""
    target = request.POST.get("next") or request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback

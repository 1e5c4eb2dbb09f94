from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from fyren.accounts.decorators import staff_required
from fyren.lib.http import query_without_page

from .forms import LogReviewFilterForm
from .selectors import access_log_for_review, units_reviewable_by


@staff_required
def log_review(request):
    """Systematic follow-up of the access log: filter, with emergency access and
    access outside a care relation highlighted."""
    units = units_reviewable_by(request.user)
    if not units.exists():
        raise Http404
    form = LogReviewFilterForm(request.GET or None, units=units)
    entries = access_log_for_review(actor=request.user)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        entries = access_log_for_review(
            actor=request.user,
            staff_query=data["staff"],
            citizen_identity=data["citizen"],
            unit=data["unit"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            only_flagged=data["only_flagged"],
        )
    elif form.is_bound:
        entries = entries.none()
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/log_review.html", {"form": form, "page": page, "query": query_without_page(request)})

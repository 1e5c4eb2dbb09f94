from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.accounts.decorators import staff_required
from fyren.accounts.permissions import units_where
from fyren.accounts.roles import Role
from fyren.lib import spreadsheets
from fyren.lib.http import query_without_page

from .forms import LogReviewFilterForm
from .labels import identity_label, object_label, role_label
from .selectors import access_log_for_review, units_reviewable_by
from .services import access_log_export_record


def _filtered(request):
    """The reviewer's form and the entries it selects (none while the form has errors)."""
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
    return form, entries


@staff_required
def log_review(request):
    """Systematic follow-up of the access log: filter, with emergency access and
    access outside a care relation highlighted."""
    form, entries = _filtered(request)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "region/log_review.html", {"form": form, "page": page, "query": query_without_page(request)})


class _Echo:
    def write(self, value):
        return value


@staff_required
def log_review_export(request):
    """The filtered rows as CSV (UTF-8 with BOM, for spreadsheet programs). The
    export is itself logged for every citizen in it, and audited with its filter."""
    form, entries = _filtered(request)
    unit = units_where(request.user, Role.LOG_REVIEWER).order_by("pk").first()
    filters = {k: v for k, v in request.GET.items() if k != "page" and v}
    access_log_export_record(actor=request.user, entries=entries, unit=unit, filters=filters)
    writer = spreadsheets.writer(_Echo())
    header = [
        _("Time"),
        _("Staff member"),
        _("Role"),
        _("Care unit"),
        _("Citizen"),
        _("Action"),
        _("What"),
        _("Emergency access"),
        _("Outside care relation"),
        _("Reason"),
        _("Request id"),
    ]

    def rows():
        yield "\ufeff" + writer.writerow(header)
        for entry in entries.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                    entry.actor_label,
                    role_label(entry.role),
                    entry.unit_label,
                    identity_label(entry.citizen_identity),
                    entry.get_action_display(),
                    object_label(entry.object_type),
                    _("Yes") if entry.emergency else "",
                    _("Yes") if entry.outside_care_relation else "",
                    entry.reason,
                    entry.request_id,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    filename = f"fyren-log-review-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

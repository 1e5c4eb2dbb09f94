"""The unit's lists: the dashboard, flags and absence."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fyren.accounts.decorators import staff_required
from fyren.accounts.permissions import has_role, unit_for_role_or_404
from fyren.accounts.roles import Role
from fyren.flags import services as flag_services
from fyren.flags.models import Flag
from fyren.flags.routing import absences_on
from fyren.lib.forms import form_call, message_call
from fyren.lib.http import id_or_none, next_or, query_without_page, url_for_ids

from .. import selectors as workspace
from ..forms import AbsenceForm, FlagAcknowledgeForm

# --- dashboard ----------------------------------------------------------------------------


def _dashboard_filters(query) -> dict:
    """The dashboard's filters from the address, each one checked (anything else: the default)."""
    sort = query.get("sort", "flags")
    flag_kind = query.get("flag", "")
    size = id_or_none(query.get("per_page"))
    return {
        "mine": query.get("scope", "mine") == "mine",
        "sort": sort if sort in workspace.SORTS else "flags",
        "flag_kind": flag_kind if flag_kind in {"any", *Flag.Kind.values} else "",
        "program_id": id_or_none(query.get("program")),
        "module": id_or_none(query.get("module")),
        "per_page": size if size is not None and size in workspace.PAGE_SIZES else 100,
    }


SORT_LABELS = [
    ("flags", gettext_lazy("Flags first")),
    ("activity", gettext_lazy("Least recently active first")),
    ("name", gettext_lazy("Name")),
    ("module", gettext_lazy("Module")),
    ("program", gettext_lazy("Program")),
]


def _dashboard_cells(rows, unit) -> None:
    """What each row shows, made once in Python: per row and cell, template tags
    (links, translations, dates) cost more than the rest of the page together."""
    enrolment_url = url_for_ids("clinic:enrolment", unit.pk)
    thread_url = url_for_ids("clinic:enrolment_thread", unit.pk)
    of = _("%(n)s of %(total)s")
    for row in rows:
        enrolment = row.enrolment
        row.url = enrolment_url(enrolment.pk)
        row.thread_url = thread_url(enrolment.pk)
        row.module_text = of % {"n": enrolment.module_number, "total": enrolment.module_count}
        row.program_title = enrolment.program_version.display_title
        at = enrolment.last_activity_at
        row.last_activity = timezone.localtime(at).date().isoformat() if at else ""


@staff_required
def dashboard(request, unit_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    filters = _dashboard_filters(request.GET)
    rows = workspace.dashboard_rows(actor=request.user, unit=unit, page=request.GET.get("page"), **filters)
    _dashboard_cells(rows, unit)
    return render(
        request,
        "clinic/dashboard.html",
        {
            **filters,
            "unit": unit,
            "rows": rows,
            "page": rows,
            "programs": workspace.programs_running_at(unit),
            "flag_kinds": Flag.Kind.choices,
            "sorts": SORT_LABELS,
            "query": query_without_page(request),
        },
    )


# --- flags --------------------------------------------------------------------------------


@staff_required
def flags(request, unit_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN, Role.ENROLMENT_ADMIN)
    mine = request.GET.get("scope") == "mine"
    kind = request.GET.get("kind", "")
    kind = kind if kind in Flag.Kind.values else ""
    show_acknowledged = request.GET.get("handled") == "1"
    urgent_only = request.GET.get("urgent") == "1"
    rows = workspace.flags_for(
        actor=request.user,
        unit=unit,
        mine=mine,
        kind=kind,
        urgent_only=urgent_only,
        show_acknowledged=show_acknowledged,
        page=request.GET.get("page"),
    )
    return render(
        request,
        "clinic/flags.html",
        {
            "unit": unit,
            "flags": rows,
            "page": rows,
            "query": query_without_page(request),
            "mine": mine,
            "kind": kind,
            "kinds": Flag.Kind.choices,
            "show_acknowledged": show_acknowledged,
            "urgent_only": urgent_only,
            "is_clinician": has_role(request.user, Role.CLINICIAN, unit),
        },
    )


@staff_required
@require_POST
def flag_acknowledge(request, unit_id, flag_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN, Role.ENROLMENT_ADMIN)
    flag = Flag.objects.filter(pk=flag_id, unit=unit).first()
    if flag is None:
        raise Http404
    form = FlagAcknowledgeForm(request.POST, prefix=f"flag{flag.pk}")
    if form.is_valid():
        note = form.cleaned_data["note"]
        message_call(
            request,
            lambda: flag_services.flag_acknowledge(actor=request.user, flag=flag, note=note),
            _("The flag is acknowledged."),
        )
    else:
        messages.error(request, _("Write what you did about the flag before you acknowledge it."))
    return redirect(next_or(request, reverse("clinic:flags", args=[unit.pk])))


# --- absence ------------------------------------------------------------------------------


@staff_required
def absences(request, unit_id):
    """Who is away. Clinicians mark themselves; enrolment admins mark anyone."""
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN, Role.ENROLMENT_ADMIN)
    is_admin = has_role(request.user, Role.ENROLMENT_ADMIN, unit)
    clinicians = list(workspace.unit_clinicians(unit))
    choosable = clinicians if is_admin else [c for c in clinicians if c.pk == request.user.pk]
    form = AbsenceForm(request.POST or None, clinicians=choosable, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form_call(
        form,
        lambda d: flag_services.absence_add(
            actor=request.user,
            user=next(c for c in choosable if str(c.pk) == d["user"]),
            unit=unit,
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
        ),
    ):
        messages.success(request, _("The absence is recorded. Flags and messages go to the others meanwhile."))
        return redirect("clinic:absences", unit_id=unit.pk)
    today = timezone.localdate()
    current = list(
        absences_on(unit, today).select_related("user")
        | unit.absences.filter(starts_on__gt=today).select_related("user")
    )
    return render(
        request,
        "clinic/absences.html",
        {"unit": unit, "form": form, "absences": current, "is_admin": is_admin},
        status=400 if form.errors else 200,
    )


@staff_required
@require_POST
def absence_end(request, unit_id, absence_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN, Role.ENROLMENT_ADMIN)
    absence = unit.absences.filter(pk=absence_id).first()
    if absence is None:
        raise Http404
    message_call(
        request, lambda: flag_services.absence_end(actor=request.user, absence=absence), _("The absence is ended.")
    )
    return redirect("clinic:absences", unit_id=unit.pk)

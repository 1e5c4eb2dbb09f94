"""The clinician workspace: dashboard, flags, absence, the enrolment's overview and
what the clinician does there, handover, and the journal export."""

import datetime as dt
import json
from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fyren.accounts.decorators import staff_required
from fyren.accounts.permissions import has_role, unit_for_role_or_404
from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry, AuditEvent
from fyren.audit.services import access_log_write
from fyren.care import services as care_services
from fyren.care.journey import hidden_keys, plan_for
from fyren.care.models import DiaryEntry, Enrolment
from fyren.interop.fhir.bundle import journal_bundle as build
from fyren.lib.http import id_or_none, next_or, query_without_page
from fyren.messaging.models import Message
from fyren.organisations.models import CareUnit
from fyren.programs.models import Program
from fyren.programs.tree import load_tree
from fyren.questionnaires.charts import series_for
from fyren.questionnaires.models import Response

from . import selectors as workspace
from . import services
from .forms import (
    AbsenceForm,
    ClinicianChoiceForm,
    EndForm,
    FlagAcknowledgeForm,
    HandoverForm,
    JournalPeriodForm,
    NoteForm,
)
from .journal import default_period, note_text, summary_for
from .models import Flag, Handover, JournalExport
from .routing import absences_on
from .views import _activity, _enrolment_or_404, send_add_form

# --- dashboard ----------------------------------------------------------------------------


@staff_required
def dashboard(request, unit_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    mine = request.GET.get("scope", "mine") == "mine"
    sort = request.GET.get("sort", "flags")
    sort = sort if sort in workspace.SORTS else "flags"
    flag_kind = request.GET.get("flag", "")
    flag_kind = flag_kind if flag_kind in {"any", *Flag.Kind.values} else ""
    program_id = id_or_none(request.GET.get("program"))
    module = id_or_none(request.GET.get("module"))
    size = id_or_none(request.GET.get("per_page"))
    per_page = size if size is not None and size in workspace.PAGE_SIZES else 100
    rows = workspace.dashboard_rows(
        actor=request.user,
        unit=unit,
        mine=mine,
        flag_kind=flag_kind,
        program_id=program_id,
        module=module,
        sort=sort,
        page=request.GET.get("page"),
        per_page=per_page,
    )
    programs = Program.objects.filter(
        versions__enrolments__unit=unit, versions__enrolments__status__in=Enrolment.OPEN_STATUSES
    ).distinct()
    return render(
        request,
        "clinic/dashboard.html",
        {
            "unit": unit,
            "rows": rows,
            "mine": mine,
            "sort": sort,
            "flag_kind": flag_kind,
            "program_id": program_id,
            "module": module,
            "programs": programs,
            "flag_kinds": Flag.Kind.choices,
            "sorts": [
                ("flags", _("Flags first")),
                ("activity", _("Least recently active first")),
                ("name", _("Name")),
                ("module", _("Module")),
                ("program", _("Program")),
            ],
            "page": rows,
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
        try:
            services.flag_acknowledge(actor=request.user, flag=flag, note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The flag is acknowledged."))
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
    if request.method == "POST" and form.is_valid():
        user = next(c for c in choosable if str(c.pk) == form.cleaned_data["user"])
        try:
            services.absence_add(
                actor=request.user,
                user=user,
                unit=unit,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
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
    try:
        services.absence_end(actor=request.user, absence=absence)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The absence is ended."))
    return redirect("clinic:absences", unit_id=unit.pk)


# --- the enrolment ------------------------------------------------------------------------


def _weekly_activity(enrolment, rows, messages_sent, weeks=12):
    """Things done per week (Monday first) for the last ``weeks`` weeks, oldest first."""
    today = timezone.localdate()
    this_monday = today - dt.timedelta(days=today.weekday())
    mondays = [this_monday - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    counts: Counter[dt.date] = Counter()
    for at in [r["at"] for r in rows] + messages_sent:
        day = timezone.localtime(at).date()
        counts[day - dt.timedelta(days=day.weekday())] += 1
    top = max([counts[m] for m in mondays] + [1])
    return [
        {
            "week": m,
            "count": counts[m],
            "height": round(100 * counts[m] / top),
            "y": 110 - round(100 * counts[m] / top),
            "x": 10 + i * 50,
            "label_x": 28 + i * 50,
        }
        for i, m in enumerate(mondays)
    ]


def _timeline(enrolment, activity, notes, flags, thread_messages, exports):
    events = [{"at": enrolment.started_at, "what": _("Program started"), "who": enrolment.started_by}]
    for row in activity:
        events.append({"at": row["at"], "what": _("Patient activity"), "who": row["who"], "detail": row})
    for note in notes:
        events.append({"at": note.created_at, "what": _("Clinician note"), "who": note.author, "text": note.text})
    for flag in flags:
        events.append({"at": flag.created_at, "what": flag.get_kind_display(), "flag": flag})
        if flag.acknowledged_at:
            events.append(
                {
                    "at": flag.acknowledged_at,
                    "what": _("Flag acknowledged"),
                    "who": flag.acknowledged_by,
                    "text": flag.acknowledgement_note,
                }
            )
    for message in thread_messages:
        what = _("Message from the patient's side") if message.from_citizen else _("Message from the care team")
        events.append({"at": message.sent_at, "what": what, "who": message.sender})
    for export in exports:
        events.append(
            {"at": export.exported_at, "what": _("Exported to the medical record"), "who": export.exported_by}
        )
    audit = AuditEvent.objects.filter(object_type="care.Enrolment", object_id=str(enrolment.pk)).select_related("actor")
    labels = {
        "enrolment.phase": _("Phase changed"),
        "enrolment.end": _("Program ended"),
        "enrolment.hide": _("Content hidden"),
        "enrolment.show": _("Content shown again"),
        "module.open": _("Module opened by the clinician"),
        "enrolment.clinicians": _("Responsible clinicians changed"),
    }
    for event in audit:
        if event.action in labels:
            events.append({"at": event.at, "what": labels[event.action], "who": event.actor})
    return sorted(events, key=lambda e: e["at"], reverse=True)


@staff_required
def enrolment_view(request, unit_id, enrolment_id):
    """The enrolment's overview: activity, scores, progress, work, timeline, actions."""

    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    enrolment = _enrolment_or_404(request, unit, enrolment_id)
    lang = get_language()
    tree = load_tree(enrolment.program_version)
    hidden = hidden_keys(enrolment)
    plan = plan_for(enrolment)
    activity = _activity(enrolment, limit=500)
    thread_messages = list(
        Message.objects.filter(thread__enrolment=enrolment, status="sent").select_related("sender").order_by("sent_at")
    )
    responses = list(Response.objects.filter(enrolment=enrolment, status="completed").order_by("submitted_at"))
    by_code: dict = {}
    for response in responses:
        by_code.setdefault(response.instrument_code, []).append(response)
    series = [series_for(rs) for _code, rs in sorted(by_code.items())]
    notes = list(enrolment.notes.select_related("author"))
    enrolment_flags = list(enrolment.flags.select_related("acknowledged_by").order_by("-created_at"))
    exports = list(JournalExport.objects.filter(enrolment=enrolment).select_related("exported_by"))
    elements = {e.key: e for e in tree.elements()}
    diary = [
        {"entry": entry, "element": elements.get(entry.element_key)}
        for entry in DiaryEntry.objects.filter(enrolment=enrolment).order_by("-day")[:200]
    ]
    clinicians = list(workspace.unit_clinicians(unit))
    handover_units = CareUnit.objects.active_on().exclude(pk=unit.pk).select_related("region")
    pending_handover = enrolment.handovers.filter(status=Handover.Status.PENDING).select_related("to_unit").first()
    last_export = exports[0] if exports else None
    return render(
        request,
        "clinic/enrolment.html",
        {
            "unit": unit,
            "enrolment": enrolment,
            "citizen": enrolment.citizen,
            "lang": lang,
            "tree": tree,
            "hidden": hidden,
            "states": plan.states,
            "exercises": [row for row in activity if row.get("answer")],
            "weeks": _weekly_activity(enrolment, activity, [m.sent_at for m in thread_messages if m.from_citizen]),
            "series": [s for s in series if s is not None],
            "notes": notes,
            "flags": enrolment_flags,
            "timeline": _timeline(enrolment, activity, notes, enrolment_flags, thread_messages, exports)[:100],
            "diary": diary,
            "exports": exports,
            "last_export": last_export,
            "note_form": NoteForm(),
            "end_form": EndForm(),
            "handover_form": HandoverForm(units=handover_units),
            "pending_handover": pending_handover,
            "clinician_form": ClinicianChoiceForm(
                clinicians=clinicians,
                initial={"clinicians": [str(pk) for pk in enrolment.clinicians.values_list("pk", flat=True)]},
            ),
            "responsible": list(enrolment.clinicians.all()),
            "add_form": send_add_form(request, enrolment),
            "sends": list(enrolment.sends.all()),
            "unread": sum(1 for m in thread_messages if m.from_citizen and not m.read_at),
        },
    )


def _enrolment_action(view):
    """Shared frame of the POST actions on an enrolment: unit, logged read, back to the overview."""

    @staff_required
    @require_POST
    def wrapper(request, unit_id, enrolment_id):
        unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
        enrolment = _enrolment_or_404(request, unit, enrolment_id)
        try:
            text = view(request, unit, enrolment)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if text:
                messages.success(request, text)
        return redirect(next_or(request, reverse("clinic:enrolment", args=[unit.pk, enrolment.pk])))

    wrapper.__name__ = view.__name__
    return wrapper


@_enrolment_action
def note_add(request, unit, enrolment):
    services.clinician_note_add(actor=request.user, enrolment=enrolment, text=request.POST.get("text", ""))
    return _("The note is saved.")


@_enrolment_action
def visibility_set(request, unit, enrolment):
    hidden = request.POST.get("hidden") == "1"
    services.content_visibility_set(
        actor=request.user, enrolment=enrolment, key=request.POST.get("key", ""), hidden=hidden
    )
    return _("Hidden for this patient.") if hidden else _("Shown to the patient again.")


@_enrolment_action
def module_open(request, unit, enrolment):
    services.module_open(actor=request.user, enrolment=enrolment, module_key=request.POST.get("key", ""))
    return _("The module is open for the patient.")


@_enrolment_action
def phase_set(request, unit, enrolment):
    maintenance = request.POST.get("phase") == "maintenance"
    services.enrolment_phase_set(actor=request.user, enrolment=enrolment, maintenance=maintenance)
    return _("The enrolment is in its maintenance phase.") if maintenance else _("The enrolment is active again.")


@_enrolment_action
def end(request, unit, enrolment):
    form = EndForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Choose how the program ended."))
    care_services.enrolment_end(
        actor=request.user,
        enrolment=enrolment,
        completed=form.cleaned_data["outcome"] == "completed",
        reason=form.cleaned_data["reason"],
    )
    return _("The program is ended. The patient keeps read access to the material.")


@_enrolment_action
def clinicians_set(request, unit, enrolment):
    clinicians = list(workspace.unit_clinicians(unit))
    form = ClinicianChoiceForm(request.POST, clinicians=clinicians)
    if not form.is_valid():
        raise ValidationError(_("Choose clinicians of this unit."))
    chosen = set(form.cleaned_data["clinicians"])
    services.enrolment_clinicians_set(
        actor=request.user, enrolment=enrolment, clinicians=[c for c in clinicians if str(c.pk) in chosen]
    )
    return _("The responsible clinicians are changed.")


@_enrolment_action
def handover_request(request, unit, enrolment):
    units = CareUnit.objects.active_on().exclude(pk=unit.pk).select_related("region")
    form = HandoverForm(request.POST, units=units)
    if not form.is_valid():
        raise ValidationError(_("Choose the receiving unit and write the reason."))
    services.handover_request(
        actor=request.user,
        enrolment=enrolment,
        to_unit=units.get(pk=form.cleaned_data["to_unit"]),
        reason=form.cleaned_data["reason"],
    )
    return _("The receiving unit is asked to accept the handover.")


# --- handover, the receiving side ---------------------------------------------------------


@staff_required
def handovers(request, unit_id):
    """Handovers waiting for this unit to accept, and the unit's own requests."""
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN, Role.ENROLMENT_ADMIN)
    incoming = workspace.handovers_incoming_for(actor=request.user, unit=unit)
    outgoing = list(
        Handover.objects.filter(from_unit=unit).select_related("to_unit", "decided_by", "enrolment__program_version")[
            :50
        ]
    )
    return render(request, "clinic/handovers.html", {"unit": unit, "incoming": incoming, "outgoing": outgoing})


@staff_required
@require_POST
def handover_decide(request, unit_id, handover_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN, Role.ENROLMENT_ADMIN)
    handover = Handover.objects.filter(pk=handover_id, to_unit=unit).first()
    if handover is None:
        raise Http404
    accept = request.POST.get("decision") == "accept"
    try:
        services.handover_decide(actor=request.user, handover=handover, accept=accept)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("clinic:handovers", unit_id=unit.pk)
    if accept:
        messages.success(request, _("The enrolment is now at this unit."))
        if has_role(request.user, Role.CLINICIAN, unit):
            return redirect("clinic:enrolment", unit_id=unit.pk, enrolment_id=handover.enrolment_id)
    else:
        messages.success(request, _("The handover is declined; the enrolment stays where it was."))
    return redirect("clinic:handovers", unit_id=unit.pk)


# --- journal export -----------------------------------------------------------------------


@staff_required
def journal(request, unit_id, enrolment_id):
    """Preview the journal note for a period; marking it exported is a separate POST."""

    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    enrolment = _enrolment_or_404(request, unit, enrolment_id)
    start, end_day = default_period(enrolment, days=settings.FYREN_JOURNAL_DEFAULT_DAYS)
    data = request.POST if request.method == "POST" else (request.GET if "period_start" in request.GET else None)
    form = JournalPeriodForm(data, initial={"period_start": start, "period_end": end_day})
    if form.is_bound and form.is_valid():
        start, end_day = form.cleaned_data["period_start"], form.cleaned_data["period_end"]
        if request.method == "POST":
            try:
                export = services.journal_export_record(
                    actor=request.user, enrolment=enrolment, start=start, end=end_day, lang=get_language()
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Marked as exported. Copy the note into the medical record."))
                return redirect("clinic:journal_export", unit_id=unit.pk, export_id=export.pk)
    summary = summary_for(enrolment, start=start, end=end_day, lang=get_language())
    return render(
        request,
        "clinic/journal.html",
        {
            "unit": unit,
            "enrolment": enrolment,
            "form": form,
            "summary": summary,
            "note": note_text(summary),
            "exports": enrolment.journal_exports.select_related("exported_by"),
        },
        status=400 if form.errors else 200,
    )


def _export_or_404(request, unit, export_id):
    export = JournalExport.objects.filter(pk=export_id, enrolment__unit=unit).first()
    if export is None:
        raise Http404
    export.enrolment = _enrolment_or_404(request, unit, export.enrolment_id)
    return export


@staff_required
def journal_export(request, unit_id, export_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    export = _export_or_404(request, unit, export_id)
    return render(
        request, "clinic/journal_export.html", {"unit": unit, "export": export, "enrolment": export.enrolment}
    )


@staff_required
def journal_bundle(request, unit_id, export_id):
    """The export as a FHIR R4 Bundle (JSON download). Logged as an export."""

    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    export = _export_or_404(request, unit, export_id)
    enrolment = export.enrolment
    access_log_write(
        actor=request.user,
        citizen=enrolment.citizen,
        action=AccessLogEntry.Action.EXPORT,
        object_type="fhir_bundle",
        object_id=export.pk,
        role=Role.CLINICIAN,
        unit=unit,
    )
    summary = summary_for(enrolment, start=export.period_start, end=export.period_end, lang=get_language())
    bundle = build(summary, note=export.note, export=export, unit=unit)
    response = HttpResponse(json.dumps(bundle, ensure_ascii=False, indent=2), content_type="application/fhir+json")
    response["Content-Disposition"] = f'attachment; filename="fyren-journal-{export.pk}.json"'
    response["Cache-Control"] = "private, no-store"
    return response

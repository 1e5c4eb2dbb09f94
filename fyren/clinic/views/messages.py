"""The unit's messages: the inbox of unanswered threads, threads, contact threads."""

import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fyren.accounts.decorators import staff_required
from fyren.accounts.permissions import has_role, unit_for_role_or_404
from fyren.accounts.roles import Role
from fyren.care import selectors as care_selectors
from fyren.lib.forms import form_call, message_call
from fyren.lib.http import id_or_none, next_or, query_without_page, select_options, url_for_ids
from fyren.messaging import selectors, services
from fyren.messaging.forms import ContactThreadForm
from fyren.messaging.models import Thread
from fyren.messaging.services import unit_answer_time_set, unit_contact_requests_set
from fyren.messaging.views import handle_message_post, message_form_for, serve_attachment

from ..selectors import enrolment_for_clinician_or_404, unit_clinicians


def _inbox_cells(threads, unit, clinicians) -> None:
    """What each row of the inbox shows, made once in Python (links, times, the
    assignment select's options): per row and cell, template tags cost more than
    the rest of the page (decisions #81)."""
    thread_url = url_for_ids("clinic:thread", unit.pk)
    assign_url = url_for_ids("clinic:thread_assign", unit.pk)
    handled_url = url_for_ids("clinic:thread_handled", unit.pk)
    choices = [("", _("Anyone")), *((str(c.pk), c.display_name) for c in clinicians)]
    options: dict = {}
    for thread in threads:
        thread.url = thread_url(thread.pk)
        thread.assign_url = assign_url(thread.pk)
        thread.handled_url = handled_url(thread.pk)
        chosen = thread.assigned_to_id or ""
        if chosen not in options:  # as many variants as clinicians, whatever the number of rows
            options[chosen] = select_options(choices, chosen)
        thread.assign_options = options[chosen]
        since = timezone.localtime(thread.waiting_since)
        thread.waiting_iso, thread.waiting_text = since.isoformat(), since.strftime("%Y-%m-%d %H:%M")
        thread.about = thread.enrolment.program_version.display_title if thread.enrolment_id else thread.subject


@staff_required
def inbox(request, unit_id):
    """Unanswered messages, oldest first, with how long they have waited."""
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN, Role.ENROLMENT_ADMIN)
    mine = request.GET.get("scope") == "mine"
    threads = selectors.inbox_for(actor=request.user, unit=unit, mine=mine, page=request.GET.get("page"))
    _inbox_cells(threads, unit, unit_clinicians(unit))
    return render(
        request,
        "clinic/inbox.html",
        {
            "unit": unit,
            "threads": threads,
            "page": threads,
            "query": query_without_page(request),
            "mine": mine,
            "may_set_answer_time": has_role(request.user, Role.ENROLMENT_ADMIN, unit),
        },
    )


@staff_required
@require_POST
def answer_time_set(request, unit_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.ENROLMENT_ADMIN)
    hours = request.POST.get("hours", "")
    message_call(
        request,
        lambda: unit_answer_time_set(actor=request.user, unit=unit, hours=min(id_or_none(hours) or 0, 100_000)),
        _("The answer time is changed."),
    )
    return redirect("clinic:inbox", unit_id=unit.pk)


@staff_required
@require_POST
def contact_requests_set(request, unit_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.ENROLMENT_ADMIN)
    accepts = request.POST.get("accepts") == "1"
    message_call(
        request,
        lambda: unit_contact_requests_set(actor=request.user, unit=unit, accepts=accepts),
        _("Contact requests are now taken.") if accepts else _("Contact requests are no longer taken."),
    )
    return redirect("clinic:inbox", unit_id=unit.pk)


@staff_required
def thread(request, unit_id, thread_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    posted = request.method == "POST"
    the_thread = selectors.thread_for_staff_or_404(
        actor=request.user, unit=unit, thread_id=thread_id, messages=not posted
    )
    form = None
    if posted:
        form, response = handle_message_post(request, the_thread, from_citizen=False)
        if response is not None:
            return response
    else:
        services.thread_mark_read(actor=request.user, thread=the_thread, from_citizen=False)
    selectors.with_sent_messages(the_thread)  # shown (after a mistake: with what was typed)
    if form is None:
        form = message_form_for(actor=request.user, thread=the_thread)
    return render(
        request,
        "clinic/thread.html",
        {
            "unit": unit,
            "thread": the_thread,
            "form": form,
            "staff_view": True,
        },
        status=400 if form.errors else 200,
    )


@staff_required
@require_POST
def thread_handled(request, unit_id, thread_id):
    """Mark that what the citizen wrote needs no answer."""
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    the_thread = selectors.thread_for_staff_or_404(actor=request.user, unit=unit, thread_id=thread_id, messages=False)
    services.thread_mark_handled(actor=request.user, thread=the_thread)
    messages.success(request, _("Marked as needing no answer."))
    return redirect(next_or(request, reverse("clinic:inbox", args=[unit.pk])))


@staff_required
@require_POST
def thread_assign(request, unit_id, thread_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN, Role.ENROLMENT_ADMIN)
    # Enrolment admins assign without reading the conversation; the service checks the role.
    the_thread = Thread.objects.filter(pk=thread_id, unit=unit).first()
    if the_thread is None:
        raise Http404
    assignee = unit_clinicians(unit).filter(pk=id_or_none(request.POST.get("assignee"))).first()
    message_call(
        request,
        lambda: services.thread_assign(actor=request.user, thread=the_thread, assignee=assignee),
        _("The conversation is assigned."),
    )
    return redirect(next_or(request, reverse("clinic:inbox", args=[unit.pk])))


@staff_required
def thread_attachment(request, unit_id, thread_id, attachment_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    the_thread = selectors.thread_for_staff_or_404(actor=request.user, unit=unit, thread_id=thread_id, messages=False)
    return serve_attachment(selectors.attachment_in_thread_or_404(the_thread, attachment_id))


@staff_required
def enrolment_thread(request, unit_id, enrolment_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    enrolment = enrolment_for_clinician_or_404(actor=request.user, unit=unit, enrolment_id=enrolment_id)
    the_thread = services.thread_for_enrolment(enrolment)
    return redirect("clinic:thread", unit_id=unit.pk, thread_id=the_thread.pk)


@staff_required
def contact_thread_new(request, unit_id, citizen_id):
    """Open a conversation with a patient outside any program."""
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    citizen = care_selectors.citizen_get_for_clinician(actor=request.user, unit=unit, citizen_id=citizen_id)
    if not getattr(citizen, "in_care", False):  # emergency access is not for writing
        raise Http404
    form = ContactThreadForm(request.POST or None, request.FILES or None, initial={"client_token": uuid.uuid4()})
    started = request.method == "POST" and form_call(
        form,
        lambda data: services.contact_thread_start(
            actor=request.user,
            unit=unit,
            citizen=citizen,
            subject=data["subject"],
            body=data["body"],
            client_token=data["client_token"],
            files=data["attachments"],
        ),
    )
    if started:
        messages.success(request, _("Your message is sent."))
        return redirect("clinic:thread", unit_id=unit.pk, thread_id=started.result.pk)
    return render(
        request,
        "clinic/contact_thread_new.html",
        {"unit": unit, "citizen": citizen, "form": form},
        status=400 if form.errors else 200,
    )

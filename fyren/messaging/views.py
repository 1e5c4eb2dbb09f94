"""The citizen's messages, and the form handling both sides share."""

import uuid
from datetime import timedelta

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.accounts.decorators import citizen_required
from fyren.care.journey import enrolment_for_user_or_404, enrolments_for_user
from fyren.care.models import Enrolment
from fyren.lib.forms import form_call
from fyren.lib.uploads import refused_uploads, upload_too_large_message
from fyren.people.selectors import citizen_of_user

from . import selectors, services
from .forms import ContactRequestForm, MessageForm

URGENT_GUIDANCE_HOURS = 24


def message_form_for(*, actor, thread, data=None, files=None) -> MessageForm:
    """The reply form: bound on POST; otherwise with the writer's draft and a fresh client token."""
    if data is not None:
        return MessageForm(data, files)
    draft = selectors.draft_for(actor=actor, thread=thread)
    return MessageForm(initial={"body": draft.body if draft else "", "client_token": uuid.uuid4()})


def handle_message_post(request, thread, *, from_citizen: bool):
    """Save a draft (autosave or the Save button) or send. Returns (form, response):
    a response to return, or the bound form with errors to render again. What was
    typed is kept as a draft whenever sending fails."""
    form = message_form_for(actor=request.user, thread=thread, data=request.POST, files=request.FILES)
    autosave = request.headers.get("X-Autosave") == "1"
    body = request.POST.get("body", "")
    note = services.draft_note(body)
    if autosave or request.POST.get("action") == "draft":
        services.message_draft_save(actor=request.user, thread=thread, body=body, from_citizen=from_citizen)
        if autosave:
            return form, JsonResponse({"ok": True, "message": " ".join(filter(None, [_("Draft saved."), note]))})
        messages.success(request, _("Your draft is saved."))
        if note:
            messages.warning(request, note)
        return form, redirect(request.path)
    too_large = refused_uploads(request)
    if not form.is_valid() or too_large:
        for name in too_large:
            form.add_error(None, upload_too_large_message(name))
        services.message_draft_save(actor=request.user, thread=thread, body=body, from_citizen=from_citizen)
        return form, None
    sent = form_call(
        form,
        lambda data: services.message_send(
            actor=request.user,
            thread=thread,
            body=data["body"],
            from_citizen=from_citizen,
            client_token=data["client_token"],
            files=data["attachments"],
        ),
    )
    if not sent:
        services.message_draft_save(actor=request.user, thread=thread, body=body, from_citizen=from_citizen)
        if form.has_error("attachments"):
            form.add_error(None, _("Your text is kept. Choose the files again before you send."))
        return form, None
    messages.success(request, _("Your message is sent."))
    return form, redirect(f"{request.path}#message-{sent.result.pk}")


def urgent_guidance_due(thread) -> bool:
    """Show where to get help now when the citizen's side recently wrote urgent words."""
    mine = [m for m in thread.sent if m.from_citizen]
    if not mine or not mine[-1].urgent_phrases:
        return False
    return mine[-1].sent_at >= timezone.now() - timedelta(hours=URGENT_GUIDANCE_HOURS)


def serve_attachment(attachment) -> FileResponse:
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=attachment.content_type == "application/pdf",
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@citizen_required
def inbox(request):
    """The citizen's conversations, and the care teams of their running programs
    they have not written to yet (a conversation starts on the first visit)."""
    threads = list(selectors.threads_for_citizen_user(request.user))
    started = {t.enrolment_id for t in threads}
    unstarted = [
        e
        for e in enrolments_for_user(request.user).filter(status__in=Enrolment.OPEN_STATUSES)
        if e.program_version.messaging_enabled and e.pk not in started
    ]
    return render(request, "messaging/inbox.html", {"threads": threads, "unstarted": unstarted})


@citizen_required
def enrolment_thread(request, enrolment_id):
    enrolment = enrolment_for_user_or_404(request.user, enrolment_id)
    if not enrolment.program_version.messaging_enabled:
        raise Http404
    thread = services.thread_for_enrolment(enrolment)
    return redirect("messaging:thread", thread_id=thread.pk)


@citizen_required
def thread(request, thread_id):
    posted = request.method == "POST"
    thread = selectors.thread_for_citizen_user_or_404(request.user, thread_id, messages=not posted)
    closed = thread.enrolment is not None and not thread.enrolment.is_open
    form = None
    if posted and not closed:
        form, response = handle_message_post(request, thread, from_citizen=True)
        if response is not None:
            return response
    else:
        services.thread_mark_read(actor=request.user, thread=thread, from_citizen=True)
    selectors.with_sent_messages(thread)  # shown (after a mistake: with what was typed)
    if form is None:
        form = message_form_for(actor=request.user, thread=thread)
    return render(
        request,
        "messaging/thread.html",
        {
            "thread": thread,
            "form": form,
            "closed": closed,
            "urgent": urgent_guidance_due(thread),
            "acting_for": thread.citizen.user_id != request.user.pk,
        },
        status=400 if form.errors else 200,
    )


@citizen_required
def attachment(request, thread_id, attachment_id):
    thread = selectors.thread_for_citizen_user_or_404(request.user, thread_id, messages=False)
    return serve_attachment(selectors.attachment_in_thread_or_404(thread, attachment_id))


@citizen_required
def contact_units(request):
    """*Kontakta mig*: the units that take contact requests, by region."""
    units = selectors.units_taking_contact_requests()
    return render(request, "messaging/contact_units.html", {"units": units})


@citizen_required
def contact_request(request, unit_id):
    """Ask one unit to contact you: what about, how and when."""
    unit = selectors.unit_taking_contact_requests_or_404(unit_id)
    me = citizen_of_user(request.user)
    if me is None:
        raise Http404
    form = ContactRequestForm(
        request.POST or None, initial={"client_token": uuid.uuid4(), "phone": me.mobile, "how": "message"}
    )
    done: dict = {}

    def send(d):
        done["thread"] = services.contact_request_send(actor=request.user, citizen=me, unit=unit, **d)

    if request.method == "POST" and form_call(form, send):
        messages.success(request, _("Your request is sent. The unit answers here and contacts you as you asked."))
        return redirect("messaging:thread", thread_id=done["thread"].pk)
    return render(
        request,
        "messaging/contact_request.html",
        {"unit": unit, "form": form},
        status=400 if form.errors else 200,
    )

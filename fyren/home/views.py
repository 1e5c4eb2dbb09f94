"""The citizen's start page: what they are working on, what is due, unread
messages, and the people they act for. A workspace: it gathers from the
feature apps below it."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from fyren.accounts.decorators import citizen_required
from fyren.audit.selectors import access_log_for_citizen
from fyren.booking.selectors import has_open_offer
from fyren.care.journey import content_language, enrolments_for_user, plan_for
from fyren.careplans.selectors import citizens_with_contract
from fyren.instruments.definitions import definition_for, name_of
from fyren.lib import spreadsheets
from fyren.lib.middleware import PREFERRED_LANGUAGE_KEY, set_language_cookie
from fyren.messaging.selectors import unread_count_for_citizen_user
from fyren.people import services as people_services
from fyren.people.forms import ContactForm
from fyren.people.selectors import citizen_for_user_or_404, citizen_of_user, citizens_represented_by
from fyren.programs.models import text_in
from fyren.questionnaires.selectors import due_sends_for

from .next_step import next_step


@citizen_required
def overview(request):
    me = citizen_of_user(request.user)
    if me is None:
        return render(request, "home/no_citizen.html", status=404)
    represented = list(citizens_represented_by(me))
    lang = get_language()
    due = list(due_sends_for(me))
    for send in due:
        send.name = name_of(
            definition_for(send.instrument_code, region=send.enrolment.program_version.program.owner, language=lang),
            lang,
        )
    enrolments = list(enrolments_for_user(request.user).filter(citizen=me))
    unread = unread_count_for_citizen_user(request.user)
    offered = not due and has_open_offer(me)
    return render(
        request,
        "home/overview.html",
        {
            "me": me,
            "represented": represented,
            "due": due,
            "enrolments": enrolments,
            "unread": unread,
            "with_plan": citizens_with_contract([me, *represented]),
            "next": next_step(
                due=due,
                offered=offered,
                unread=unread,
                program_step=None if (due or offered or unread) else _program_step(enrolments),
            ),
        },
    )


def _program_step(enrolments):
    """The next page of the most recently started open program (read only when
    nothing more pressing is waiting: it costs the program's plan)."""
    for enrolment in sorted(enrolments, key=lambda e: e.started_at, reverse=True):
        if not enrolment.is_open:
            continue
        step = plan_for(enrolment).next_step
        if step is not None:
            return enrolment, text_in(step.title, (), preferred=content_language(enrolment)), step.key
    return None


@citizen_required
def contact(request):
    me = citizen_for_user_or_404(request.user, getattr(citizen_of_user(request.user), "pk", None))
    initial = {
        "email": me.email,
        "mobile": me.mobile,
        "preferred_language": me.preferred_language,
        "notify_email": me.notify_email,
        "notify_sms": me.notify_sms,
    }
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        people_services.citizen_update_contact(actor=request.user, citizen=me, **form.cleaned_data)

        language = form.cleaned_data["preferred_language"]
        request.session[PREFERRED_LANGUAGE_KEY] = language
        translation.activate(language)  # the confirmation in the language just chosen
        messages.success(request, _("Your contact details are saved."))
        response = redirect("home:overview")
        set_language_cookie(response, language)
        return response
    return render(request, "home/contact.html", {"form": form}, status=400 if form.errors else 200)


@citizen_required
def access_log(request, citizen_id):
    """'Who has read my data': each access by care staff, with care unit and time."""
    citizen = citizen_for_user_or_404(request.user, citizen_id)
    entries = access_log_for_citizen(citizen=citizen)[:500]
    return render(request, "home/access_log.html", {"citizen": citizen, "entries": entries})


@citizen_required
def access_log_download(request, citizen_id):
    citizen = citizen_for_user_or_404(request.user, citizen_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"fyren-access-log-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = spreadsheets.writer(response)
    writer.writerow([_("Time"), _("Care unit"), _("What was done"), _("Emergency access")])
    for entry in access_log_for_citizen(citizen=citizen).iterator():
        writer.writerow(
            [
                timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M"),
                entry.unit_label,
                entry.get_action_display(),
                _("Yes") if entry.emergency else "",
            ]
        )
    return response

"""The citizen's start page: what they are working on, what is due, unread
messages, and the people they act for. A workspace: it gathers from the
feature apps below it."""

from django.shortcuts import render
from django.utils.translation import get_language

from fyren.accounts.decorators import citizen_required
from fyren.booking.selectors import has_open_offer
from fyren.care.journey import content_language, enrolments_for_user, plan_for
from fyren.careplans.selectors import citizens_with_contract
from fyren.messaging.selectors import unread_count_for_citizen_user
from fyren.people.selectors import citizen_of_user, citizens_represented_by
from fyren.programs.models import text_in
from fyren.questionnaires.instruments import definition_for, name_of
from fyren.questionnaires.selectors import due_sends_for

from .next_step import next_step


@citizen_required
def overview(request):
    me = citizen_of_user(request.user)
    if me is None:
        return render(request, "people/no_citizen.html", status=404)
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

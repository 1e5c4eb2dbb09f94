"""The citizen's start page: what they are working on, what is due, unread
messages, and the people they act for. A workspace: it gathers from the
feature apps below it."""

from django.shortcuts import render
from django.utils.translation import get_language

from fyren.accounts.decorators import citizen_required
from fyren.care.journey import enrolments_for_user
from fyren.careplans.selectors import citizens_with_contract
from fyren.messaging.selectors import unread_count_for_citizen_user
from fyren.people.selectors import citizen_of_user, citizens_represented_by
from fyren.questionnaires.instruments import definition_for, name_of
from fyren.questionnaires.selectors import due_sends_for


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
            definition_for(send.instrument_code, region=send.enrolment.program_version.program.owner), lang
        )
    enrolments = list(enrolments_for_user(request.user).filter(citizen=me))
    return render(
        request,
        "home/overview.html",
        {
            "me": me,
            "represented": represented,
            "due": due,
            "enrolments": enrolments,
            "unread": unread_count_for_citizen_user(request.user),
            "with_plan": citizens_with_contract([me, *represented]),
        },
    )

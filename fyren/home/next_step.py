"""The one sentence at the top of the citizen's start page that says what to do
next (#19: for people not used to computers), most pressing first: a
questionnaire that is due, times a unit has offered, an unread message, the
next page of a program, or nothing (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class NextStep:
    sentence: str
    link_text: str = ""
    url: str = ""
    form_action: str = ""  # a questionnaire is started by a form (POST), not a link


def next_step(*, due=(), offered: bool = False, unread: int = 0, program_step=None) -> NextStep:
    """``due``: scheduled sends with a ``name``; ``program_step``: (enrolment,
    step title, step key) of the program to go on with, or None."""
    if due:
        send = due[0]
        return NextStep(
            _("Next: answer the questionnaire %(name)s.") % {"name": send.name},
            _("Answer now"),
            form_action=reverse("questionnaires:start", args=[send.pk]),
        )
    if offered:
        return NextStep(
            _("Next: choose one of the times your care unit offers you."),
            _("See the times"),
            reverse("booking:mine"),
        )
    if unread:
        return NextStep(_("Next: read the new message from your care team."), _("Read it"), reverse("messaging:inbox"))
    if program_step is not None:
        enrolment, title, key = program_step
        return NextStep(
            _("Next: go on with “%(page)s” in your program.") % {"page": title},
            _("Go on"),
            reverse("care:step", args=[enrolment.pk, key]),
        )
    return NextStep(_("There is nothing you need to do right now."))

"""The citizen's plan: which modules are open, what to do next, and the answers
that presentation logic looks at. Reads only; the citizen's own data."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from fyren.people.selectors import citizen_of_user, represented_ids
from fyren.programs import conditions
from fyren.programs import elements as kinds
from fyren.programs.models import Step
from fyren.programs.tree import Tree, published_tree
from fyren.programs.unlocking import DONE, LOCKED, OPEN, module_states

from .models import DiaryEntry, ElementAnswer, Enrolment, HiddenContent, ModuleProgress

# Why a step cannot be opened (beside LOCKED, a module that is not open yet).
NOT_APPLICABLE = "not_applicable"
HIDDEN = "hidden"


def content_language(enrolment: Enrolment, page_language: str | None = None) -> str:
    """The language the citizen reads the program in: the one they chose for it
    (among the version's), else the page's if the program has it, else their
    preferred language's, else the program's first."""
    languages = enrolment.program_version.languages
    for lang in (enrolment.language, page_language or get_language(), enrolment.citizen.preferred_language):
        if lang and lang in languages:
            return lang
    return languages[0] if languages else "sv"


def enrolment_for_user_or_404(user, enrolment_id) -> Enrolment:
    """An enrolment of the logged-in citizen, or of someone they act for."""
    me = citizen_of_user(user)
    if me is None:
        raise Http404
    allowed = [me.pk, *represented_ids(me)]
    enrolment = (
        Enrolment.objects.filter(pk=enrolment_id, citizen_id__in=allowed)
        .select_related("citizen", "unit", "program_version", "program_version__program__owner")
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment


def enrolments_for_user(user):
    me = citizen_of_user(user)
    if me is None:
        return Enrolment.objects.none()
    allowed = [me.pk, *represented_ids(me)]
    return (
        Enrolment.objects.filter(citizen_id__in=allowed)
        .select_related("citizen", "unit", "program_version")
        .order_by("-started_at")
    )


@dataclass
class Plan:
    enrolment: Enrolment
    tree: Tree
    states: dict = field(default_factory=dict)  # module key (str) → locked/open/done
    answers: dict = field(default_factory=dict)  # condition ref → value
    next_step: Step | None = None
    done_count: int = 0
    hidden: set = field(default_factory=set)  # keys of the modules and sections hidden for this patient

    # The enrolment's own answers and diary entries (the diary newest first), read once:
    # for ``answers`` when a condition needs them, else when a page first asks.
    @cached_property
    def answer_rows(self) -> list:
        return list(ElementAnswer.objects.filter(enrolment=self.enrolment))

    @cached_property
    def diary_rows(self) -> list:
        return list(DiaryEntry.objects.filter(enrolment=self.enrolment))

    @property
    def progress_percent(self) -> int:
        return round(100 * self.done_count / len(self.tree.modules)) if self.tree.modules else 0

    def visible_steps(self, module):
        return [
            s
            for section in module.section_list
            for s in section.step_list
            if conditions.evaluate(s.condition, self.answers)
        ]

    def visible_elements(self, step):
        return [e for e in step.element_list if conditions.evaluate(e.condition, self.answers)]

    def step_open(self, step) -> bool:
        return self.step_unavailable_reason(step) is None

    def step_unavailable_reason(self, step) -> str | None:
        """Why the citizen cannot open ``step`` now: ``LOCKED`` (its module is not
        open yet), ``NOT_APPLICABLE`` (presentation logic hides it for their
        answers so far), or None when it can be opened."""
        if self.states.get(str(step.section.module.key)) not in (OPEN, DONE):
            return LOCKED
        if not conditions.evaluate(step.condition, self.answers):
            return NOT_APPLICABLE
        return None

    def step_by_key(self, step_key):
        """The step of this plan with ``step_key`` (None when it is not in the plan)."""
        return next((s for s in self.tree.steps() if str(s.key) == str(step_key)), None)

    def open_step_or_404(self, step_key):
        """A step the citizen can open now; anything else is 404."""
        step = self.step_by_key(step_key)
        if step is None or not self.step_open(step):
            raise Http404
        return step

    def open_element_or_404(self, element_key):
        """An element on a step the citizen can open now; anything else is 404."""
        element = next((e for e in self.tree.elements() if str(e.key) == str(element_key)), None)
        if element is None or not self.step_open(element.step):
            raise Http404
        return element

    def modules_with_steps(self):
        """(module, state, steps) for the plan page: the steps listed are only
        those the citizen can open now, so the plan never links a page that
        presentation logic hides. A locked module lists none."""
        rows = []
        for module in self.tree.modules:
            state = self.states[str(module.key)]
            rows.append((module, state, self.visible_steps(module) if state != LOCKED else []))
        return rows


ANSWERED_KINDS = {kinds.EXERCISE, kinds.CHECKLIST, kinds.MEASUREMENT}


def answers_for(tree: Tree, *, answer_rows=(), diary_rows=(), responses=()) -> dict:
    """Refs → values for presentation logic, from an enrolment's own answers, diary
    entries and completed questionnaire responses (with their sends). Pure: reads
    nothing; the caller passes the rows some condition needs (``plan_for``)."""
    by_key = {element.key: element for element in tree.elements()}
    answers: dict = {}
    for row in answer_rows:
        element = by_key.get(row.element_key)
        if element is None:
            continue
        short = element.short_key
        value = row.value or {}
        if element.kind == kinds.EXERCISE:
            if element.content.get("mode") == "worksheet":
                answers.update({f"{short}.{k}": v for k, v in (value.get("fields") or {}).items()})
            else:
                answers[short] = value.get("text", "")
        elif element.kind == kinds.CHECKLIST:
            answers.update({f"{short}.{k}": True for k in value.get("ticked", [])})
        elif element.kind == kinds.MEASUREMENT:
            answers[short] = value.get("value")
    latest: dict = {}
    for entry in sorted(diary_rows, key=lambda e: (e.day, e.created_at)):
        element = by_key.get(entry.element_key)
        if element is not None:
            latest.update({f"{element.short_key}.{k}": v for k, v in entry.values.items()})
    answers.update(latest)
    sends = {}
    for response in responses:
        if response.send_id and response.send.element_key in by_key:
            sends[by_key[response.send.element_key].short_key] = response.scores
    for short, scores in sends.items():
        value = next(iter(scores.values()), None)
        answers[f"{short}.score"] = value
    return answers


# The enrolment's completed questionnaire responses with their sends (``send_id``,
# ``send.element_key``, ``scores``), for conditions on scores: questionnaires,
# above care, registers how they are read in its ready().
_responses: list[Callable[[Enrolment], Iterable]] = []


def register_responses(reader: Callable[[Enrolment], Iterable]) -> None:
    _responses[:] = [reader]


def hidden_keys(enrolment: Enrolment) -> set[str]:
    """Modules and sections the clinician has hidden for this patient."""
    return {str(k) for k in HiddenContent.objects.filter(enrolment=enrolment).values_list("key", flat=True)}


def plan_for(enrolment: Enrolment, *, today: dt.date | None = None, tree: Tree | None = None, responses=None) -> Plan:
    """The citizen's plan. The version's tree (``tree`` if given, else the one shared
    by every request on a published version) is not changed: what is hidden for this
    patient is left out of copies. ``responses``: the enrolment's completed ones with
    their sends, if the caller has read them."""
    today = today or timezone.localdate()
    version = enrolment.program_version
    whole = tree if tree is not None else published_tree(version)
    hidden = hidden_keys(enrolment)
    tree = Tree(version=whole.version, modules=list(whole.modules))
    if hidden:
        # What the clinician hid for this patient is not part of their plan.
        tree.modules = []
        for module in whole.modules:
            if str(module.key) in hidden:
                continue
            if any(str(s.key) in hidden for s in module.section_list):
                module = copy.copy(module)  # the shared tree keeps every section
                module.section_list = [s for s in module.section_list if str(s.key) not in hidden]
            tree.modules.append(module)
    progress = {str(p.module_key): p for p in ModuleProgress.objects.filter(enrolment=enrolment)}
    keys = [str(m.key) for m in tree.modules]
    states = module_states(
        rule=version.unlock_rule,
        module_keys=keys,
        done=[k for k, p in progress.items() if p.completed_at],
        opened_by_clinician=[k for k, p in progress.items() if p.opened_by_clinician],
        started_on=timezone.localtime(enrolment.started_at).date(),
        today=today,
        interval_days=version.unlock_interval_days,
    )
    plan = Plan(enrolment=enrolment, tree=tree, states=states, hidden=hidden)
    # Only what some condition of the program reads is read here (most programs have
    # few conditions); the plan keeps the rows it read for the page.
    needed = whole.condition_kinds()
    if kinds.QUESTIONNAIRE not in needed:
        responses = ()
    elif responses is None:
        responses = _responses[0](enrolment) if _responses else ()
    plan.answers = answers_for(
        tree,
        answer_rows=plan.answer_rows if needed & ANSWERED_KINDS else (),
        diary_rows=plan.diary_rows if kinds.DIARY in needed else (),
        responses=responses,
    )
    plan.done_count = sum(1 for state in states.values() if state == DONE)
    for module in tree.modules:
        if states[str(module.key)] == OPEN:
            steps = plan.visible_steps(module)
            if steps:
                plan.next_step = steps[0]
                break
    return plan


__all__ = [
    "DONE",
    "HIDDEN",
    "LOCKED",
    "NOT_APPLICABLE",
    "OPEN",
    "Plan",
    "plan_for",
    "enrolment_for_user_or_404",
    "enrolments_for_user",
]

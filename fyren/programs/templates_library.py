"""Templates a designer can start a program from. Each gives a real structure
with short guidance texts the designer replaces."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import elements
from .models import Element, Kind, Module, ProgramVersion, Section, Step

TEMPLATES = {
    "treatment_8_weeks": gettext_lazy("Treatment program with 8 weekly modules"),
    "support_program": gettext_lazy("Support program (information, contact and self-care)"),
    "self_rating_course": gettext_lazy("Self-rating course (education with ratings before and after)"),
}


def _texts(languages, message):
    """``message`` (an English source string) in each of the version's languages."""
    result = {}
    for lang in languages:
        with translation.override(lang):
            result[lang] = str(_(message)) if not callable(message) else message()
    return result


def _step(version, section, position, title, items):
    step = Step.objects.create(version=version, section=section, position=position, title=title)
    for index, (kind, content) in enumerate(items, start=1):
        base = elements.empty_content(kind)
        base.update(content)
        Element.objects.create(version=version, step=step, position=index, kind=kind, content=base)
    return step


def apply_template(version: ProgramVersion, name: str) -> None:
    if name not in TEMPLATES:
        raise ValueError(f"Unknown template {name!r}")
    langs = version.languages

    def t(message):
        return _texts(langs, message)

    if name == "treatment_8_weeks":
        version.kind, version.unlock_rule, version.unlock_interval_days = Kind.TREATMENT, "sequence", 7
        topics = [
            "Welcome and your goals",
            "Understanding the problem",
            "Noticing patterns",
            "Trying new ways",
            "Practising",
            "Handling setbacks",
            "Putting it together",
            "Looking ahead",
        ]
        for number, topic in enumerate(topics, start=1):
            module = Module.objects.create(
                version=version,
                position=number,
                title=t(topic),
                intro=t("What this week is about, in two or three sentences."),
            )
            section = Section.objects.create(version=version, module=module, position=1, title=t("This week"))
            _step(
                version,
                section,
                1,
                t("Read"),
                [
                    (elements.TEXT, {"body": t("Write the text of this page here.")}),
                ],
            )
            _step(
                version,
                section,
                2,
                t("Exercise"),
                [
                    (elements.EXERCISE, {"prompt": t("Describe the exercise for this week."), "mode": "free_text"}),
                ],
            )
            if number in (1, 4, 8):
                _step(
                    version,
                    section,
                    3,
                    t("Rating"),
                    [
                        (elements.QUESTIONNAIRE, {"instrument": "", "intro": t("How have you been this week?")}),
                    ],
                )
    elif name == "support_program":
        version.kind, version.unlock_rule = Kind.SUPPORT_PROGRAM, "all"
        for number, topic in enumerate(["About your condition", "Living with it", "Where to get help"], start=1):
            module = Module.objects.create(version=version, position=number, title=t(topic))
            section = Section.objects.create(version=version, module=module, position=1, title=t(topic))
            _step(
                version,
                section,
                1,
                t(topic),
                [
                    (elements.TEXT, {"body": t("Write the text of this page here.")}),
                    (elements.CHECKLIST, {"items": [{"key": "read", "label": t("I have read this page")}]}),
                ],
            )
    else:  # self_rating_course
        version.kind, version.unlock_rule = Kind.COURSE, "sequence"
        parts = [("Before the course", True), ("Lesson 1", False), ("Lesson 2", False), ("After the course", True)]
        for number, (topic, rating) in enumerate(parts, start=1):
            module = Module.objects.create(version=version, position=number, title=t(topic))
            section = Section.objects.create(version=version, module=module, position=1, title=t(topic))
            items = (
                [(elements.QUESTIONNAIRE, {"instrument": ""})]
                if rating
                else [(elements.TEXT, {"body": t("Write the text of this lesson here.")})]
            )
            _step(version, section, 1, t(topic), items)
    version.save()

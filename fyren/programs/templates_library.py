"""Templates a designer can start a program from. Each gives a real structure
with short guidance texts the designer replaces."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy, pgettext_lazy

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
            result[lang] = str(message)
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
            pgettext_lazy("program template", "Welcome and your goals"),
            pgettext_lazy("program template", "Understanding the problem"),
            pgettext_lazy("program template", "Noticing patterns"),
            pgettext_lazy("program template", "Trying new ways"),
            pgettext_lazy("program template", "Practising"),
            pgettext_lazy("program template", "Handling setbacks"),
            pgettext_lazy("program template", "Putting it together"),
            pgettext_lazy("program template", "Looking ahead"),
        ]
        for number, topic in enumerate(topics, start=1):
            module = Module.objects.create(
                version=version,
                position=number,
                title=t(topic),
                intro=t(pgettext_lazy("program template", "What this week is about, in two or three sentences.")),
            )
            section = Section.objects.create(
                version=version, module=module, position=1, title=t(pgettext_lazy("program template", "This week"))
            )
            _step(
                version,
                section,
                1,
                t(pgettext_lazy("program template", "Read")),
                [
                    (
                        elements.TEXT,
                        {"body": t(pgettext_lazy("program template", "Write the text of this page here."))},
                    ),
                ],
            )
            _step(
                version,
                section,
                2,
                t(pgettext_lazy("program template", "Exercise")),
                [
                    (
                        elements.EXERCISE,
                        {
                            "prompt": t(pgettext_lazy("program template", "Describe the exercise for this week.")),
                            "mode": "free_text",
                        },
                    ),
                ],
            )
            if number in (1, 4, 8):
                _step(
                    version,
                    section,
                    3,
                    t(pgettext_lazy("program template", "Rating")),
                    [
                        (
                            elements.QUESTIONNAIRE,
                            {
                                "instrument": "",
                                "intro": t(pgettext_lazy("program template", "How have you been this week?")),
                            },
                        ),
                    ],
                )
    elif name == "support_program":
        version.kind, version.unlock_rule = Kind.SUPPORT_PROGRAM, "all"
        for number, topic in enumerate(
            [
                pgettext_lazy("program template", "About your condition"),
                pgettext_lazy("program template", "Living with it"),
                pgettext_lazy("program template", "Where to get help"),
            ],
            start=1,
        ):
            module = Module.objects.create(version=version, position=number, title=t(topic))
            section = Section.objects.create(version=version, module=module, position=1, title=t(topic))
            _step(
                version,
                section,
                1,
                t(topic),
                [
                    (
                        elements.TEXT,
                        {"body": t(pgettext_lazy("program template", "Write the text of this page here."))},
                    ),
                    (
                        elements.CHECKLIST,
                        {
                            "items": [
                                {"key": "read", "label": t(pgettext_lazy("program template", "I have read this page"))}
                            ]
                        },
                    ),
                ],
            )
    else:  # self_rating_course
        version.kind, version.unlock_rule = Kind.COURSE, "sequence"
        parts = [
            (pgettext_lazy("program template", "Before the course"), True),
            (pgettext_lazy("program template", "Lesson 1"), False),
            (pgettext_lazy("program template", "Lesson 2"), False),
            (pgettext_lazy("program template", "After the course"), True),
        ]
        for number, (topic, rating) in enumerate(parts, start=1):
            module = Module.objects.create(version=version, position=number, title=t(topic))
            section = Section.objects.create(version=version, module=module, position=1, title=t(topic))
            items = (
                [(elements.QUESTIONNAIRE, {"instrument": ""})]
                if rating
                else [
                    (
                        elements.TEXT,
                        {"body": t(pgettext_lazy("program template", "Write the text of this lesson here."))},
                    )
                ]
            )
            _step(version, section, 1, t(topic), items)
    version.save()

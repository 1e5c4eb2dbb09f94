"""What must hold before a version can be published (works on a loaded tree;
higher apps may add checks of their own through :func:`register_check`, which
may read the database)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import conditions, elements
from .models import text_in
from .tree import Tree

# The publisher's checklist. Items marked automatic are also checked by the
# system; the publisher confirms each one.
CHECKLIST = {
    "content_reviewed": gettext_lazy("Content reviewed: correct, current and written for the target group"),
    "accessibility": gettext_lazy("Accessibility: alt texts, captions and transcripts present"),
    "indication": gettext_lazy("Indication and target group stated"),
    "contact": gettext_lazy("Contact and emergency information present"),
    "licence": gettext_lazy("Licence and attribution clear"),
}


@dataclass(frozen=True)
class Problem:
    where: str
    message: str
    checklist_item: str = "content_reviewed"
    element_kind: str = ""  # the element's kind, when the problem is an element's


# Checks registered by higher apps in their AppConfig.ready() (the questionnaires
# app: an imported known instrument must carry its safety alerts).
EXTRA_CHECKS: list[Callable[[Tree], list[Problem]]] = []


def register_check(check: Callable[[Tree], list[Problem]]) -> None:
    if check not in EXTRA_CHECKS:
        EXTRA_CHECKS.append(check)


def _missing_langs(value, languages):
    if not isinstance(value, dict):
        return list(languages)
    return [lang for lang in languages if not str(value.get(lang) or "").strip()]


def version_problems(tree: Tree, *, languages: list[str] | None = None) -> list[Problem]:
    """Everything that stops the version from being submitted; with
    ``languages``, only what is missing in those (the coverage table's)."""
    version = tree.version
    only = languages is not None
    languages = version.languages or [] if languages is None else languages
    found: list[Problem] = []
    if not languages and not only:
        found.append(Problem(_("Program"), _("Choose at least one language.")))
    for name, label, item in (
        ("title", _("Title"), "content_reviewed"),
        ("summary", _("Summary"), "content_reviewed"),
        ("target_group", _("Target group"), "indication"),
        ("indications", _("Indications"), "indication"),
        ("contact_info", _("Contact and emergency information"), "contact"),
    ):
        missing = _missing_langs(getattr(version, name), languages)
        if missing:
            found.append(
                Problem(
                    _("Program"),
                    _("%(field)s is missing in: %(langs)s.") % {"field": label, "langs": ", ".join(missing)},
                    item,
                )
            )
    if version.for_minors and _missing_langs(version.guardian_participation, languages):
        found.append(
            Problem(
                _("Program"),
                _("A program open to people under 18 must say how guardians take part, in: %(langs)s.")
                % {"langs": ", ".join(_missing_langs(version.guardian_participation, languages))},
                "indication",
            )
        )
    if version.program.copied_from_id and not version.attribution.strip():
        found.append(Problem(_("Program"), _("A copied program must keep its attribution."), "licence"))
    if not tree.modules:
        found.append(Problem(_("Program"), _("Add at least one module.")))
    known_refs: set[str] = set()
    for m_index, module in enumerate(tree.modules, start=1):
        module_label = _("Module %(n)d") % {"n": m_index}
        if _missing_langs(module.title, languages):
            found.append(Problem(module_label, _("The module needs a title in every language.")))
        if not any(section.step_list for section in module.section_list):
            found.append(Problem(module_label, _("The module has no pages.")))
        for section in module.section_list:
            for step in section.step_list:
                step_label = f"{module_label} › {text_in(step.title, version.languages or []) or _('untitled page')}"
                if _missing_langs(step.title, languages):
                    found.append(Problem(step_label, _("The page needs a title in every language.")))
                for problem in conditions.validate(step.condition, known_refs=known_refs):
                    found.append(Problem(step_label, problem))
                for e_index, element in enumerate(step.element_list, start=1):
                    element_label = f"{step_label} › {e_index}. {elements.KINDS[element.kind]}"
                    accessibility = element.kind in (elements.IMAGE, elements.VIDEO, elements.AUDIO)
                    for problem in elements.problems(
                        element.kind,
                        element.content,
                        languages=languages,
                        has_asset=element.asset_id is not None,
                        for_publishing=True,
                    ):
                        found.append(
                            Problem(
                                element_label,
                                problem,
                                "accessibility" if accessibility else "content_reviewed",
                                element.kind,
                            )
                        )
                    for problem in conditions.validate(element.condition, known_refs=known_refs):
                        found.append(Problem(element_label, problem))
                    known_refs |= elements.answer_refs(element.kind, element.short_key, element.content)
    if not only:
        for check in EXTRA_CHECKS:
            found.extend(check(tree))
    return found


@dataclass(frozen=True)
class LanguageCoverage:
    """What is missing in one of a version's languages, for the design tool."""

    language: str
    texts: int  # texts missing (titles, descriptions, element texts, labels)
    alt_texts: int
    captions: int
    transcripts: int
    spoken: int  # texts with an uploaded spoken version in this language
    spoken_of: int  # texts in all

    @property
    def complete(self) -> bool:
        return not (self.texts or self.alt_texts or self.captions or self.transcripts)


def language_coverage(tree: Tree) -> list[LanguageCoverage]:
    """Per declared language: what is missing before the version can be
    submitted (texts, alt texts, captions, transcripts), and how many texts
    have a spoken version (recordings are optional: the browser may read aloud)."""
    rows = []
    texts = [e for e in tree.elements() if e.kind == elements.TEXT]
    base = set(version_problems(tree, languages=[]))
    for lang in tree.version.languages or []:
        missing = [p for p in version_problems(tree, languages=[lang]) if p not in base]
        by_kind = {kind: sum(1 for p in missing if p.element_kind == kind) for kind in elements.MEDIA_KINDS}
        rows.append(
            LanguageCoverage(
                language=lang,
                texts=sum(1 for p in missing if p.element_kind not in (elements.IMAGE, elements.VIDEO, elements.AUDIO)),
                alt_texts=by_kind[elements.IMAGE],
                captions=by_kind[elements.VIDEO],
                transcripts=by_kind[elements.AUDIO],
                spoken=sum(1 for e in texts if lang in elements.spoken_files(e.kind, e.content)),
                spoken_of=len(texts),
            )
        )
    return rows


def has_safety_net(tree: Tree) -> bool:
    """A screening gate before self-enrolment, or a questionnaire sent at the
    start (a baseline): either way a self-enrolled citizen is asked about how
    they are, and an alarming answer reaches the unit."""
    if (tree.version.screening or {}).get("instrument"):
        return True
    return any(
        element.kind == elements.QUESTIONNAIRE
        and element.content.get("instrument")
        and (element.content.get("schedule") or {}).get("at_start")
        for element in tree.elements()
    )


def self_enrolment_warnings(tree: Tree, *, open_at: list[str]) -> list[str]:
    """Warnings (they do not block publishing) for a program that citizens can
    start on their own at the units named in ``open_at``."""
    if not open_at or has_safety_net(tree):
        return []
    return [
        _(
            "Open for self-enrolment at %(units)s, but the program has neither a screening nor a questionnaire "
            "at the start: a citizen who starts on their own is never asked about mood or risk. Add a screening "
            "(Description and settings) or a questionnaire sent at the start."
        )
        % {"units": ", ".join(open_at)}
    ]

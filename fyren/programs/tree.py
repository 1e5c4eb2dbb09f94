"""Load a version's whole structure in a fixed number of queries, and turn it
into a plain document (for diffs, packages and previews)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from . import conditions
from . import elements as kinds
from .models import Element, Module, ProgramVersion, Section, Step, text_in

VERSION_FIELDS = (
    "title", "summary", "target_group", "indications", "contact_info", "kind", "languages", "licence",
    "attribution", "messaging_enabled", "unlock_rule", "unlock_interval_days", "screening", "inactivity_days",
    "treatment_kind", "min_age", "max_age", "guardian_participation",
)  # fmt: skip


@dataclass
class Tree:
    version: ProgramVersion
    modules: list[Module] = field(default_factory=list)
    _condition_kinds: frozenset[str] | None = field(default=None, repr=False, compare=False)

    def condition_refs(self) -> set[str]:
        """Every answer ref that a step's or an element's condition reads."""
        found: set[str] = set()
        for step in self.steps():
            found |= conditions.refs(step.condition)
            for element in step.element_list:
                found |= conditions.refs(element.condition)
        return found

    def condition_kinds(self) -> frozenset[str]:
        """The kinds of the elements whose answers some condition reads: what a plan
        must load (worked out once per tree; the content cannot change under it)."""
        if self._condition_kinds is None:
            shorts = {ref.split(".", 1)[0] for ref in self.condition_refs()}
            self._condition_kinds = frozenset(e.kind for e in self.elements() if e.short_key in shorts)
        return self._condition_kinds

    def steps(self):
        for module in self.modules:
            for section in module.section_list:
                yield from section.step_list

    def elements(self):
        for step in self.steps():
            yield from step.element_list


def load_tree(version: ProgramVersion) -> Tree:
    """Modules → sections → steps → elements, ordered, as ``*_list`` attributes."""
    modules = list(Module.objects.filter(version=version))
    sections = list(Section.objects.filter(version=version))
    steps = list(Step.objects.filter(version=version))
    elements = list(Element.objects.filter(version=version).select_related("asset"))
    by_parent: dict[tuple[str, int], list] = {}
    for section in sections:
        by_parent.setdefault(("module", section.module_id), []).append(section)
    for step in steps:
        by_parent.setdefault(("section", step.section_id), []).append(step)
    for element in elements:
        by_parent.setdefault(("step", element.step_id), []).append(element)
    for module in modules:
        module.section_list = by_parent.get(("module", module.pk), [])
        for section in module.section_list:
            section.module = module
            section.step_list = by_parent.get(("section", section.pk), [])
            for step in section.step_list:
                step.section = section
                step.element_list = by_parent.get(("step", step.pk), [])
                for element in step.element_list:
                    element.step = step
    return Tree(version=version, modules=modules)


# Trees of published and retired versions, kept per process: such a version can
# never change again (ProgramVersion.save refuses; only review can send a version
# back to draft, and a published one is past review), so every citizen on it can share one
# loaded tree instead of four queries and a few hundred objects per page. The objects
# in it are shared between requests and must not be changed: what a page adds for one
# citizen goes beside them (care.views.ShownElement), never onto them.
_PUBLISHED: OrderedDict[tuple, Tree] = OrderedDict()
_PUBLISHED_LOCK = threading.Lock()
PUBLISHED_TREES_KEPT = 64


def _published_key(version: ProgramVersion) -> tuple:
    # The creation time too: a test database may give a rolled-back version's id to another.
    return (version.pk, version.program_id, version.number, version.created_at)


def published_tree(version: ProgramVersion) -> Tree:
    """The version's tree, loaded once per process when the version is published or
    retired (it can never change again); any other's is loaded every time. Read only."""
    if version.status not in (ProgramVersion.Status.PUBLISHED, ProgramVersion.Status.RETIRED) or version.pk is None:
        return load_tree(version)
    key = _published_key(version)
    with _PUBLISHED_LOCK:
        tree = _PUBLISHED.get(key)
        if tree is not None:
            _PUBLISHED.move_to_end(key)
            return tree
    tree = load_tree(version)
    with _PUBLISHED_LOCK:
        _PUBLISHED[key] = tree
        while len(_PUBLISHED) > PUBLISHED_TREES_KEPT:
            _PUBLISHED.popitem(last=False)
    return tree


def published_trees_clear() -> None:
    with _PUBLISHED_LOCK:
        _PUBLISHED.clear()


def document(tree: Tree) -> dict:
    """The version as a plain, ordered document (JSON-ready). Media are named by
    their SHA-256 so the document is the same wherever it is loaded."""
    version = tree.version
    return {
        **{name: getattr(version, name) for name in VERSION_FIELDS},
        "modules": [
            {
                "key": str(module.key),
                "title": module.title,
                "intro": module.intro,
                "sections": [
                    {
                        "key": str(section.key),
                        "title": section.title,
                        "steps": [
                            {
                                "key": str(step.key),
                                "title": step.title,
                                "condition": step.condition,
                                "elements": [
                                    {
                                        "key": str(element.key),
                                        "kind": element.kind,
                                        "content": element.content,
                                        "condition": element.condition,
                                        "asset": element.asset.sha256 if element.asset_id else None,
                                    }
                                    for element in step.element_list
                                ],
                            }
                            for step in section.step_list
                        ],
                    }
                    for section in module.section_list
                ],
            }
            for module in tree.modules
        ],
    }


def answer_refs_before(tree: Tree, stop) -> list[tuple[str, str]]:
    """Answers given before ``stop`` (a step or an element) in document order, as
    (ref, readable label) pairs for the condition editor."""
    langs = tree.version.languages
    refs: list[tuple[str, str]] = []
    for step in tree.steps():
        if step.pk == getattr(stop, "pk", None) and isinstance(stop, Step):
            return refs
        for element in step.element_list:
            if isinstance(stop, Element) and element.pk == stop.pk:
                return refs
            name = (
                text_in(
                    element.content.get("title") or element.content.get("label") or element.content.get("prompt"), langs
                )
                or element.content.get("instrument", "").upper()
                or str(kinds.KINDS[element.kind])
            )[:50]
            for ref in sorted(kinds.answer_refs(element.kind, element.short_key, element.content)):
                suffix = ref.split(".", 1)[1] if "." in ref else ""
                if suffix != "score":
                    rows = element.content.get("fields") or element.content.get("items") or []
                    row = next((r for r in rows if r.get("key") == suffix), None)
                    suffix = text_in(row.get("label"), langs) if row else suffix
                refs.append((ref, f"{name}{' – ' + suffix if suffix else ''}"))
    return refs

"""A readable difference between two versions' documents (pure).

Content is matched by its stable key, so an element that was edited shows as
changed, not as removed and added; one that moved shows as moved."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Any

from .tree import VERSION_FIELDS


@dataclass
class TextChange:
    name: str  # field name, with the language for translatable text, e.g. "body (sv)"
    segments: list[tuple[str, str]]  # ("same" | "del" | "ins", text)


@dataclass
class NodeChange:
    level: str  # module, section, step, element
    key: str
    label: str
    change: str  # added, removed, changed, moved
    details: list[TextChange] = field(default_factory=list)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    a, b = old.split(" "), new.split(" ")
    segments: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("same", " ".join(a[i1:i2])))
        else:
            if i2 > i1:
                segments.append(("del", " ".join(a[i1:i2])))
            if j2 > j1:
                segments.append(("ins", " ".join(b[j1:j2])))
    return segments


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _field_changes(name: str, old: Any, new: Any) -> list[TextChange]:
    if old == new:
        return []
    if (
        isinstance(old, dict)
        and isinstance(new, dict)
        and all(isinstance(v, str) for v in [*old.values(), *new.values()])
    ):
        return [
            TextChange(f"{name} ({lang})", word_diff(old.get(lang, ""), new.get(lang, "")))
            for lang in sorted(set(old) | set(new))
            if old.get(lang, "") != new.get(lang, "")
        ]
    if isinstance(old, dict) and isinstance(new, dict):
        changes = []
        for key in sorted(set(old) | set(new)):
            changes += _field_changes(f"{name}.{key}" if name else key, old.get(key), new.get(key))
        return changes
    return [TextChange(name, word_diff(_as_text(old), _as_text(new)))]


def _flatten(doc: dict) -> dict[str, tuple[str, str, int, dict]]:
    """key → (level, parent key, position, node without children)."""
    nodes = {}
    for m_pos, module in enumerate(doc.get("modules", [])):
        nodes[module["key"]] = ("module", "", m_pos, {k: v for k, v in module.items() if k != "sections"})
        for s_pos, section in enumerate(module["sections"]):
            nodes[section["key"]] = (
                "section",
                module["key"],
                s_pos,
                {k: v for k, v in section.items() if k != "steps"},
            )
            for p_pos, step in enumerate(section["steps"]):
                nodes[step["key"]] = ("step", section["key"], p_pos, {k: v for k, v in step.items() if k != "elements"})
                for e_pos, element in enumerate(step["elements"]):
                    nodes[element["key"]] = ("element", step["key"], e_pos, element)
    return nodes


def _label(node: dict, languages: list[str]) -> str:
    for name in ("title", "label", "alt", "prompt", "body"):
        value = node.get(name) or node.get("content", {}).get(name)
        if isinstance(value, dict):
            for lang in languages:
                if value.get(lang):
                    return value[lang][:80]
    return node.get("kind", "")


def diff_documents(old: dict, new: dict) -> tuple[list[TextChange], list[NodeChange]]:
    """Program-level changes, and changes to the content in document order."""
    program = []
    for name in VERSION_FIELDS:
        program += _field_changes(name, old.get(name), new.get(name))
    languages = new.get("languages") or old.get("languages") or []
    a, b = _flatten(old), _flatten(new)
    changes: list[NodeChange] = []
    for key, (level, parent, position, node) in b.items():
        label = _label(node, languages)
        if key not in a:
            changes.append(NodeChange(level, key, label, "added"))
            continue
        _, old_parent, old_position, old_node = a[key]
        details = []
        for name in sorted((set(node) | set(old_node)) - {"key"}):
            details += _field_changes(name, old_node.get(name), node.get(name))
        if details:
            changes.append(NodeChange(level, key, label, "changed", details))
        elif (old_parent, old_position) != (parent, position):
            changes.append(NodeChange(level, key, label, "moved"))
    for key, (level, _parent, _position, node) in a.items():
        if key not in b:
            changes.append(NodeChange(level, key, _label(node, languages), "removed"))
    return program, changes

"""Turn a FHIR Shorthand (FSH) instance of a Questionnaire written as flat path
rules (the form LHC-Forms exports and many IGs keep) into FHIR JSON, for test
fixtures taken from public IG sources that publish FSH only.

    python scripts/fsh_instance.py aliases.fsh questionnaire.fsh > out.json

Only what such files use is understood: ``Alias:`` lines, ``* path = value``
rules with ``[n]``, ``[=]`` and ``[+]`` indices, strings, ``#codes``, numbers,
booleans and ``$alias#code "display"`` codings. Anything else stops the
conversion with the line that was not understood (SUSHI, the reference tool,
needs the FHIR packages from packages.fhir.org, which this machine cannot reach).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

# Elements of Questionnaire (and what it nests) that are lists in FHIR JSON.
LISTS = {
    *("item", "answerOption", "extension", "enableWhen", "initial", "contained"),
    *("profile", "tag", "coding", "subjectType"),
}
CODE_LISTS = {None, "item"}  # ``code`` is a list of Codings on the Questionnaire and its items only
CODINGS = {"code", "valueCoding"}  # a ``$system#code "display"`` value is a Coding here
CONCEPTS = {"valueCodeableConcept"}  # … and a CodeableConcept here
RULE = re.compile(r"^\*\s+(?P<path>\S+)\s+=\s+(?P<value>.+)$")
SEGMENT = re.compile(r"^(?P<name>[A-Za-z][A-Za-z0-9]*)(?:\[(?P<index>\d+|=|\+)\])?$")
CODING = re.compile(r'^(?P<system>\$[\w-]+|[^#\s]*)#(?P<code>"[^"]*"|\S+)(?:\s+"(?P<display>(?:[^"\\]|\\.)*)")?$')


def _value(raw: str, name: str, aliases: dict[str, str]) -> Any:
    raw = raw.strip()
    if raw.startswith('"'):
        return json.loads(raw)
    if raw in ("true", "false"):
        return raw == "true"
    if re.fullmatch(r"-?\d+", raw):
        return int(raw)
    if re.fullmatch(r"-?\d+\.\d+", raw):
        return float(raw)
    match = CODING.match(raw)
    if not match:
        raise ValueError(f"value not understood: {raw}")
    code = match["code"].strip('"')
    if not match["system"]:
        return code  # a bare #code
    system = aliases.get(match["system"], match["system"])
    coding = {"system": system, "code": code}
    if match["display"] is not None:
        coding["display"] = json.loads(f'"{match["display"]}"')
    if name in CONCEPTS:
        return {"coding": [coding]}
    if name in CODINGS:
        return coding
    raise ValueError(f"a coding given to {name}, which Fyren's converter does not know to hold one")


def _walk(resource: dict, last: dict, path: str, value: Any = None, *, assign: bool) -> str:
    """Follow ``path`` from the resource, creating what is missing; assign
    ``value`` at its end when ``assign``. Returns the path with its indices
    resolved (``item[+]`` → ``item[3]``), for the rules indented under it."""
    node: Any = resource
    parent = None
    resolved = []
    segments = path.split(".")
    for position, segment in enumerate(segments):
        match = SEGMENT.match(segment)
        if not match:
            raise ValueError(f"path segment not understood: {segment}")
        name, index = match["name"], match["index"]
        final = position == len(segments) - 1
        if name in LISTS or (name == "code" and parent in CODE_LISTS):
            items = node.setdefault(name, [])
            key = id(items)
            if index == "+":
                at = last.get(key, -1) + 1
            elif index in (None, "="):
                at = last.get(key, 0)
            else:
                at = int(index)
            last[key] = at
            while len(items) <= at:
                items.append({})
            resolved.append(f"{name}[{at}]")
            if final and assign:
                items[at] = value
            else:
                node = items[at]
        else:
            resolved.append(name)
            if final and assign:
                node[name] = value
            else:
                node = node.setdefault(name, {})
        parent = name
    return ".".join(resolved)


def convert(text: str, aliases: dict[str, str]) -> dict:
    resource: dict[str, Any] = {}
    last: dict[int, int] = {}  # current index of each list, by the list's id
    contexts: list[tuple[int, str]] = []  # (indent, resolved path) of the rules lines are indented under
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("//"):
            continue
        line = line.split(" //")[0].rstrip()
        if not line.strip():
            continue
        if line.startswith("Alias:"):
            name, _, value = line.removeprefix("Alias:").partition("=")
            aliases[name.strip()] = value.strip()
            continue
        if line.startswith("Instance:"):
            resource["resourceType"] = "Questionnaire"  # InstanceOf may name a profile of it
            resource["id"] = line.removeprefix("Instance:").strip()
            continue
        if line.split(":")[0] in ("InstanceOf", "Usage", "Title", "Description"):
            continue
        indent = len(line) - len(line.lstrip())
        while contexts and contexts[-1][0] >= indent:
            contexts.pop()
        prefix = contexts[-1][1] + "." if contexts else ""
        rule = RULE.match(line.strip())
        try:
            if rule:
                path = rule["path"].strip()
                name = SEGMENT.match(path.rsplit(".", 1)[-1])
                value = _value(rule["value"], name["name"] if name else "", aliases)
                _walk(resource, last, prefix + path, value, assign=True)
            elif re.fullmatch(r"\*\s+\S+", line.strip()):
                contexts.append((indent, _walk(resource, last, prefix + line.strip()[1:].strip(), assign=False)))
            else:
                raise ValueError("not a rule")
        except ValueError as error:
            raise ValueError(f"line {number} not understood ({error}): {line}") from error
    return resource


def main(paths: list[str]) -> None:
    aliases: dict[str, str] = {}
    *alias_files, instance = paths
    for path in alias_files:
        convert(Path(path).read_text(encoding="utf-8"), aliases)
    resource = convert(Path(instance).read_text(encoding="utf-8"), aliases)
    print(json.dumps(resource, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])

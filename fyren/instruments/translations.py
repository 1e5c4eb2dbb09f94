"""Translations of an instrument that a region adds (#19): the texts a citizen
sees, keyed by where they sit in the definition, as a sheet a translator fills
in. Pure: no database.

A key names a text by its path through the definition, using an item's
``link_id`` or an option's or band's ``code`` where there is one, so that the
key of a question does not change when another is added:
``items/9/text``, ``option_sets/freq/2/text``, ``scoring/bands/total/mild/label``.
Alert messages are for clinicians and are not part of the sheet.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from typing import Any

from django.utils.translation import gettext as _

from fyren.lib import spreadsheets

COLUMNS = ("key", "sv", "en", "translation")
_CLINICIAN_ONLY = ("alerts",)
MAX_ERRORS = 20


def _is_text(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and bool(value)
        and all(isinstance(k, str) and len(k) <= 20 and isinstance(v, str) for k, v in value.items())
        and ("sv" in value or "en" in value)
    )


def _texts(node: Any, path: tuple[str, ...]) -> Iterator[tuple[str, dict]]:
    if _is_text(node):
        yield "/".join(path), node
    elif isinstance(node, dict):
        for key, value in node.items():
            if not path and key in _CLINICIAN_ONLY:
                continue
            yield from _texts(value, (*path, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            name = None
            if isinstance(value, dict):
                name = value.get("link_id", value.get("code"))
            yield from _texts(value, (*path, str(index if name in (None, "") else name)))


def text_nodes(definition: Mapping) -> dict[str, dict]:
    """Every text a citizen sees, by key, in the order of the definition."""
    return dict(_texts(definition, ()))


def sheet(definition: Mapping, translated: Mapping[str, str] | None = None) -> str:
    """The texts as CSV for a translator: key, Swedish, English, and the column
    to fill in — empty, or with the ``translated`` texts (key → text) given before."""
    translated = translated or {}
    out = io.StringIO()
    writer = spreadsheets.writer(out)
    writer.writerow(COLUMNS)
    for key, node in text_nodes(definition).items():
        writer.writerow([key, node.get("sv", ""), node.get("en", ""), translated.get(key, "")])
    return out.getvalue()


class SheetError(ValueError):
    """What is wrong with a filled-in sheet, line by line."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def parse_sheet(definition: Mapping, data: str) -> dict[str, str]:
    """The translated text of every key, from a filled-in sheet (comma or
    semicolon separated, as spreadsheets save it). Every text must be there,
    once, and nothing else; otherwise ``SheetError`` lists what is wrong."""
    data = data.lstrip("\ufeff")
    if not data.strip():
        raise SheetError([_("The file is empty.")])
    first = data.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(data), delimiter=delimiter))
    header = [cell.strip().lower() for cell in rows[0]]
    if "key" not in header or "translation" not in header:
        raise SheetError([_("The first line must name the columns key and translation, as in the sheet to fill in.")])
    key_at, text_at = header.index("key"), header.index("translation")
    nodes = text_nodes(definition)
    texts: dict[str, str] = {}
    problems: list[str] = []
    seen: set[str] = set()
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        key = row[key_at].strip() if key_at < len(row) else ""
        text = spreadsheets.restore_cell(row[text_at].strip()) if text_at < len(row) else ""
        if key not in nodes:
            problems.append(_("Line %(line)s: %(key)s is not a text of this instrument.") % {"line": line, "key": key})
        elif key in seen:
            problems.append(_("Line %(line)s: %(key)s is given twice.") % {"line": line, "key": key})
        elif not text:
            problems.append(_("Line %(line)s: the translation of %(key)s is empty.") % {"line": line, "key": key})
        else:
            texts[key] = text
        seen.add(key)
    missing = [key for key in nodes if key not in seen]
    if missing:
        problems.append(_("Texts missing: %(keys)s.") % {"keys": ", ".join(missing)})
    if problems:
        raise SheetError(problems[:MAX_ERRORS])
    return texts


def with_translation(definition: Mapping, language: str, texts: Mapping[str, str], about: Mapping) -> dict:
    """A copy of the definition that also speaks ``language``. Texts the
    translation lacks (the instrument changed since) keep the other languages,
    as a page does; ``about`` (source, licence, region) is kept under
    ``translations`` so what a response was answered with can be traced."""
    # Through JSON, not deepcopy: the library shares some option lists between
    # items, and a copy must not keep them shared (each has a key of its own).
    merged = json.loads(json.dumps(definition))
    for key, node in text_nodes(merged).items():
        if texts.get(key):
            node[language] = texts[key]
    merged["languages"] = [*(merged.get("languages") or ["sv"]), language]
    merged["translations"] = {**(merged.get("translations") or {}), language: dict(about)}
    return merged

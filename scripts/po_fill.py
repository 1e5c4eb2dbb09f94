"""Fill msgstr entries of a .po file from a Python dict file (a translator's aid).

Usage: python scripts/po_fill.py locale/sv/LC_MESSAGES/django.po translations.py
The translations file defines T = {msgid: msgstr} and PLURALS = {msgid: [forms]}.
Only empty entries are filled; existing translations are kept.
"""

import runpy
import sys

import polib


def main(po_path: str, table_path: str) -> None:
    table = runpy.run_path(table_path)
    singles, plurals = table.get("T", {}), table.get("PLURALS", {})
    contextual = table.get("CONTEXT", {})
    po = polib.pofile(po_path)
    filled = 0
    for entry in po:
        if entry.msgid_plural and entry.msgid in plurals and not any(entry.msgstr_plural.values()):
            entry.msgstr_plural = dict(enumerate(plurals[entry.msgid]))
            filled += 1
        elif (
            not entry.msgid_plural
            and not entry.msgstr
            and entry.msgctxt
            and entry.msgid in contextual.get(entry.msgctxt, singles)
        ):
            entry.msgstr = contextual.get(entry.msgctxt, singles)[entry.msgid]
            filled += 1
        elif not entry.msgid_plural and not entry.msgstr and entry.msgid in singles:
            entry.msgstr = singles[entry.msgid]
            filled += 1
        if "fuzzy" in entry.flags and (entry.msgstr or any(entry.msgstr_plural.values())):
            entry.flags.remove("fuzzy")
    po.metadata_is_fuzzy = False
    po.metadata.update({"Project-Id-Version": "Fyren", "Language": "sv", "Language-Team": "Swedish"})
    po.save()
    missing = [e.msgid for e in po if not e.translated()]
    print(f"filled {filled}; untranslated {len(missing)}")
    for msgid in missing:
        print("  MISSING:", msgid)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

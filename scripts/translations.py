"""The page languages' catalogues (#19): what is translated, what is reviewed,
and the tools to fill them.

    python scripts/translations.py status          # per language: translated, reviewed (make translations)
    python scripts/translations.py new LANG        # a new catalogue (or a new one's header set right)
    python scripts/translations.py export LANG     # the untranslated messages as JSON, numbered
    python scripts/translations.py fill LANG FILE  # translations from JSON {number or id: text or [forms]}
    python scripts/translations.py calendar        # weekday and month names (Django's catalogues, CLDR)
    python scripts/translations.py check           # placeholders and markup kept in every translation

A translation written by Fyren's developers carries the translator comment
``awaiting review`` until a qualified translator has read it and removed the
comment (any PO editor shows it). The Swedish catalogue counts the same way.
Message ids are the English text; English needs no catalogue.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import polib
from babel import Locale
from babel.messages.catalog import Catalog

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locale"
LANGUAGES = ["sv", "fi", "ar", "fa", "so", "ti", "uk"]  # the catalogues (English is the message ids)
AWAITING = "awaiting review"
CLDR = "source: Unicode CLDR (through Babel)"
DJANGO = "source: Django's own catalogue"
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sd]|%[sd]|\{[a-z_0-9]*\}|</?[a-z]+[^>]*>|&[a-z]+;")


def path_of(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def load(lang: str) -> polib.POFile:
    return polib.pofile(str(path_of(lang)), wrapwidth=76)


def translated(entry: polib.POEntry) -> bool:
    if entry.obsolete or "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def awaiting(entry: polib.POEntry) -> bool:
    return AWAITING in (entry.tcomment or "")


def status() -> list[dict]:
    rows = []
    for lang in LANGUAGES:
        if not path_of(lang).exists():
            rows.append({"lang": lang, "messages": 0, "translated": 0, "reviewed": 0})
            continue
        entries = [e for e in load(lang) if not e.obsolete]
        done = [e for e in entries if translated(e)]
        rows.append(
            {
                "lang": lang,
                "messages": len(entries),
                "translated": len(done),
                "reviewed": sum(1 for e in done if not awaiting(e)),
            }
        )
    return rows


def print_status() -> None:
    print(f"{'language':22s} {'messages':>8s} {'translated':>11s} {'reviewed':>11s}")
    for row in status():
        total = row["messages"] or 1
        name = Locale.parse(row["lang"]).english_name
        print(
            f"{row['lang'] + ' ' + name:22s} {row['messages']:8d} "
            f"{row['translated']:5d} {100 * row['translated'] / total:4.0f} % "
            f"{row['reviewed']:5d} {100 * row['reviewed'] / total:4.0f} %"
        )
    print(f"reviewed = translated and without the translator comment {AWAITING!r}")


def new(lang: str) -> None:
    """A catalogue with the Swedish one's message ids and the language's plural rule."""
    target = path_of(lang)
    source = load("sv")
    po = load(lang) if target.exists() else polib.POFile(wrapwidth=76)
    locale = Locale.parse(lang)
    po.metadata = {
        **source.metadata,
        "Language": lang,
        "Plural-Forms": Catalog(locale=locale).plural_forms,
        "Language-Team": f"{locale.english_name} (awaiting a qualified translator)",
    }
    po.metadata_is_fuzzy = False  # a fuzzy header would make the compiler skip the catalogue
    po.header = "Fyren's messages in " + locale.english_name
    if target.exists():  # made by makemessages: the header only
        po.save()
        return
    for entry in source:
        if entry.obsolete:
            continue
        po.append(
            polib.POEntry(
                msgid=entry.msgid,
                msgid_plural=entry.msgid_plural,
                msgctxt=entry.msgctxt,
                msgstr="",
                msgstr_plural=dict.fromkeys(range(plural_count(lang)), "") if entry.msgid_plural else {},
                flags=[f for f in entry.flags if f != "fuzzy"],
            )
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(target))


def plural_count(lang: str) -> int:
    return Catalog(locale=Locale.parse(lang)).num_plurals


def key_of(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def export(lang: str) -> None:
    po = load(lang)
    todo = []
    for number, entry in enumerate(po):
        if translated(entry) or entry.obsolete:
            continue
        item = {"n": number, "id": entry.msgid}
        if entry.msgid_plural:
            item["plural"] = entry.msgid_plural
            item["forms"] = plural_count(lang)
        if entry.msgctxt:
            item["context"] = entry.msgctxt
        todo.append(item)
    json.dump(todo, sys.stdout, ensure_ascii=False, indent=0)


def fill(lang: str, table_path: str) -> None:
    """Empty entries only; each filled one is marked as awaiting review."""
    table = json.loads(Path(table_path).read_text(encoding="utf-8"))
    po = load(lang)
    entries = list(po)
    by_key = {key_of(e): e for e in entries}
    filled = 0
    for key, text in table.items():
        entry = entries[int(key)] if key.isdigit() else by_key.get(key)
        if entry is None or translated(entry):
            continue
        if entry.msgid_plural:
            forms = list(text) if isinstance(text, list) else [text]
            forms += [forms[-1]] * (plural_count(lang) - len(forms))
            entry.msgstr_plural = dict(enumerate(forms[: plural_count(lang)]))
        else:
            entry.msgstr = text if isinstance(text, str) else text[0]
        mark_awaiting(entry)
        filled += 1
    po.save()
    print(f"{lang}: {filled} filled, {sum(1 for e in po if not translated(e))} left")


def mark_awaiting(entry: polib.POEntry) -> None:
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    if not awaiting(entry):
        entry.tcomment = "\n".join(filter(None, [entry.tcomment, AWAITING]))


def calendar() -> None:
    """Weekday and month names: Django's own translations where it has them (so
    that nothing changes), else the CLDR's."""
    from babel.dates import get_day_names, get_month_names

    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    short_days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    months = [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]  # fmt: skip
    short_months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    ap_months = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
    keys = set(days + short_days + months + short_months)
    keys |= {f"abbrev. month\x04{m}" for m in ap_months} | {f"alt. month\x04{m}" for m in months}
    django_locale = Path(__import__("django").__file__).parent / "conf" / "locale"
    for lang in LANGUAGES:
        theirs = django_locale / lang / "LC_MESSAGES" / "django.po"
        if theirs.exists():
            names = {key_of(e): e.msgstr for e in polib.pofile(str(theirs)) if key_of(e) in keys}
            comment = DJANGO
        else:
            wide_days, abbr_days = get_day_names("wide", locale=lang), get_day_names("abbreviated", locale=lang)
            wide, abbr = get_month_names("wide", locale=lang), get_month_names("abbreviated", locale=lang)
            standalone = get_month_names("wide", context="stand-alone", locale=lang)
            names = {}
            for i, name in enumerate(days):
                names[name], names[short_days[i]] = wide_days[i], abbr_days[i]
            for i, name in enumerate(months, start=1):
                names[name], names[short_months[i - 1]] = wide[i], abbr[i]
                names[f"abbrev. month\x04{ap_months[i - 1]}"] = abbr[i]
                names[f"alt. month\x04{name}"] = standalone[i]
            comment = CLDR
        po = load(lang)
        for entry in po:
            if key_of(entry) in keys and names.get(key_of(entry)) and not translated(entry):
                entry.msgstr, entry.tcomment = names[key_of(entry)], comment
        po.save()


def check() -> int:
    """Every translation keeps its message's placeholders and markup (same multiset)."""
    problems = 0
    for lang in LANGUAGES:
        if not path_of(lang).exists():
            continue
        for entry in load(lang):
            if not translated(entry):
                continue
            sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
            wanted = sorted(PLACEHOLDER.findall(sources[-1]))
            texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
            for text in texts:
                got = sorted(PLACEHOLDER.findall(text))
                # A plural form may leave the count out ("one message"); nothing else may go.
                if got != wanted and not (entry.msgid_plural and set(got) <= set(wanted)):
                    problems += 1
                    print(f"{lang}: {entry.msgid[:60]!r}: {got} != {wanted}")
    return problems


def main(argv: list[str]) -> int:
    command, *rest = argv or ["status"]
    if command == "status":
        print_status()
    elif command == "new":
        new(rest[0])
    elif command == "export":
        export(rest[0])
    elif command == "fill":
        fill(rest[0], rest[1])
    elif command == "calendar":
        calendar()
    elif command == "check":
        return 1 if check() else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""The page languages (#19): which the visitor's browser prefers, the order the
language menu offers them in, and the one to offer first.

Fyren speaks Swedish until the visitor chooses (many Swedes run browsers set to
English); the browser's preference decides what is *offered* first, never what
is shown."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation.trans_real import parse_accept_lang_header


@dataclass(frozen=True)
class PageLanguage:
    code: str
    name_local: str  # the language's name in itself: "العربيّة", "suomi"
    bidi: bool

    @property
    def direction(self) -> str:
        return "rtl" if self.bidi else "ltr"


def page_languages() -> list[PageLanguage]:
    return [PageLanguage(code, name_local(code), code in settings.LANGUAGES_BIDI) for code, _name in settings.LANGUAGES]


def browser_languages(accept_language: str) -> list[str]:
    """Fyren's languages the browser asks for, most wanted first (``ar-SE`` is Arabic)."""
    known = [code for code, _name in settings.LANGUAGES]
    wanted: list[str] = []
    for tag, quality in parse_accept_lang_header(accept_language or ""):
        if quality <= 0 or tag == "*":
            continue
        base = tag.lower().split("-")[0]
        if base in known and base not in wanted:
            wanted.append(base)
    return wanted


def ordered_for(accept_language: str) -> list[PageLanguage]:
    """The menu's order: the browser's languages first, then the rest as configured."""
    languages = page_languages()
    preferred = browser_languages(accept_language)
    rank = {code: i for i, code in enumerate(preferred)}
    return sorted(languages, key=lambda lang: rank.get(lang.code, len(rank)))


def offer_for(accept_language: str, current: str) -> PageLanguage | None:
    """The browser's most wanted language when it is not the page's, else None."""
    preferred = browser_languages(accept_language)
    if not preferred or preferred[0] == current:
        return None
    return next(lang for lang in page_languages() if lang.code == preferred[0])


def direction_of(code: str) -> str:
    """ "rtl" or "ltr" for a page or program language (``ar``, ``sv-x-lattlast``)."""
    return "rtl" if (code or "").split("-")[0] in settings.LANGUAGES_BIDI else "ltr"


def name_local(code: str) -> str:
    """A language's name in itself ("العربيّة", "Lättläst svenska")."""
    try:
        name = get_language_info(code)["name_local"]
    except KeyError:
        return code
    return name[:1].upper() + name[1:]

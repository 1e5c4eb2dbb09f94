"""Urgent words in citizens' messages (pure, no database).

The phrase list lives in ``data/urgent_phrases.txt`` (sections per language) so
the clinical safety lead can maintain it without touching code; a deployment may
add its own file with ``FYREN_URGENT_PHRASES_FILE``. Every language's phrases
are checked whatever the message's language: people mix languages.

Matching forgives what people vary when they type: case, punctuation, accents
and diacritics (ä/a, Arabic harakat and hamza forms, й/и), Arabic and Persian
letter variants (ي ى ی, ك ک, ة ه, the tatweel), apostrophes inside words
(don't/dont, б'є/бє), the zero-width non-joiner Persian writes between a
word's parts (written, left out, or typed as a space), and the Tigrinya letters
that are written for one another (ሰ/ሠ, ጸ/ፀ). A section header may say
``[ar] awaiting clinical review`` until the clinical safety lead has reviewed it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

DEFAULT_FILE = Path(__file__).parent / "data" / "urgent_phrases.txt"
MAX_GAP_WORDS = 2


ZWNJ = "\u200c"
# Letters written for one another, to one form (after the accents are gone).
_VARIANTS = str.maketrans(
    {
        "\u064a": "\u06cc",  # Arabic yeh → Persian yeh
        "\u0649": "\u06cc",  # alef maksura → Persian yeh
        "\u0643": "\u06a9",  # Arabic kaf → Persian keheh
        "\u0629": "\u0647",  # teh marbuta → heh
        "\u0640": None,  # tatweel (a stretching stroke, not a letter)
        ZWNJ: None,
        "'": None,
        "\u2019": None,  # ’
        "\u02bc": None,  # ʼ (the Ukrainian apostrophe as a letter)
        "`": None,
        **{chr(0x1220 + i): chr(0x1230 + i) for i in range(8)},  # ሠ… → ሰ…
        **{chr(0x1340 + i): chr(0x1338 + i) for i in range(8)},  # ፀ… → ጸ…
    }
)


def normalise(text: str) -> str:
    """Lower case without accents or diacritics, letter variants to one form,
    punctuation and underscores to spaces, one space between words."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_VARIANTS)
    return " ".join(re.sub(r"[\W_]+", " ", unicodedata.normalize("NFC", bare)).split())


def parse_phrases(text: str) -> dict[str, list[str]]:
    """Phrases per language section (``[sv]``) from a phrase file's text."""
    return {language: section["phrases"] for language, section in parse_sections(text).items()}


def parse_sections(text: str) -> dict[str, dict]:
    """Each language section's phrases and whether it awaits clinical review
    (the words after its header: ``[fi] awaiting clinical review``)."""
    sections: dict[str, dict] = {}
    language = "any"
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            language, _bracket, note = line[1:].partition("]")
            language = language.strip()
            sections.setdefault(language, {"phrases": [], "awaiting_review": "awaiting" in note.lower()})
            continue
        sections.setdefault(language, {"phrases": [], "awaiting_review": False})["phrases"].append(line)
    return sections


def _pattern(phrase: str) -> re.Pattern | None:
    words = []
    for word in phrase.split():
        prefix, stem = word.startswith("*"), word.endswith("*")
        # Parts joined by a zero-width non-joiner may be typed together or apart.
        parts = [normalise(part) for part in word.strip("*").split(ZWNJ)]
        if not any(parts):
            continue
        # A word normalised into several (e-mail → e mail) stays one unit.
        part = r"\s?".join(r"\s".join(re.escape(w) for w in core.split()) for core in parts if core)
        words.append((r"\w*" if prefix else "") + part + (r"\w*" if stem else ""))
    if not words:
        return None
    # Up to two other words may stand between a phrase's words, so word order
    # and small insertions still match ("vill jag inte leva", "want so much to die").
    gap = rf"\s(?:\w+\s){{0,{MAX_GAP_WORDS}}}"
    return re.compile(r"(?<!\w)" + gap.join(words) + r"(?!\w)")


@lru_cache(maxsize=8)
def compiled(files: tuple[str, ...]) -> tuple[tuple[str, re.Pattern], ...]:
    out = []
    for name in files:
        for phrases in parse_phrases(Path(name).read_text(encoding="utf-8")).values():
            for phrase in phrases:
                pattern = _pattern(phrase)
                if pattern is not None:
                    out.append((phrase, pattern))
    return tuple(out)


def phrase_files() -> tuple[str, ...]:
    from django.conf import settings

    extra = getattr(settings, "FYREN_URGENT_PHRASES_FILE", "")
    return (str(DEFAULT_FILE), extra) if extra else (str(DEFAULT_FILE),)


def urgent_phrases_in(text: str, *, files: tuple[str, ...] | None = None) -> list[str]:
    """The listed phrases found in ``text``, in list order, each once."""
    haystack = normalise(text or "")
    if not haystack:
        return []
    found: list[str] = []
    for phrase, pattern in compiled(files or phrase_files()):
        if phrase not in found and pattern.search(haystack):
            found.append(phrase)
    return found

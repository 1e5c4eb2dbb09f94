"""Urgent words in citizens' messages (pure, no database).

The phrase list lives in ``data/urgent_phrases.txt`` (sections per language) so
the clinical safety lead can maintain it without touching code; a deployment may
add its own file with ``FYREN_URGENT_PHRASES_FILE``. Every language's phrases
are checked whatever the message's language: people mix languages.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

DEFAULT_FILE = Path(__file__).parent / "data" / "urgent_phrases.txt"
MAX_GAP_WORDS = 2


def normalise(text: str) -> str:
    """Lower case, punctuation and underscores to spaces, one space between words."""
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def parse_phrases(text: str) -> dict[str, list[str]]:
    """Phrases per language section (``[sv]``) from a phrase file's text."""
    phrases: dict[str, list[str]] = {}
    language = "any"
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            language = line[1:-1].strip()
            continue
        phrases.setdefault(language, []).append(line)
    return phrases


def _pattern(phrase: str) -> re.Pattern | None:
    words = []
    for word in phrase.split():
        stem = word.endswith("*")
        core = normalise(word.rstrip("*"))
        if not core:
            continue
        # A word normalised into several (don't → don t) stays one unit.
        part = r"\s".join(re.escape(w) for w in core.split())
        words.append(part + (r"\w*" if stem else ""))
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

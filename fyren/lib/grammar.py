"""Small pieces of grammar that translations cannot carry. Pure."""

from __future__ import annotations


def possessive(name: str, lang: str) -> str:
    """The genitive of a name: Swedish adds -s, but not after s, x or z
    ("Gunnars", "Lars", "Max"); English adds 's ("Gunnar's", "James's")."""
    name = name.strip()
    if not name:
        return name
    if lang.startswith("sv"):
        return name if name[-1].lower() in "sxz" else f"{name}s"
    return f"{name}'s"

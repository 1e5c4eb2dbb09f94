"""How pages are shown (#19): larger text and high contrast, remembered on the
user for every login, and in the browser (cookies) for anyone."""

from __future__ import annotations

COOKIES = {"text_size": "fyren_text_size", "contrast": "fyren_contrast"}


def display_settings(request) -> dict[str, str]:
    """The logged-in user's remembered choice, else this browser's."""
    user = request.user
    if getattr(user, "is_authenticated", False):
        return {"text_size": user.text_size, "contrast": user.contrast}
    return {name: request.COOKIES.get(cookie, "") for name, cookie in COOKIES.items()}


def display_classes(request) -> str:
    """The classes on ``<html>``: ``text-large``, ``contrast-high``."""
    chosen = display_settings(request)
    classes = []
    if chosen["text_size"] in ("large", "larger"):
        classes.append(f"text-{chosen['text_size']}")
    if chosen["contrast"] == "high":
        classes.append("contrast-high")
    return " ".join(classes)

"""Checking uploaded media by content, not by name (pure, no database)."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO

import webvtt
from django.conf import settings
from PIL import Image, UnidentifiedImageError

from fyren.lib.uploads import as_file, head_of

# (signature check, content type, extension)
_SIGNATURES = [
    (lambda b: b.startswith(b"%PDF-"), "application/pdf", "pdf"),
    (lambda b: b.startswith(b"\x89PNG\r\n\x1a\n"), "image/png", "png"),
    (lambda b: b.startswith(b"\xff\xd8\xff"), "image/jpeg", "jpg"),
    (lambda b: b[:6] in (b"GIF87a", b"GIF89a"), "image/gif", "gif"),
    (lambda b: len(b) > 12 and b[4:8] == b"ftyp", "video/mp4", "mp4"),
    (lambda b: b.startswith(b"\x1a\x45\xdf\xa3"), "video/webm", "webm"),
    (lambda b: b.startswith(b"ID3") or b[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"), "audio/mpeg", "mp3"),
    (lambda b: b.startswith(b"OggS"), "audio/ogg", "ogg"),
]

IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif"}
ALLOWED = {
    "image": IMAGE_TYPES,
    "file": IMAGE_TYPES | {"application/pdf"},
    "attachment": IMAGE_TYPES | {"application/pdf"},
    "video": {"video/mp4", "video/webm"},
    "audio": {"audio/mpeg", "audio/ogg"},
}


class RejectedFile(ValueError):
    """The file is not acceptable; the message says why, for the person uploading."""


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int


def max_size(kind: str) -> int:
    limits = getattr(settings, "FYREN_MEDIA_MAX_BYTES", {})
    defaults = {
        "image": 5 * 2**20,
        "file": 10 * 2**20,
        "attachment": 10 * 2**20,
        "audio": 50 * 2**20,
        "video": 200 * 2**20,
    }
    return limits.get(kind, defaults[kind])


def check_upload(data: bytes | IO[bytes], *, kind: str) -> CheckedFile:
    """Accept ``data`` (bytes, or an uploaded file read only as far as needed)
    for an element of ``kind`` (image, file, video, audio) only if its content
    is one of the allowed types and within the size limit; an image must also
    be within ``FYREN_MAX_IMAGE_PIXELS`` (checked from its header, before any
    decoding)."""
    from django.utils.translation import gettext as _

    if kind not in ALLOWED:
        raise RejectedFile(_("This kind of element takes no file."))
    file = as_file(data)
    size = file.size
    if not size:
        raise RejectedFile(_("The file is empty."))
    limit = max_size(kind)
    if size > limit:
        raise RejectedFile(_("The file is too large (at most %(mb)d MB).") % {"mb": limit // 2**20})
    head = head_of(file)
    found = next(((ctype, ext) for test, ctype, ext in _SIGNATURES if test(head)), None)
    if found is None or found[0] not in ALLOWED[kind]:
        names = {
            "image": "PNG, JPG, GIF",
            "file": "PDF, PNG, JPG, GIF",
            "attachment": "PDF, PNG, JPG, GIF",
            "video": "MP4, WebM",
            "audio": "MP3, Ogg",
        }
        raise RejectedFile(_("The file's content is not an allowed type (%(types)s).") % {"types": names[kind]})
    ctype, ext = found
    if ctype in IMAGE_TYPES:
        _check_image(file)
    return CheckedFile(content_type=ctype, extension=ext, size=size)


def _check_image(stream) -> None:
    from django.utils.translation import gettext as _

    most = settings.FYREN_MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream) as image:
                width, height = image.size
                if width * height > most:
                    raise RejectedFile(
                        _("The image is too large: %(w)d × %(h)d pixels (at most %(mp)d megapixels).")
                        % {"w": width, "h": height, "mp": most // 1_000_000}
                    )
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise RejectedFile(_("The image is too large to open safely.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise RejectedFile(_("The image is damaged or not really an image.")) from None
    finally:
        stream.seek(0)


def check_webvtt(text: str) -> list[str]:
    """Problems with a WebVTT captions text (empty when valid and non-empty)."""
    from django.utils.translation import gettext as _

    if not text or not text.strip():
        return [_("Captions are missing.")]
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        return [_("Captions must be WebVTT: the text starts with WEBVTT.")]
    try:
        captions = webvtt.from_buffer(io.StringIO(text))
    except Exception as exc:  # webvtt-py raises several error types for malformed input
        return [_("The captions cannot be read: %(error)s") % {"error": exc}]
    if not captions.captions:
        return [_("The captions contain no cues.")]
    return []

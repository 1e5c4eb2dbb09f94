"""Uploads without reading them whole into memory: a hard cap applied while the
request streams in, and helpers that read files in chunks."""

from __future__ import annotations

import hashlib
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _

CHUNK = 64 * 1024


class LimitedUploadHandler(FileUploadHandler):
    """First in ``FILE_UPLOAD_HANDLERS``: stops receiving a file as soon as it
    passes ``FYREN_MAX_UPLOAD_BYTES`` (the largest any kind of file may be), so
    an oversized upload costs neither memory nor disk. The file's name is kept
    in ``request.fyren_refused_uploads`` for the view to explain; the other
    fields of the form arrive as usual. Per-kind limits are checked afterwards
    from the size alone (``programs.files.check_upload``)."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.FYREN_MAX_UPLOAD_BYTES:
            refused = getattr(self.request, "fyren_refused_uploads", [])
            refused.append(self.file_name)
            setattr(self.request, "fyren_refused_uploads", refused)  # noqa: B010 - not a field HttpRequest declares
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the file


def refused_uploads(request) -> list[str]:
    """Names of files that were too large to receive."""
    return list(getattr(request, "fyren_refused_uploads", []))


def upload_too_large_message(name: str) -> str:
    return _("%(name)s is larger than %(mb)d MB and was not received. Nothing else was lost.") % {
        "name": name,
        "mb": settings.FYREN_MAX_UPLOAD_BYTES // 2**20,
    }


def as_file(data: bytes | IO[bytes]) -> File:
    """Bytes or an uploaded file as one kind of object: a Django ``File`` with
    ``size``, ``seek``, ``read`` and ``chunks``."""
    if isinstance(data, File):
        return data
    return ContentFile(data) if isinstance(data, bytes | bytearray) else File(data)


def head_of(file: File, n: int = 16) -> bytes:
    """The first ``n`` bytes (the file is left at its start)."""
    file.seek(0)
    head = file.read(n)
    file.seek(0)
    return head


def sha256_of(file: File) -> str:
    """The SHA-256 of the whole file, read in chunks."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks(CHUNK):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()

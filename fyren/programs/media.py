"""Serving a program's stored files, and finding them by content."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import FileResponse

from .models import MediaAsset


def asset_response(asset: MediaAsset) -> FileResponse:
    """The stored file, shown in the browser; a PDF is downloaded."""
    response = FileResponse(asset.file.open("rb"), content_type=asset.content_type)
    if asset.content_type == "application/pdf":
        response["Content-Disposition"] = f'attachment; filename="{asset.sha256[:12]}.pdf"'
    return response


def assets_by_sha(shas: Iterable[str]) -> dict[str, MediaAsset]:
    """One stored file per SHA-256 (a recording several regions stored is the same
    bytes: any of them will do); one query, none for no hashes."""
    wanted = set(shas)
    if not wanted:
        return {}
    return {asset.sha256: asset for asset in MediaAsset.objects.filter(sha256__in=wanted)}

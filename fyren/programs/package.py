"""Portable program packages: one zip file with ``manifest.json`` (the version's
document and where it came from) and ``media/<sha256>.<ext>`` for each file.

Import checks everything before writing anything: a malformed or unsafe package
is refused with a message naming the problem, and nothing changes."""

from __future__ import annotations

import hashlib
import io
import json
import re
import uuid
import zipfile

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.accounts.roles import Role
from fyren.audit.services import audit_event_write

from . import conditions, elements
from .files import RejectedFile, check_upload
from .media import assets_by_sha
from .models import Element, Kind, Licence, Module, Program, ProgramVersion, Section, Step, TreatmentKind, UnlockRule
from .permissions import regions_with_role
from .services import asset_store
from .tree import document, load_tree

FORMAT, FORMAT_VERSION = "fyren-program", 1
MAX_PACKAGE_BYTES = 300 * 2**20
MAX_UNPACKED_BYTES = 600 * 2**20
MAX_ENTRIES = 2000
MEDIA_NAME = re.compile(r"^media/(?P<sha>[0-9a-f]{64})\.(?P<ext>pdf|png|jpg|gif|mp4|webm|mp3|ogg)$")


class PackageError(ValidationError):
    pass


def _age(value) -> int | None:
    return value if isinstance(value, int) and 0 <= value <= 120 else None


def export_package(version: ProgramVersion) -> bytes:
    tree = load_tree(version)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "source": {
            "owner": version.program.owner.name,
            "organisation_number": version.program.owner.organisation_number,
            "program": version.program_id,
            "version": version.number,
            "status": version.status,
        },
        "program": document(tree),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        seen = set()
        for element in tree.elements():
            stored = [element.asset] if element.asset is not None else []
            stored += assets_by_sha(elements.spoken_files(element.kind, element.content).values()).values()
            for asset in stored:
                if asset.sha256 in seen:
                    continue
                seen.add(asset.sha256)
                extension = asset.file.name.rsplit(".", 1)[-1]
                with asset.file.open("rb") as fh:
                    archive.writestr(f"media/{asset.sha256}.{extension}", fh.read())
    return buffer.getvalue()


def _fail(message: str):
    raise PackageError(_("The package was not imported: %(problem)s") % {"problem": message})


def _read_archive(data: bytes) -> tuple[dict, dict[str, bytes]]:
    if len(data) > MAX_PACKAGE_BYTES:
        _fail(_("it is larger than %(mb)d MB.") % {"mb": MAX_PACKAGE_BYTES // 2**20})
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        _fail(_("it is not a zip file."))
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        _fail(_("it contains too many files."))
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        _fail(_("it unpacks to more than %(mb)d MB.") % {"mb": MAX_UNPACKED_BYTES // 2**20})
    names = [info.filename for info in infos if not info.is_dir()]
    if "manifest.json" not in names:
        _fail(_("manifest.json is missing."))
    media = {}
    for name in names:
        if name == "manifest.json":
            continue
        match = MEDIA_NAME.match(name)
        if not match:
            _fail(_("it contains an unexpected file: %(name)s.") % {"name": name[:100]})
        media[match.group("sha")] = archive.read(name)
    try:
        manifest = json.loads(archive.read("manifest.json").decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        _fail(_("manifest.json is not valid JSON (%(error)s).") % {"error": exc})
    return manifest, media


def _text_map(value, where: str, languages: list[str]) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        _fail(_("%(where)s must map languages to texts.") % {"where": where})
    unknown = set(value) - set(languages)
    if unknown:
        _fail(
            _("%(where)s has text in a language the program does not have: %(langs)s.")
            % {"where": where, "langs": ", ".join(sorted(unknown))}
        )
    return value


def _key(value, where: str, seen: set) -> uuid.UUID:
    try:
        key = uuid.UUID(str(value))
    except ValueError:
        _fail(_("%(where)s has no valid key.") % {"where": where})
    if key in seen:
        _fail(_("%(where)s repeats the key %(key)s.") % {"where": where, "key": key})
    seen.add(key)
    return key


def _list(value, where: str) -> list:
    if not isinstance(value, list):
        _fail(_("%(where)s must be a list.") % {"where": where})
    return value


def _check_packed(media: dict[str, bytes], sha: str, media_kind: str, where: str) -> None:
    """A file an element names: in the package, undamaged, and of its kind."""
    if sha not in media:
        _fail(_("%(where)s names a file that is not in the package.") % {"where": where})
    if hashlib.sha256(media[sha]).hexdigest() != sha:
        _fail(_("a file in the package is damaged (its checksum does not match)."))
    try:
        check_upload(media[sha], kind=media_kind)
    except RejectedFile as exc:
        _fail(f"{where}: {exc}")


def validate_manifest(manifest: dict, media: dict[str, bytes]) -> dict:
    """Check the manifest's shape and every file it names. Returns the program document."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        _fail(_("it is not a Fyren program package."))
    if manifest.get("format_version") != FORMAT_VERSION:
        _fail(_("package format version %(v)s is not supported.") % {"v": manifest.get("format_version")})
    doc = manifest.get("program")
    if not isinstance(doc, dict):
        _fail(_("the program is missing."))
    supported = {code for code, _name in settings.FYREN_PROGRAM_LANGUAGES}
    languages = doc.get("languages")
    if not isinstance(languages, list) or not languages or not set(languages) <= supported:
        _fail(_("the languages must be some of: %(langs)s.") % {"langs": ", ".join(sorted(supported))})
    if doc.get("kind") not in Kind.values:
        _fail(_("unknown program kind."))
    if doc.get("licence") not in Licence.values:
        _fail(_("unknown licence."))
    if doc.get("unlock_rule") not in UnlockRule.values:
        _fail(_("unknown unlocking rule."))
    if not isinstance(doc.get("unlock_interval_days"), int) or doc["unlock_interval_days"] < 1:
        _fail(_("the days between modules must be a positive whole number."))
    for name in ("title", "summary", "target_group", "indications", "contact_info"):
        _text_map(doc.get(name), name, languages)
    seen: set = set()
    used_media: set[str] = set()
    for m, module in enumerate(_list(doc.get("modules"), "modules"), start=1):
        where = _("module %(n)d") % {"n": m}
        if not isinstance(module, dict):
            _fail(where)
        _key(module.get("key"), where, seen)
        _text_map(module.get("title"), where, languages)
        _text_map(module.get("intro"), where, languages)
        for s, section in enumerate(_list(module.get("sections"), where), start=1):
            s_where = f"{where}, " + _("section %(n)d") % {"n": s}
            _key(section.get("key"), s_where, seen)
            _text_map(section.get("title"), s_where, languages)
            for p, step in enumerate(_list(section.get("steps"), s_where), start=1):
                p_where = f"{s_where}, " + _("page %(n)d") % {"n": p}
                _key(step.get("key"), p_where, seen)
                _text_map(step.get("title"), p_where, languages)
                if conditions.validate(step.get("condition")):
                    _fail(_("%(where)s has a malformed condition.") % {"where": p_where})
                for e, element in enumerate(_list(step.get("elements"), p_where), start=1):
                    e_where = f"{p_where}, " + _("element %(n)d") % {"n": e}
                    _key(element.get("key"), e_where, seen)
                    kind = element.get("kind")
                    if kind not in elements.KINDS:
                        _fail(_("%(where)s has an unknown kind.") % {"where": e_where})
                    content = element.get("content")
                    if not isinstance(content, dict):
                        _fail(_("%(where)s has no content.") % {"where": e_where})
                    shape = elements.problems(kind, content, languages=languages)
                    if shape:
                        _fail(f"{e_where}: {shape[0]}")
                    if conditions.validate(element.get("condition")):
                        _fail(_("%(where)s has a malformed condition.") % {"where": e_where})
                    sha = element.get("asset")
                    if sha is not None:
                        if kind not in elements.MEDIA_KINDS:
                            _fail(_("%(where)s cannot have a file.") % {"where": e_where})
                        _check_packed(media, sha, elements.MEDIA_KINDS[kind], e_where)
                        used_media.add(sha)
                    for sha in elements.spoken_files(kind, content).values():  # a text's recordings
                        _check_packed(media, sha, "audio", e_where)
                        used_media.add(sha)
    if set(media) - used_media:
        _fail(_("it contains files that no element uses."))
    return doc


def import_package(*, actor, region, data: bytes) -> ProgramVersion:
    """Create a new program owned by ``region`` with the package's content as a
    draft, to be reviewed and published there."""
    if not regions_with_role(actor, Role.DESIGNER).filter(pk=region.pk).exists():
        raise PermissionDenied
    manifest, media = _read_archive(data)
    doc = validate_manifest(manifest, media)
    source = manifest.get("source") or {}
    with transaction.atomic():
        program = Program.objects.create(owner=region, created_by=actor)
        origin = str(source.get("owner") or "")[:150]
        attribution = str(doc.get("attribution") or "")
        if origin and origin not in attribution:
            attribution = (attribution + " " + _("Imported from %(owner)s.") % {"owner": origin}).strip()
        version = ProgramVersion.objects.create(
            program=program,
            number=1,
            created_by=actor,
            title=doc.get("title") or {},
            summary=doc.get("summary") or {},
            target_group=doc.get("target_group") or {},
            indications=doc.get("indications") or {},
            contact_info=doc.get("contact_info") or {},
            kind=doc["kind"],
            languages=doc["languages"],
            licence=doc["licence"],
            attribution=attribution[:300],
            messaging_enabled=bool(doc.get("messaging_enabled", True)),
            unlock_rule=doc["unlock_rule"],
            unlock_interval_days=doc["unlock_interval_days"],
            screening=doc.get("screening") if isinstance(doc.get("screening"), dict) else {},
            inactivity_days=doc["inactivity_days"] if isinstance(doc.get("inactivity_days"), int) else 7,
            treatment_kind=doc.get("treatment_kind") if doc.get("treatment_kind") in TreatmentKind.values else "",
            min_age=_age(doc.get("min_age")),
            max_age=_age(doc.get("max_age")),
            guardian_participation=doc.get("guardian_participation") or {},
        )
        assets = {}
        for sha, blob in media.items():
            kind = next(
                (elements.MEDIA_KINDS[e["kind"]] for e in _elements(doc) if e.get("asset") == sha), "audio"
            )  # else a text's spoken version
            assets[sha] = asset_store(
                owner=region, data=blob, checked=check_upload(blob, kind=kind), name="", actor=actor
            )
        for m_pos, module in enumerate(doc["modules"], start=1):
            new_module = Module.objects.create(
                version=version,
                key=module["key"],
                position=m_pos,
                title=module.get("title") or {},
                intro=module.get("intro") or {},
            )
            for s_pos, section in enumerate(module["sections"], start=1):
                new_section = Section.objects.create(
                    version=version,
                    module=new_module,
                    key=section["key"],
                    position=s_pos,
                    title=section.get("title") or {},
                )
                for p_pos, step in enumerate(section["steps"], start=1):
                    new_step = Step.objects.create(
                        version=version,
                        section=new_section,
                        key=step["key"],
                        position=p_pos,
                        title=step.get("title") or {},
                        condition=step.get("condition"),
                    )
                    Element.objects.bulk_create(
                        [
                            Element(
                                version=version,
                                step=new_step,
                                key=e["key"],
                                position=e_pos,
                                kind=e["kind"],
                                content=e["content"],
                                condition=e.get("condition"),
                                asset=assets.get(e.get("asset")) if e.get("asset") else None,
                            )
                            for e_pos, e in enumerate(step["elements"], start=1)
                        ]
                    )
        audit_event_write(
            actor=actor, action="program.import", obj=version, data={"program": program.pk, "source": source}
        )
    return version


def _elements(doc):
    for module in doc["modules"]:
        for section in module["sections"]:
            for step in section["steps"]:
                yield from step["elements"]

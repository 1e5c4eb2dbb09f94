"""Writes about programs: design, workflow, sharing. Each runs in one
transaction with its permission check and audit event."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.accounts.roles import Role
from fyren.audit.services import audit_event_write
from fyren.lib.uploads import as_file, sha256_of

from . import conditions, elements
from .checks import CHECKLIST, version_problems
from .files import RejectedFile, check_upload
from .models import (
    ADAPTABLE_LICENCES,
    Adoption,
    Element,
    ImmutableVersionError,
    MediaAsset,
    Module,
    Program,
    ProgramVersion,
    Review,
    Section,
    Step,
    UnitProgram,
    text_in,
)
from .permissions import can_design, provider_regions, regions_with_role, versions_reviewable_by
from .templates_library import apply_template
from .tree import VERSION_FIELDS, load_tree

Status = ProgramVersion.Status
NODE_MODELS = {"module": Module, "section": Section, "step": Step, "element": Element}
PARENT_FIELD = {Module: None, Section: "module", Step: "section", Element: "step"}


def _require_designer(actor, program: Program):
    if not can_design(actor, program):
        raise PermissionDenied


def _require_draft(version: ProgramVersion):
    if version.status != Status.DRAFT:
        raise ImmutableVersionError(_("Only a draft can be changed. Make a new version to edit a published one."))


def _audit(actor, action, version, **data):
    audit_event_write(
        actor=actor, action=action, obj=version, data={"program": version.program_id, "version": version.number, **data}
    )


# --- Creating programs ---------------------------------------------------------


def program_create(
    *,
    actor,
    region,
    title: str,
    kind: str,
    languages: list[str],
    template: str | None = None,
) -> ProgramVersion:
    """A new program owned by ``region`` with a first draft, empty or from a template."""
    if not regions_with_role(actor, Role.DESIGNER).filter(pk=region.pk).exists():
        raise PermissionDenied
    if not title.strip():
        raise ValidationError({"title": _("Give the program a title.")})
    if not languages:
        raise ValidationError({"languages": _("Choose at least one language.")})
    with transaction.atomic():
        program = Program.objects.create(owner=region, created_by=actor)
        version = ProgramVersion.objects.create(
            program=program,
            number=1,
            created_by=actor,
            kind=kind,
            languages=list(languages),
            title={languages[0]: title.strip()},
        )
        if template:
            apply_template(version, template)
        _audit(actor, "program.create", version, template=template or "")
    return version


# --- Editing a draft -------------------------------------------------------------


def version_update(*, actor, version: ProgramVersion, **fields) -> ProgramVersion:
    """Change the program's description and settings in a draft."""
    unknown = set(fields) - set(VERSION_FIELDS)
    if unknown:
        raise ValueError(f"Not version fields: {unknown}")
    with transaction.atomic():
        version = ProgramVersion.objects.select_for_update().select_related("program").get(pk=version.pk)
        _require_designer(actor, version.program)
        _require_draft(version)
        for name, value in fields.items():
            setattr(version, name, value)
        if version.min_age is not None and version.max_age is not None and version.min_age > version.max_age:
            raise ValidationError({"max_age": _("The oldest age cannot be below the youngest.")})
        if version.unlock_rule == "schedule" and version.unlock_interval_days < 1:
            raise ValidationError({"unlock_interval_days": _("Give the number of days between modules.")})
        version.save()
    return version


def _next_position(model, **parent) -> int:
    return (model.objects.filter(**parent).aggregate(m=Max("position"))["m"] or 0) + 1


def node_add(*, actor, version: ProgramVersion, model, parent=None, **values):
    """Add a module (no parent), section (parent module), step (parent section)
    or element (parent step, with ``kind``) at the end of its parent."""
    with transaction.atomic():
        version = ProgramVersion.objects.select_for_update().select_related("program").get(pk=version.pk)
        _require_designer(actor, version.program)
        _require_draft(version)
        parent_field = PARENT_FIELD[model]
        scope = {"version": version}
        if parent_field:
            if parent is None or parent.version_id != version.pk:
                raise ValidationError(_("The parent is not part of this version."))
            scope[parent_field] = parent
        if model is Element:
            kind = values.get("kind")
            if kind not in elements.KINDS:
                raise ValidationError(_("Unknown element kind."))
            values.setdefault("content", elements.empty_content(kind))
        node = model.objects.create(position=_next_position(model, **scope), **scope, **values)
    return node


def node_update(*, actor, node, **values):
    """Change a node's texts (and, for elements, content and condition) in a draft.
    Shape problems are refused; missing texts are allowed until submission."""
    with transaction.atomic():
        version = ProgramVersion.objects.select_for_update().select_related("program").get(pk=node.version_id)
        _require_designer(actor, version.program)
        _require_draft(version)
        if isinstance(node, Element):
            content = values.get("content", node.content)
            found = elements.problems(node.kind, content, languages=version.languages)
            if found:
                raise ValidationError(found)
        if "condition" in values:
            found = conditions.validate(values["condition"])
            if found:
                raise ValidationError({"condition": found})
        for name, value in values.items():
            setattr(node, name, value)
        node.save()
    return node


def node_move(*, actor, node, offset: int):
    """Move a node up (−1) or down (+1) among its siblings (keyboard-friendly
    reordering: no dragging needed)."""
    model = type(node)
    with transaction.atomic():
        version = ProgramVersion.objects.select_for_update().select_related("program").get(pk=node.version_id)
        _require_designer(actor, version.program)
        _require_draft(version)
        parent_field = PARENT_FIELD[model]
        siblings = model.objects.filter(version=version)
        if parent_field:
            siblings = siblings.filter(**{f"{parent_field}_id": getattr(node, f"{parent_field}_id")})
        ordered = list(siblings.order_by("position", "pk"))
        index = next(i for i, sibling in enumerate(ordered) if sibling.pk == node.pk)
        target = index + offset
        if 0 <= target < len(ordered):
            ordered[index], ordered[target] = ordered[target], ordered[index]
            for position, sibling in enumerate(ordered, start=1):
                if sibling.position != position:
                    sibling.position = position
                    sibling.save(update_fields=["position"])
    return node


def node_delete(*, actor, node) -> None:
    with transaction.atomic():
        version = ProgramVersion.objects.select_for_update().select_related("program").get(pk=node.version_id)
        _require_designer(actor, version.program)
        _require_draft(version)
        node.delete()


def _checked_upload(data, kind: str):
    try:
        return check_upload(data, kind=kind)
    except RejectedFile as exc:
        raise ValidationError(str(exc)) from None


def _draft_of_element_locked(actor, element: Element) -> ProgramVersion:
    """The element's version, locked, after checking it is a draft the actor designs."""
    version = ProgramVersion.objects.select_for_update().select_related("program").get(pk=element.version_id)
    _require_designer(actor, version.program)
    _require_draft(version)
    return version


def element_attach_file(*, actor, element: Element, data, name: str = "") -> Element:
    """Store an uploaded file for an image, video, audio or file element, after
    checking its content and size."""
    media_kind = elements.MEDIA_KINDS.get(element.kind)
    if media_kind is None:
        raise ValidationError(_("This kind of element takes no file."))
    checked = _checked_upload(data, media_kind)
    with transaction.atomic():
        version = _draft_of_element_locked(actor, element)
        asset = asset_store(owner=version.program.owner, data=data, checked=checked, name=name, actor=actor)
        element.asset = asset
        element.save(update_fields=["asset"])
    return element


def element_spoken_set(*, actor, element, language: str, data=None, name: str = "") -> Element:
    """A text element's spoken version in one language: an uploaded recording
    (MP3 or Ogg, checked by content), or removed when ``data`` is None."""
    if element.kind != elements.TEXT:
        raise ValidationError(_("Only a text can have a spoken version."))
    checked = None if data is None else _checked_upload(data, "audio")
    with transaction.atomic():
        version = _draft_of_element_locked(actor, element)
        if language not in version.languages:
            raise ValidationError(_("The program is not written in that language."))
        element = Element.objects.get(pk=element.pk)
        spoken = elements.spoken_files(element.kind, element.content)
        if checked is None:
            spoken.pop(language, None)
        else:
            asset = asset_store(owner=version.program.owner, data=data, checked=checked, name=name, actor=actor)
            spoken[language] = asset.sha256
        element.content = {**element.content, "spoken": spoken}
        element.save(update_fields=["content"])
    return element


def asset_store(*, owner, data, checked, name: str, actor) -> MediaAsset:
    """Store ``data`` (bytes or an uploaded file, read in chunks) once per content."""
    file = as_file(data)
    digest = sha256_of(file)
    asset = MediaAsset.objects.filter(owner=owner, sha256=digest).first()
    if asset is None:
        asset = MediaAsset(
            owner=owner,
            sha256=digest,
            content_type=checked.content_type,
            size=checked.size,
            original_name=name[:200],
            created_by=actor,
        )
        asset.file.save(f"{digest}.{checked.extension}", file, save=False)
        asset.save()
    return asset


# --- Workflow ---------------------------------------------------------------------


def version_submit(*, actor, version: ProgramVersion) -> ProgramVersion:
    """Send a draft to review. Refused while the automatic checks find problems."""
    with transaction.atomic():
        version = ProgramVersion.objects.select_for_update().select_related("program").get(pk=version.pk)
        _require_designer(actor, version.program)
        _require_draft(version)
        found = version_problems(load_tree(version))
        if found:
            raise ValidationError([f"{p.where}: {p.message}" for p in found])
        version.status, version.submitted_at, version.submitted_by = Status.IN_REVIEW, timezone.now(), actor
        version.save(update_fields=["status", "submitted_at", "submitted_by"])
        _audit(actor, "program_version.submit", version)
    return version


def version_review(*, actor, version: ProgramVersion, checklist: dict, comment: str, approve: bool) -> Review:
    """A publisher of the owner region approves (publishes) or returns a submitted
    version. Approval needs every checklist item confirmed, no automatic problem,
    and a publisher who did not submit it (four eyes)."""
    with transaction.atomic():
        version = ProgramVersion.objects.select_for_update().select_related("program").get(pk=version.pk)
        if not versions_reviewable_by(actor).filter(pk=version.pk).exists():
            raise PermissionDenied
        if version.status != Status.IN_REVIEW:
            raise ValidationError(_("Only a version submitted for review can be reviewed."))
        ticked = {item: bool(checklist.get(item)) for item in CHECKLIST}
        if approve:
            if version.submitted_by_id == actor.pk:
                raise ValidationError(_("Another publisher must review a version you submitted yourself."))
            if not all(ticked.values()):
                raise ValidationError(_("Confirm every item of the checklist before publishing."))
            found = version_problems(load_tree(version))
            if found:
                raise ValidationError([f"{p.where}: {p.message}" for p in found])
        elif not comment.strip():
            raise ValidationError(_("Tell the designer what to change."))
        review = Review.objects.create(
            version=version,
            reviewer=actor,
            checklist=ticked,
            comment=comment.strip(),
            decision=Review.Decision.APPROVE if approve else Review.Decision.RETURN,
        )
        now = timezone.now()
        if approve:
            for older in ProgramVersion.objects.filter(program=version.program, status=Status.PUBLISHED):
                older.status, older.retired_at = Status.RETIRED, now
                older.save(update_fields=["status", "retired_at"])
            version.status, version.published_at, version.published_by = Status.PUBLISHED, now, actor
            version.save(update_fields=["status", "published_at", "published_by"])
        else:
            version.status = Status.DRAFT
            version.save(update_fields=["status"])
        _audit(actor, "program_version.publish" if approve else "program_version.return", version, review=review.pk)
    return review


def version_new_draft(*, actor, program: Program) -> ProgramVersion:
    """Start a new draft from the latest published (or retired) version. The
    published version stays as it is; enrolments keep the version they began on."""
    with transaction.atomic():
        program = Program.objects.select_for_update().get(pk=program.pk)
        _require_designer(actor, program)
        if program.versions.filter(status__in=[Status.DRAFT, Status.IN_REVIEW]).exists():
            raise ValidationError(_("The program already has a version being edited or reviewed."))
        source = program.versions.order_by("-number").first()
        draft = _clone(source, program=program, actor=actor)
        _audit(actor, "program_version.new_draft", draft, based_on=source.number)
    return draft


def _clone(source: ProgramVersion, *, program: Program, actor, keep_keys: bool = True) -> ProgramVersion:
    """Copy a version with all its content into a new draft of ``program``."""
    number = (program.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    draft = ProgramVersion.objects.create(
        program=program,
        number=number,
        created_by=actor,
        based_on=source,
        **{name: getattr(source, name) for name in VERSION_FIELDS},
    )
    tree = load_tree(source)
    for module in tree.modules:
        new_module = Module.objects.create(
            version=draft, key=module.key, position=module.position, title=module.title, intro=module.intro
        )
        for section in module.section_list:
            new_section = Section.objects.create(
                version=draft, module=new_module, key=section.key, position=section.position, title=section.title
            )
            for step in section.step_list:
                new_step = Step.objects.create(
                    version=draft,
                    section=new_section,
                    key=step.key,
                    position=step.position,
                    title=step.title,
                    condition=step.condition,
                )
                Element.objects.bulk_create(
                    [
                        Element(
                            version=draft,
                            step=new_step,
                            key=element.key,
                            position=element.position,
                            kind=element.kind,
                            content=element.content,
                            asset=element.asset,
                            condition=element.condition,
                        )
                        for element in step.element_list
                    ]
                )
    return draft


def version_retire(*, actor, version: ProgramVersion) -> ProgramVersion:
    """Take a published version out of the catalogue. Running enrolments go on."""
    with transaction.atomic():
        version = ProgramVersion.objects.select_for_update().select_related("program").get(pk=version.pk)
        if not versions_reviewable_by(actor).filter(pk=version.pk).exists():
            raise PermissionDenied
        if version.status != Status.PUBLISHED:
            raise ValidationError(_("Only a published version can be retired."))
        version.status, version.retired_at = Status.RETIRED, timezone.now()
        version.save(update_fields=["status", "retired_at"])
        _audit(actor, "program_version.retire", version)
    return version


# --- Sharing ---------------------------------------------------------------------------


def _published(program: Program) -> ProgramVersion:
    version = program.versions.filter(status=Status.PUBLISHED).first()
    if version is None:
        raise ValidationError(_("The program has no published version."))
    return version


def program_adopt(*, actor, program: Program, region) -> Adoption:
    """Region ``region`` uses another region's published program as it is."""
    with transaction.atomic():
        if not provider_regions(actor).filter(pk=region.pk).exists():
            raise PermissionDenied
        version = _published(program)
        if program.owner_id == region.pk:
            raise ValidationError(_("The region already owns this program."))
        adoption, created = Adoption.objects.get_or_create(
            program=program, region=region, defaults={"adopted_by": actor}
        )
        if created:
            _audit(actor, "program.adopt", version, region=region.pk)
    return adoption


def program_copy(*, actor, program: Program, region) -> ProgramVersion:
    """Start a region's own program from another's published version. Only
    licences that allow adaptation may be copied; the attribution is kept."""
    with transaction.atomic():
        allowed = (
            provider_regions(actor).filter(pk=region.pk).exists()
            or regions_with_role(actor, Role.DESIGNER).filter(pk=region.pk).exists()
        )
        if not allowed:
            raise PermissionDenied
        source = _published(program)
        if source.licence not in ADAPTABLE_LICENCES:
            raise ValidationError(_("The licence of this program does not allow changed copies. Adopt it as it is."))
        new_program = Program.objects.create(owner=region, created_by=actor, copied_from=source)
        draft = _clone(source, program=new_program, actor=actor)
        credit = _("Based on “%(title)s” by %(owner)s, %(licence)s.") % {
            "title": text_in(source.title, source.languages),
            "owner": program.owner.name,
            "licence": source.licence,
        }
        draft.attribution = (source.attribution + " " + credit).strip() if source.attribution else credit
        draft.save()
        _audit(actor, "program.copy", draft, source_program=program.pk, source_version=source.number)
    return draft


def unit_program_set(
    *,
    actor,
    program: Program,
    unit,
    active: bool,
    self_enrolment: bool = False,
    self_enrolment_group: dict | None = None,
) -> UnitProgram:
    """A care-provider admin offers a published program (own or adopted) at a unit
    of the region, optionally open for self-enrolment."""
    with transaction.atomic():
        if not provider_regions(actor).filter(pk=unit.region_id).exists():
            raise PermissionDenied
        _published(program)
        if (
            program.owner_id != unit.region_id
            and not Adoption.objects.filter(program=program, region_id=unit.region_id).exists()
        ):
            raise ValidationError(_("Adopt the program for the region before offering it at a unit."))
        if self_enrolment and not active:
            raise ValidationError(_("A program must be offered at the unit to be open for self-enrolment."))
        row, _created = UnitProgram.objects.update_or_create(
            program=program,
            unit=unit,
            defaults={
                "active": active,
                "self_enrolment": self_enrolment,
                "self_enrolment_group": self_enrolment_group or {},
                "changed_by": actor,
                "changed_at": timezone.now(),
            },
        )
        audit_event_write(
            actor=actor,
            action="program.unit_offer",
            obj=row,
            unit=unit,
            data={"program": program.pk, "active": active, "self_enrolment": self_enrolment},
        )
    return row

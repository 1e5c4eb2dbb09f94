"""Writes for research: registering and approving a project, a citizen's consent
and its withdrawal, and making a pseudonymised export (files that expire).

Who may do what: a region's data administrator registers, approves and closes
its projects and makes and downloads exports; the care-provider administrator
may register one (left for the data administrator to approve). Each step is an
audit event; an export writes one access-log entry per citizen included."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from collections import Counter

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.accounts.permissions import regions_where
from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry
from fyren.audit.services import access_log_write_many, audit_event_write
from fyren.care.models import DiaryEntry, ElementAnswer, ModuleProgress
from fyren.instruments.scoring import iter_items
from fyren.lib import spreadsheets
from fyren.messaging.models import Message
from fyren.people.selectors import citizen_of_user
from fyren.programs.models import Module
from fyren.questionnaires.models import Response

from . import anonymise, dictionary
from .models import Consent, Export, Project
from .selectors import eligible_enrolments, programs_of_region, regions_for_registering

MIN_K = 3


def _data_admin(actor, region) -> None:
    if not regions_where(actor, Role.DATA_ADMIN).filter(pk=region.pk).exists():
        raise PermissionDenied


def project_register(
    *,
    actor,
    region,
    title: str,
    ethics_number: str,
    ethics_date: dt.date,
    principal_investigator: str,
    organisation: str,
    programs,
    instruments: list[str],
    period_start: dt.date,
    period_end: dt.date,
    k: int,
) -> Project:
    if not regions_for_registering(actor).filter(pk=region.pk).exists():
        raise PermissionDenied
    errors = {}
    if period_end < period_start:
        errors["period_end"] = _("The period must end on or after its first day.")
    if k < MIN_K:
        errors["k"] = _("The smallest group must be at least %(n)d people.") % {"n": MIN_K}
    if ethics_date > timezone.localdate():
        errors["ethics_date"] = _("The approval date cannot be in the future.")
    allowed = set(programs_of_region(region).values_list("pk", flat=True))
    programs = list(programs)
    if not programs:
        errors["programs"] = _("Choose at least one program.")
    elif any(p.pk not in allowed for p in programs):
        errors["programs"] = _("Choose programs the region owns or runs.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        project = Project.objects.create(
            region=region,
            title=title.strip(),
            ethics_number=ethics_number.strip(),
            ethics_date=ethics_date,
            principal_investigator=principal_investigator.strip(),
            organisation=organisation.strip(),
            instruments=sorted(set(instruments)),
            period_start=period_start,
            period_end=period_end,
            k=k,
            created_by=actor,
        )
        project.programs.set(programs)
        audit_event_write(actor=actor, action="research.project.register", obj=project)
    return project


def project_approve(*, actor, project: Project) -> Project:
    """The data administrator has checked the ethics approval: the project may ask
    citizens for consent and receive exports."""
    _data_admin(actor, project.region)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.status != Project.Status.DRAFT:
            raise ValidationError(_("Only a registered project can be approved."))
        project.status, project.approved_by, project.approved_at = Project.Status.APPROVED, actor, timezone.now()
        project.save(update_fields=["status", "approved_by", "approved_at"])
        audit_event_write(actor=actor, action="research.project.approve", obj=project)
    return project


def project_close(*, actor, project: Project) -> Project:
    _data_admin(actor, project.region)
    with transaction.atomic():
        Project.objects.filter(pk=project.pk).update(status=Project.Status.CLOSED)
        audit_event_write(actor=actor, action="research.project.close", obj=project)
    project.status = Project.Status.CLOSED
    return project


# --- consent ------------------------------------------------------------------------------


def _citizen_and_check(actor, project: Project):
    citizen = citizen_of_user(actor)
    approved = Project.objects.filter(pk=project.pk, status=Project.Status.APPROVED).exists()  # as it stands now
    if citizen is None or not approved:
        raise PermissionDenied
    if not eligible_enrolments(project).filter(citizen=citizen).exists():
        raise PermissionDenied
    return citizen


def consent_give(*, actor, project: Project) -> Consent:
    """The citizen consents (again, after a withdrawal); twice is once."""
    citizen = _citizen_and_check(actor, project)
    with transaction.atomic():
        consent, created = Consent.objects.select_for_update().get_or_create(project=project, citizen=citizen)
        if not created and consent.withdrawn_at is None:
            return consent
        if not created:
            consent.given_at, consent.withdrawn_at = timezone.now(), None
            consent.save(update_fields=["given_at", "withdrawn_at"])
        audit_event_write(actor=actor, action="research.consent.give", obj=consent)
    return consent


def consent_withdraw(*, actor, project: Project) -> Consent | None:
    """Later exports leave the citizen out (what was delivered before stays delivered)."""
    citizen = citizen_of_user(actor)
    if citizen is None:
        raise PermissionDenied
    with transaction.atomic():
        consent = Consent.objects.select_for_update().filter(project=project, citizen=citizen).first()
        if consent is None or consent.withdrawn_at is not None:
            return consent
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        audit_event_write(actor=actor, action="research.consent.withdraw", obj=consent)
    return consent


# --- the export ---------------------------------------------------------------------------


def _rows(project: Project) -> dict[str, list[dict]]:
    """Every table before k-anonymity, keyed by the person's pseudonym."""
    consenting = Consent.objects.filter(project=project, withdrawn_at__isnull=True).values("citizen_id")
    enrolments = list(
        eligible_enrolments(project)
        .filter(citizen_id__in=consenting)
        .select_related("citizen", "program_version__program", "unit__region")
        .order_by("citizen_id", "started_at")
    )
    ids = [e.pk for e in enrolments]
    done = Counter(
        ModuleProgress.objects.filter(enrolment_id__in=ids, completed_at__isnull=False).values_list(
            "enrolment_id", flat=True
        )
    )
    modules = Counter(
        Module.objects.filter(version_id__in={e.program_version_id for e in enrolments}).values_list(
            "version_id", flat=True
        )
    )
    messages = Counter(
        Message.objects.filter(thread__enrolment_id__in=ids, status="sent", from_citizen=True).values_list(
            "thread__enrolment_id", flat=True
        )
    )
    exercises = Counter(
        ElementAnswer.objects.filter(enrolment_id__in=ids, status=ElementAnswer.Status.SENT).values_list(
            "enrolment_id", flat=True
        )
    )
    diary = Counter(DiaryEntry.objects.filter(enrolment_id__in=ids).values_list("enrolment_id", flat=True))
    secret = project.secret
    tables: dict[str, list[dict]] = {"enrolments": [], "answers": [], "scores": []}
    person: dict[int, tuple[str, int]] = {}
    program_of: dict[int, str] = {}
    for e in enrolments:
        citizen = e.citizen
        if citizen.pk not in person:
            person[citizen.pk] = (
                anonymise.pseudonym(secret, citizen.identity_number),
                anonymise.date_offset(secret, citizen.identity_number),
            )
        who, offset = person[citizen.pk]
        program = e.program_version.display_title
        program_of[e.pk] = program
        tables["enrolments"].append(
            {
                "pseudonym": who,
                "age_band": anonymise.age_band(citizen.age_on(timezone.localtime(e.started_at).date())),
                "sex": citizen.legal_sex,
                "region": e.unit.region.name,
                "program": program,
                "program_version": e.program_version.number,
                "started_on": anonymise.shifted(timezone.localtime(e.started_at), offset),
                "ended_on": anonymise.shifted(timezone.localtime(e.ended_at) if e.ended_at else None, offset),
                "status": e.status,
                "modules_done": done[e.pk],
                "modules": modules[e.program_version_id],
                "messages_sent": messages[e.pk],
                "exercises_sent": exercises[e.pk],
                "diary_entries": diary[e.pk],
            }
        )
    responses = Response.objects.filter(enrolment_id__in=ids, status=Response.Status.COMPLETED).order_by(
        "citizen_id", "submitted_at", "pk"
    )
    if project.instruments:
        responses = responses.filter(instrument_code__in=project.instruments)
    for number, r in enumerate(responses, start=1):
        who, offset = person[r.citizen_id]
        common = {
            "pseudonym": who,
            "program": program_of[r.enrolment_id or 0],
            "response": number,
            "instrument": r.instrument_code,
            "answered_on": anonymise.shifted(timezone.localtime(r.submitted_at), offset),
        }
        free_text = {i["link_id"] for i in iter_items(r.definition.get("items") or []) if i.get("type") == "text"}
        for item, value in sorted(r.answers.items()):
            if item not in free_text and value not in (None, "", []):
                tables["answers"].append({**common, "item": item, "value": value})
        for score, value in sorted(r.scores.items()):
            tables["scores"].append(
                {**common, "score": score, "value": value, "band": (r.bands or {}).get(score) or ""}
            )
    return tables


def _files(tables: dict[str, list[dict]], report: anonymise.KReport) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for name, rows in tables.items():
        spec = [(column, kind) for column, kind, _text in dictionary.TABLES[name]]
        text = io.StringIO()
        writer = spreadsheets.writer(text, lineterminator="\n")
        writer.writerow([column for column, _kind in spec])
        for row in rows:
            writer.writerow([dictionary.cell(kind, row.get(column)) for column, kind in spec])
        out[f"{name}.csv"] = text.getvalue().encode("utf-8")
        table = pa.Table.from_pylist(
            [{column: dictionary.typed(kind, row.get(column)) for column, kind in spec} for row in rows],
            schema=dictionary.schema(name),
        )
        buffer = io.BytesIO()
        pq.write_table(table, buffer)
        out[f"{name}.parquet"] = buffer.getvalue()
    out["data_dictionary.csv"] = _csv(["file", "column", "type", "description"], dictionary.rows())
    out["suppressed.csv"] = _csv(
        [*anonymise.QUASI_IDENTIFIERS, "people"],
        [[*(g.values[key] for key in anonymise.QUASI_IDENTIFIERS), g.people] for g in report.groups],
    )
    return out


def _number_responses(tables: dict[str, list[dict]]) -> None:
    """Number the questionnaires that are delivered 1, 2, 3 … (numbered before
    k-anonymity, the first kept one could be number 29)."""
    kept = sorted({row["response"] for name in ("answers", "scores") for row in tables[name]})
    numbers = {old: new for new, old in enumerate(kept, start=1)}
    for name in ("answers", "scores"):
        for row in tables[name]:
            row["response"] = numbers[row["response"]]


def _csv(header: list[str], rows) -> bytes:
    return spreadsheets.csv_text([header, *rows], lineterminator="\n").encode("utf-8")


def export_make(*, actor, project: Project) -> Export:
    """Build, check and store one delivery. Only the consenting citizens' data, only
    what passes k-anonymity; the files expire after FYREN_RESEARCH_EXPORT_DAYS."""
    _data_admin(actor, project.region)
    project = Project.objects.get(pk=project.pk)  # its status as it stands now
    if project.status != Project.Status.APPROVED:
        raise ValidationError(_("Only an approved project receives exports."))
    tables = _rows(project)
    kept, report = anonymise.k_anonymous(tables["enrolments"], k=project.k)
    kept_pairs = {(row["pseudonym"], row["program"]) for row in kept}
    tables["enrolments"] = kept
    for name in ("answers", "scores"):
        tables[name] = [row for row in tables[name] if (row["pseudonym"], row["program"]) in kept_pairs]
    _number_responses(tables)
    people: dict[str, dict] = {}
    for row in kept:
        people.setdefault(row["pseudonym"], {k: row[k] for k in ("pseudonym", "age_band", "sex", "region")})
    tables = {"participants": list(people.values()), **tables}
    included = {pseudo for pseudo, _program in kept_pairs}
    citizens = [
        c.citizen
        for c in Consent.objects.filter(project=project, withdrawn_at__isnull=True).select_related("citizen")
        if anonymise.pseudonym(project.secret, c.citizen.identity_number) in included
    ]
    files = _files(tables, report)
    with transaction.atomic():
        export = Export.objects.create(
            project=project,
            created_by=actor,
            expires_at=timezone.now() + dt.timedelta(days=settings.FYREN_RESEARCH_EXPORT_DAYS),
            people=len(people),
            report={
                "k": report.k,
                "kept_rows": report.kept_rows,
                "dropped_rows": report.dropped_rows,
                "dropped_people": report.dropped_people,
                "groups": [{"values": g.values, "people": g.people} for g in report.groups],
            },
        )
        stored = []
        for name, data in files.items():
            default_storage.save(file_path(export, name), ContentFile(data))
            rows = tables.get(name.split(".")[0])
            stored.append(
                {
                    "name": name,
                    "rows": len(rows) if rows is not None else None,
                    "bytes": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                }
            )
        export.files = stored
        export.save(update_fields=["files"])
        access_log_write_many(
            actor=actor,
            citizens=citizens,
            action=AccessLogEntry.Action.EXPORT,
            object_type="research_export",
            object_id=export.pk,
            role=Role.DATA_ADMIN,
            reason=f"{project.title} ({project.ethics_number})",
        )
        audit_event_write(
            actor=actor,
            action="research.export.make",
            obj=export,
            data={"people": len(people), "dropped_people": report.dropped_people, "k": report.k},
        )
    return export


def file_path(export: Export, name: str) -> str:
    return f"research/{export.key}/{name}"


def _available(actor, export: Export) -> None:
    """Only the region's data administrator, and only while the files are kept."""
    _data_admin(actor, export.project.region)
    if export.removed_at is not None or export.expires_at < timezone.now():
        raise PermissionDenied


def export_file_open(*, actor, export: Export, name: str):
    """A delivered file for the data administrator (audited), or 404 when expired or unknown."""
    _available(actor, export)
    if name not in {f["name"] for f in export.files}:
        raise PermissionDenied
    audit_event_write(actor=actor, action="research.export.download", obj=export, data={"file": name})
    return default_storage.open(file_path(export, name), "rb")


def export_zip(*, actor, export: Export) -> bytes:
    """The whole delivery as one zip: every file, and ``manifest.csv`` naming each
    with its rows, bytes and SHA-256 (the researcher checks what arrived with
    ``sha256sum``). A stored file that no longer matches its recorded hash is
    refused rather than delivered. Audited as one download of every file."""
    _available(actor, export)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in export.files:
            with default_storage.open(file_path(export, entry["name"]), "rb") as f:
                data = f.read()
            if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                raise ValidationError(
                    _("A stored file of this export has changed: %(name)s.") % {"name": entry["name"]}
                )
            archive.writestr(entry["name"], data)
        manifest = [[e["name"], "" if e["rows"] is None else e["rows"], e["bytes"], e["sha256"]] for e in export.files]
        archive.writestr("manifest.csv", _csv(["file", "rows", "bytes", "sha256"], manifest))
    audit_event_write(
        actor=actor, action="research.export.download", obj=export, data={"file": "*", "files": len(export.files)}
    )
    return out.getvalue()


def exports_expire(*, now: dt.datetime | None = None) -> int:
    """Remove the files of every export past its expiry (a daily job)."""
    now = now or timezone.now()
    count = 0
    for export in Export.objects.filter(expires_at__lt=now, removed_at__isnull=True):
        for entry in export.files:
            path = file_path(export, entry["name"])
            if default_storage.exists(path):
                default_storage.delete(path)
        Export.objects.filter(pk=export.pk).update(removed_at=now)
        count += 1
    return count

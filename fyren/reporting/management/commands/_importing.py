"""What the import commands share: read the file, run the service, print the result."""

from pathlib import Path

from django.core.management.base import CommandError


def run_and_report(command, call, path: str) -> None:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"No such file: {path}")
    run = call(data=file.read_bytes(), filename=file.name)
    command.stdout.write(
        f"{run.get_status_display()}: {run.rows} rows, {run.created} new, {run.updated} updated, "
        f"{run.unchanged} unchanged, {run.rejected} rejected (import {run.pk}, sha256 {run.sha256[:12]}…)"
    )
    for error in run.errors[:50]:
        command.stderr.write(f"line {error['line']}, {error['column'] or '–'}: {error['reason']}")
    if run.status == "refused":
        raise CommandError("Nothing was stored: correct the rows above (or use --valid-rows).")

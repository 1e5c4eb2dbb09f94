from django.core.management.base import BaseCommand

from fyren.reporting.services import treatments_import

from ._importing import run_and_report


class Command(BaseCommand):
    help = "Import treatment records from a CSV file (columns in docs/reporting.md); all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", default="import", help="the record system the ids come from")
        parser.add_argument("--valid-rows", action="store_true", help="store the valid rows even if some are wrong")

    def handle(self, *args, **options):
        mode = "valid" if options["valid_rows"] else "all"
        run_and_report(
            self,
            lambda **f: treatments_import(actor=None, source=options["source"], mode=mode, **f),
            options["file"],
        )

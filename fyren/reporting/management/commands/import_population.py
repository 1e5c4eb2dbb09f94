from django.core.management.base import BaseCommand

from fyren.reporting.services import population_import

from ._importing import run_and_report


class Command(BaseCommand):
    help = "Import population counts (year,region_code,sex,age,count) from a CSV file; all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--valid-rows", action="store_true", help="store the valid rows even if some are wrong")

    def handle(self, *args, **options):
        mode = "valid" if options["valid_rows"] else "all"
        run_and_report(self, lambda **f: population_import(actor=None, mode=mode, **f), options["file"])

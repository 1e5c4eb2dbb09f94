from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fyren.reporting.files import table_csv, workbook
from fyren.reporting.national import Rules, default_rules
from fyren.reporting.selectors import national_report


class Command(BaseCommand):
    help = "Write the national follow-up for a year: one CSV per table and one XLSX with a sheet per table."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", required=True, help="a directory (made if missing)")
        parser.add_argument("--threshold", type=int, default=0, help="hide counts below this (0: show all)")
        parser.add_argument("--years", default="", help="years for tables 6 and 7, e.g. 2013,2015,2016,2017")
        parser.add_argument("--count-by", choices=["completed", "started"], default=None)
        parser.add_argument("--age-from", type=int, default=None)
        parser.add_argument("--age-to", type=int, default=None)

    def handle(self, *args, **options):
        year = options["year"]
        base = default_rules(year, threshold=options["threshold"])
        rules = Rules(
            year,
            count_by=options["count_by"] or base.count_by,
            age_from=options["age_from"] if options["age_from"] is not None else base.age_from,
            age_to=options["age_to"] if options["age_to"] is not None else base.age_to,
            threshold=options["threshold"],
        )
        try:
            years = sorted({int(y) for y in options["years"].split(",") if y.strip()} | {year})
        except ValueError:
            raise CommandError("--years: whole years separated by commas") from None
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        tables = national_report(rules, years)
        for table in tables:
            (out / f"{table.key}.csv").write_text(table_csv(table), encoding="utf-8")
        (out / f"national-report-{year}.xlsx").write_bytes(workbook(tables, title=f"{year}"))
        self.stdout.write(f"Wrote {len(tables)} CSV files and national-report-{year}.xlsx to {out}")

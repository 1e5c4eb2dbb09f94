from django.core.management.base import BaseCommand, CommandError

from fyren.audit.verify import verify_access_log


class Command(BaseCommand):
    help = "Verify the access log's hash chain; exits non-zero when an entry was changed or removed."

    def handle(self, *args, **options):
        report = verify_access_log()
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"Access log tampered with: {len(report.problems)} problem(s) in {report.checked} entries."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Access log intact: {report.checked} entries in {report.chains} chain(s) verified.")
        )

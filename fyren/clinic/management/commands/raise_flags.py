from django.core.management.base import BaseCommand

from fyren.clinic.periodic import flags_raise_due


class Command(BaseCommand):
    help = (
        "Raise the flags that come from time passing (run hourly): inactivity, overdue questionnaires, "
        "and messages not handled within the unit's answer time. Each is raised once."
    )

    def handle(self, *args, **options):
        counts = flags_raise_due()
        self.stdout.write(", ".join(f"{kind}: {n}" for kind, n in counts.items()))

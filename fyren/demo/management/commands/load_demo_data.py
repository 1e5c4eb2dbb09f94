from django.core.management.base import BaseCommand

from fyren.demo.loader import load_demo_data


class Command(BaseCommand):
    help = "Load the demo regions, units, staff and citizens (safe to run again)."

    def handle(self, *args, **options):
        result = load_demo_data()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {result}"))

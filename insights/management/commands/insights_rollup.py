import time

from django.core.management.base import BaseCommand

from insights.rollup import rollup_rebuild


class Command(BaseCommand):
    help = "Rebuild the dashboard's votes roll-up from the votes (Celery beat runs it hourly)."

    def handle(self, *args, **options):
        start = time.perf_counter()
        rows = rollup_rebuild()
        self.stdout.write(
            f"Votes roll-up rebuilt: {rows} rows in {time.perf_counter() - start:.1f} s."
        )

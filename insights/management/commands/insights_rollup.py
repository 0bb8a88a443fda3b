import time

from django.core.management.base import BaseCommand

from insights.rollup import rollup_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the dashboard's roll-up from the votes, ideas and comments (Celery beat"
        " refreshes it hourly and rebuilds it nightly)."
    )

    def handle(self, *args, **options):
        start = time.perf_counter()
        rows = rollup_rebuild()
        self.stdout.write(f"Roll-up rebuilt: {rows} rows in {time.perf_counter() - start:.1f} s.")

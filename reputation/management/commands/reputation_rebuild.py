from django.core.management.base import BaseCommand

from reputation.services import points_totals_rebuild


class Command(BaseCommand):
    help = (
        "Recompute every member's points total (and level) from the ledger and report the drift "
        "found: the sum of the differences between the cached totals and the ledger (0 when "
        "every total was exact)."
    )

    def handle(self, *args, **options):
        drift = points_totals_rebuild()
        style = self.style.SUCCESS if drift == 0 else self.style.WARNING
        self.stdout.write(style(f"reputation: totals rebuilt from the ledger, drift {drift}"))
        return None

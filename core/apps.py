from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app may use and that uses none of them: refusals, absolute links, signed
    tokens, e-mail building, the event bus and the one outbox for deliveries."""

    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from .sites import sync_sites_after_migrate

        # Once per `migrate` (sender: this app), after every app's tables exist.
        post_migrate.connect(sync_sites_after_migrate, sender=self, dispatch_uid="core-sync-sites")

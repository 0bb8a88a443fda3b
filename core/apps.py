from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app may use and that uses none of them: refusals, absolute links, signed
    tokens, e-mail building, the event bus and the one outbox for deliveries."""

    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.apps import apps

        from .sites import sync_sites_after_migrate

        # Once per `migrate`, after every migration ran. post_migrate is sent per app with a
        # models module (core has none): Wagtail's core app, whose Site record is synced.
        post_migrate.connect(
            sync_sites_after_migrate,
            sender=apps.get_app_config("wagtailcore"),
            dispatch_uid="core-sync-sites",
        )

        from . import locales  # forgets cached locale ids when a Locale changes

        locales.install()

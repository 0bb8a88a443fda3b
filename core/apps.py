from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app may use and that uses none of them: refusals, absolute links, signed
    tokens, e-mail building, the event bus and the one outbox for deliveries."""

    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import locales  # forgets cached locale ids when a Locale changes

        locales.install()

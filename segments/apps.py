from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SegmentsConfig(AppConfig):
    name = "segments"
    verbose_name = _("Segments")

    def ready(self):
        from . import signals, translations
        from .audience import audience_models

        signals.connect_audience_models(audience_models())
        translations.connect()

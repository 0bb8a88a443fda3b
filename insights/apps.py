from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = _("Insights")

    def ready(self):
        from cms import search

        from . import counters, panels
        from .moderation_panel import moderation_panel

        search.register_listener("insights", counters.search_recorded)
        panels.register_defaults()
        panels.register("moderation", moderation_panel)

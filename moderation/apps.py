from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self):
        from ideas import hooks
        from ideas.signals import content_held

        from . import receivers, selectors

        content_held.connect(receivers.content_held_record, dispatch_uid="moderation.held")
        hooks.register_page_context("moderation", selectors.page_context)

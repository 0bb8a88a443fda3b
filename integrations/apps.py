from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "integrations"
    verbose_name = _("Integrations")

    def ready(self):
        from django.conf import settings

        from core import events, outbox

        from . import webhooks
        from .models import WebhookDelivery

        events.subscribe("webhooks", webhooks.event_fan_out)
        outbox.register(
            outbox.Channel(
                name=webhooks.CHANNEL,
                model=WebhookDelivery,
                send=webhooks.send,
                max_attempts=lambda: settings.WEBHOOK_MAX_ATTEMPTS,
                backoff=webhooks.retry_delay,
                select_related=(
                    "endpoint",
                    "event__idea__campaign",
                    "event__idea__stage",
                    "event__stage_change__from_stage",
                    "event__stage_change__to_stage",
                ),
            )
        )

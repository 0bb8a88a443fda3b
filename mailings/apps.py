from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mailings"
    verbose_name = _("E-mail campaigns")

    def ready(self):
        from django.db.models import Q

        from core import outbox, unsubscribe

        from . import sending
        from .models import EmailCampaign, MarketingDelivery
        from .services import marketing_unsubscribe

        outbox.register(
            outbox.Channel(
                name=sending.CHANNEL,
                model=MarketingDelivery,
                send=sending.send,
                max_attempts=sending.MAX_ATTEMPTS,
                backoff=outbox.exponential(30),
                select_related=("member", "campaign__article"),
                claim_filter=Q(campaign__status=EmailCampaign.Status.SENDING),
                queued=False,  # sent in paced batches by the campaign's chain
                sweep=sending.sweep,
            )
        )
        unsubscribe.register_topic(
            "marketing",
            _("news e-mails"),
            marketing_unsubscribe,
            _("You can opt in again in your profile settings at any time."),
        )

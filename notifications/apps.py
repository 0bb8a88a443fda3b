from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from core import events, outbox, unsubscribe

        from . import account
        from .fan_out import CHANNEL, event_fan_out
        from .messages import (
            ALL_KINDS,
            build_messages,
            mark_items_done,
            mark_many_done,
            send,
            smtp_session,
        )
        from .models import AccountEmailDelivery, EmailDelivery, NotificationKind
        from .services import notifications_unsubscribe

        events.subscribe("notifications", event_fan_out)
        outbox.register(
            outbox.Channel(
                name=CHANNEL,
                model=EmailDelivery,
                send=send,
                done=mark_items_done,
                done_many=mark_many_done,
                max_attempts=6,
                # SMTP failures are retried after 1, 2, 4, 8… minutes.
                backoff=outbox.exponential(60),
                select_related=("recipient",),
                # Backlogs and large fan-outs go out in batches over one SMTP connection.
                session=smtp_session,
                prepare=build_messages,
            )
        )
        # A member is told about their own account (suspended, lifted).
        outbox.register(
            outbox.Channel(
                name=account.CHANNEL,
                model=AccountEmailDelivery,
                send=account.send,
                max_attempts=6,
                backoff=outbox.exponential(60),
                select_related=("recipient", "suspension"),
            )
        )
        still_in_site = _("You still see updates in your notifications when you sign in.")
        unsubscribe.register_topic(
            ALL_KINDS,
            _("all notifications"),
            lambda member: notifications_unsubscribe(member=member),
            still_in_site,
        )
        for kind, label in NotificationKind.choices:
            unsubscribe.register_topic(
                kind,
                label,
                lambda member, kind=kind: notifications_unsubscribe(member=member, kind=kind),
                still_in_site,
            )

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Event
from .services import idea_counts_reconcile

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def reconcile_counts(campaign_id):
    """Re-derive a campaign's denormalized vote and comment counts from the rows (a safety net
    after imports or manual database work). Returns how many ideas were corrected."""
    return idea_counts_reconcile(campaign_id=campaign_id)


@shared_task(
    acks_late=True, ignore_result=True, autoretry_for=(Exception,), retry_backoff=5, max_retries=8
)
def process_event(event_id):
    """Fan one outbox event out to notifications and webhooks. Idempotent: the event row is
    locked and stamped in the same transaction as the rows it creates, so a second run (a
    redelivered message, the sweep) finds it processed and does nothing."""
    from integrations.webhooks import event_fan_out as webhooks_fan_out
    from members.notifications import event_fan_out as notifications_fan_out

    with transaction.atomic():
        event = (
            Event.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=event_id, processed_at__isnull=True)
            .select_related("idea", "stage_change", "actor")
            .first()
        )
        if event is None:
            return False
        notifications_fan_out(event)
        webhooks_fan_out(event)
        event.processed_at = timezone.now()
        event.save(update_fields=["processed_at"])
    return True


@shared_task(ignore_result=True)
def outbox_sweep():
    """Pick up what a lost message, a stopped Redis or a killed worker left behind: unprocessed
    events, unsent e-mails and due webhook deliveries. Run by beat and at worker start-up."""
    from integrations.webhooks import sweep as webhooks_sweep
    from members.notifications import sweep as email_sweep

    grace = timezone.now() - timedelta(seconds=settings.OUTBOX_GRACE_SECONDS)
    events = list(
        Event.objects.filter(processed_at__isnull=True, created_at__lte=grace)
        .order_by("created_at")
        .values_list("pk", flat=True)[:1000]
    )
    for event_id in events:
        process_event.delay(event_id)
    emails = email_sweep(older_than=grace)
    hooks = webhooks_sweep()
    if events or emails or hooks:
        log.info("outbox sweep: %s events, %s e-mails, %s webhooks", len(events), emails, hooks)
    return {"events": len(events), "emails": emails, "webhooks": hooks}

import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from core import events

from .models import Event

log = logging.getLogger(__name__)


@shared_task(
    acks_late=True, ignore_result=True, autoretry_for=(Exception,), retry_backoff=5, max_retries=8
)
def process_event(event_id):
    """Fan one outbox event out to its subscribers (notifications, webhooks… see
    `core.events`). Idempotent: the event row is locked and stamped in the same transaction as
    the rows the subscribers create, so a second run (a redelivered message, the sweep) finds it
    processed and does nothing."""
    with transaction.atomic():
        event = (
            Event.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=event_id, processed_at__isnull=True)
            .select_related("idea", "stage_change", "actor")
            .first()
        )
        if event is None:
            return False
        events.fan_out(event)
        event.processed_at = timezone.now()
        event.save(update_fields=["processed_at"])
    return True

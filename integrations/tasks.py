from celery import shared_task

from .webhooks import deliver


@shared_task(acks_late=True)
def deliver_webhook(delivery_id):
    """Send one webhook delivery. Failures are recorded on the row and retried by the webhook
    code itself (with backoff, then the sweep), not by Celery."""
    return deliver(delivery_id)

from celery import shared_task

from .notifications import DeliveryFailed, deliver, digests_prepare


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=None)
def deliver_email(self, delivery_id):
    """Send one e-mail delivery (at most once, see members.notifications.deliver); on an SMTP
    failure retry with backoff: 1, 2, 4, 8… minutes."""
    try:
        return deliver(delivery_id)
    except DeliveryFailed as failure:
        raise self.retry(countdown=60 * 2 ** (failure.attempts - 1)) from failure


@shared_task(acks_late=True, ignore_result=True)
def send_digests(frequency):
    """Daily and weekly digests, scheduled by Celery beat (see CELERY_BEAT_SCHEDULE)."""
    return len(digests_prepare(frequency))


@shared_task(ignore_result=True)
def segments_refresh_all():
    """Nightly: activity-based rules (ideas, votes, comments, recent activity) drift without any
    save, so every segment is recomputed."""
    from .models import Segment
    from .segments import segment_refresh

    for segment in Segment.objects.all():
        segment_refresh(segment)

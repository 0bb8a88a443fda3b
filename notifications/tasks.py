from celery import shared_task

from .digests import digests_prepare


@shared_task(acks_late=True, ignore_result=True)
def send_digests(frequency):
    """Daily and weekly digests, scheduled by Celery beat (see CELERY_BEAT_SCHEDULE)."""
    return len(digests_prepare(frequency))

from celery import shared_task
from celery.signals import worker_ready

from . import sending


@shared_task(acks_late=True, ignore_result=True)
def send_batch(campaign_id, token=None, force=False):
    """One batch of a campaign (see mailings.sending.send_batch); queues the next itself."""
    return sending.send_batch(campaign_id, token=token, force=force)


@shared_task(ignore_result=True)
def resume_sending(force=False):
    """Re-queue campaigns still sending: from beat (every OUTBOX_SWEEP_SECONDS), and at once, taking
    over their lease, when a worker starts."""
    return sending.resume(force=force)


@worker_ready.connect
def resume_sending_at_start(sender=None, **kwargs):
    resume_sending.delay(force=True)

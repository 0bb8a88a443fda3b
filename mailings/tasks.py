from celery import shared_task

from . import sending


@shared_task(acks_late=True, ignore_result=True)
def send_batch(campaign_id, token=None, force=False):
    """One batch of a campaign (see mailings.sending.send_batch); queues the next itself. Chains
    left behind are resumed by the outbox sweep (beat, and at once when a worker starts)."""
    return sending.send_batch(campaign_id, token=token, force=force)

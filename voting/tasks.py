from celery import shared_task

from .services import idea_counts_reconcile


@shared_task(acks_late=True)
def reconcile_counts(campaign_id):
    """Re-derive a campaign's denormalized vote and comment counts from the rows (a safety net
    after imports or manual database work). Returns how many ideas were corrected."""
    return idea_counts_reconcile(campaign_id=campaign_id)

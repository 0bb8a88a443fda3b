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


@shared_task(ignore_result=True)
def segment_refresh_task(segment_id):
    """After a segment is saved or members are imported into it (see members.services)."""
    from .models import Segment
    from .segments import segment_refresh

    segment = Segment.objects.filter(pk=segment_id).first()
    if segment is not None:
        segment_refresh(segment)


@shared_task(ignore_result=True)
def member_refresh_task(member_id):
    """After a member's profile, interests or groups change (see members.signals)."""
    from .models import User
    from .segments import member_refresh

    member = User.objects.filter(pk=member_id).first()
    if member is not None:
        member_refresh(member)

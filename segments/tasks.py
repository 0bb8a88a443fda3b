from celery import shared_task

from members.models import User

from .membership import generations_prune
from .models import Segment
from .services import member_refresh, segment_refresh, segments_refresh_all


@shared_task(name="segments.tasks.segments_refresh_all", ignore_result=True)
def segments_refresh_all_task():
    """Nightly: activity-based rules (ideas, votes, comments, recent activity) drift without any
    save, so every segment is recomputed."""
    segments_refresh_all()
    generations_prune()


@shared_task(ignore_result=True)
def segment_refresh_task(segment_id):
    """After a segment is saved or members are imported into it (see segments.services)."""
    segment = Segment.objects.filter(pk=segment_id).first()
    if segment is not None:
        segment_refresh(segment)


@shared_task(ignore_result=True)
def member_refresh_task(member_id):
    """After a member's profile, interests or groups change (see segments.signals)."""
    member = User.objects.filter(pk=member_id).first()
    if member is not None:
        member_refresh(member)

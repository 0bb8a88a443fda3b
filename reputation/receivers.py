"""How reputation hears what happens, without any lower app knowing it exists:

* the outbox events of `core.events` (an idea published, moved, merged): `event_points`,
  subscribed in `apps.py`, runs in the event's transaction;
* a vote cast or withdrawn: voting's `vote_changed` (the vote is written in SQL), one
  statement in the vote's transaction; the votes an account deletion removes and a merge's
  duplicate votes: the model's own signals, the same statement; a like given or taken back, a
  comment hidden or removed: the models' own signals, in the transaction of the change;
* an idea's status saved (withdrawn by its author; approved or rejected by moderation).
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_comments.models import CommentFlag
from django_comments_xtd.models import LIKEDIT_FLAG, XtdComment

from ideas.models import Event, Idea
from voting.models import Vote
from voting.signals import vote_changed

from .models import ReputationSettings
from .services import (
    levels_refresh,
    points_reverse,
    points_sync_comment,
    points_sync_flag_removed,
    points_sync_ideas,
    points_vote_cast,
    points_vote_removed,
)

IDEA_EVENTS = {Event.Kind.IDEA_CREATED, Event.Kind.STAGE_CHANGED, Event.Kind.MERGED}


def event_points(event):
    """Subscribed to the event bus: an idea published, moved or merged (then both ideas, the
    votes having moved to the target); a moderator's decision on an idea or a comment (hiding
    what members' flags hid takes its points, for good)."""
    if event.kind == Event.Kind.MODERATION:
        if event.comment_id:
            comment = XtdComment.objects.filter(pk=event.comment_id).first()
            return points_sync_comment(comment=comment) if comment is not None else 0
        return points_sync_ideas(ideas=[event.idea])
    if event.kind not in IDEA_EVENTS:
        return 0
    ideas = [event.idea]
    target = (event.data or {}).get("target")
    if event.kind == Event.Kind.MERGED and target:
        ideas += list(Idea.objects.filter(pk=target))
    return points_sync_ideas(ideas=ideas)


@receiver(vote_changed, sender=Vote, dispatch_uid="reputation.vote_changed")
def vote_changed_points(sender, vote_id, cast, **kwargs):
    """`vote_cast` and `vote_withdraw`: one statement each, in the vote's transaction."""
    if cast:
        points_vote_cast(vote_id=vote_id)
    else:
        points_vote_removed(vote_id=vote_id)


@receiver(post_save, sender=Vote, dispatch_uid="reputation.vote_saved")
def vote_saved(sender, instance, created, **kwargs):
    if created:
        points_vote_cast(vote_id=instance.pk)


@receiver(post_delete, sender=Vote, dispatch_uid="reputation.vote_deleted")
def vote_deleted(sender, instance, **kwargs):
    points_vote_removed(vote_id=instance.pk)


@receiver(post_save, sender=Idea, dispatch_uid="reputation.idea_status_saved")
def idea_status_saved(sender, instance, created, update_fields=None, **kwargs):
    """Moderation's approve/reject and an author's withdrawal save the status."""
    if not created and update_fields and "status" in update_fields:
        points_sync_ideas(ideas=[instance])


@receiver(post_save, sender=CommentFlag, dispatch_uid="reputation.flag_saved")
def flag_saved(sender, instance, created, **kwargs):
    if created and instance.flag == LIKEDIT_FLAG:
        comment = XtdComment.objects.filter(pk=instance.comment_id).first()
        if comment is not None:
            points_sync_comment(comment=comment)


@receiver(post_delete, sender=CommentFlag, dispatch_uid="reputation.flag_deleted")
def flag_deleted(sender, instance, **kwargs):
    if instance.flag == LIKEDIT_FLAG:
        points_sync_flag_removed(flag_id=instance.pk)


@receiver(post_save, sender=XtdComment, dispatch_uid="reputation.comment_saved")
def comment_saved(sender, instance, created, **kwargs):
    """A comment hidden or removed loses its helpful and like points."""
    if not created and (not instance.is_public or instance.is_removed):
        points_sync_comment(comment=instance)


@receiver(post_save, sender=ReputationSettings, dispatch_uid="reputation.settings_saved")
def settings_saved(sender, **kwargs):
    """New thresholds: every member's level is worked out again."""
    levels_refresh()


def content_hidden(sender, instance, **kwargs):
    """Receiver-ready for moderation: connect it to the signal sent when a moderator hides an
    idea or a comment (`instance`), and its points are taken back for good. Not connected here:
    the moderation app owns that signal (see docs/reputation.md)."""
    return points_reverse(subject=instance)

"""Keeps `Idea.comment_count` exact. django-comments-xtd owns the comment write path, so a
signal is the one place every new, removed or hidden comment passes through.

Also defines `idea_merging`: sent by `ideas.services.ideas_merge` inside the merge's transaction
(with both ideas locked), with `source` and `target`, so that the apps built on ideas move what
they keep about the source (voting moves the votes). A receiver returns a dict of figures that
are recorded with the merge event.

And `content_held` (below)."""

from django.contrib import messages
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver
from django_comments.signals import comment_will_be_posted
from django_comments_xtd.models import TmpXtdComment, XtdComment
from django_comments_xtd.signals import confirmation_received

from . import holds
from .models import Idea

idea_merging = Signal()

# Sent when an idea or a comment is held for review as it is written (a pre-moderated campaign,
# a blocked word or link, a new member's first posts): `instance` (an Idea with status pending,
# or an XtdComment with is_public=False) and `reason` (a short code: "campaign", "blocked_words",
# "new_member"). The moderation app records it for its queue.
content_held = Signal()


def comment_count_refresh(idea_pk):
    with transaction.atomic():
        # Lock first, count second: the count then sees every comment committed before us.
        if not list(Idea.objects.select_for_update().filter(pk=idea_pk).values_list("pk")):
            return
        visible = XtdComment.objects.filter(
            content_type__app_label="ideas",
            content_type__model="idea",
            object_pk=str(idea_pk),
            is_public=True,
            is_removed=False,
        ).count()
        Idea.objects.filter(pk=idea_pk).update(comment_count=visible)


@receiver([post_save, post_delete], sender=XtdComment)
def comment_changed(sender, instance, created=False, **kwargs):
    if instance.content_type.app_label == "ideas" and instance.content_type.model == "idea":
        comment_count_refresh(instance.object_pk)
        if created and instance.is_public and not instance.is_removed:
            comment_posted(instance)


def comment_posted(comment):
    """The commenter follows the idea; followers and the parent's author hear about it."""
    from .events import record_event
    from .models import Event
    from .services import _follow

    idea = Idea.objects.filter(pk=comment.object_pk).first()
    if idea is None:
        return
    with transaction.atomic():
        if comment.user_id:
            _follow(member=comment.user, idea=idea)
        record_event(
            Event.Kind.COMMENT_CREATED,
            idea=idea,
            actor=comment.user,
            comment_id=comment.pk,
            data={
                "parent": comment.parent_id if comment.parent_id not in (0, comment.pk) else None
            },
        )


# django-comments-xtd hands the comment about to be posted as a `TmpXtdComment` (a dict), and
# creates the XtdComment from it after `comment_was_posted`; `confirmation_received` follows
# with the comment created (`comment.xtd_comment`).


@receiver(comment_will_be_posted, sender=TmpXtdComment)
def comment_hold(sender, comment, request, **kwargs):
    """Before a comment on an idea is written: held for review (not public) when a blocked
    word or link, or the member's first posts, ask for it (`ideas.holds`)."""
    content_type = comment.content_type
    if content_type is None or (content_type.app_label, content_type.model) != ("ideas", "idea"):
        return True
    idea = Idea.objects.select_related("campaign").filter(pk=comment.object_pk).first()
    if idea is None or comment.user is None:
        return True
    reason = holds.hold_reason(
        author=comment.user,
        campaign=idea.campaign,
        texts=[comment.comment],
        is_idea=False,
        request=request,
    )
    if reason:
        comment.is_public = False
        request.cocrea_comment_held = reason
    return True


@receiver(confirmation_received, sender=TmpXtdComment)
def comment_held(sender, comment, request, **kwargs):
    # The discussion view answers with the comment written (in place, with htmx).
    request.cocrea_comment_posted = comment.xtd_comment
    reason = getattr(request, "cocrea_comment_held", None)
    if reason and comment.xtd_comment is not None:
        content_held.send(sender=XtdComment, instance=comment.xtd_comment, reason=reason)
        if not getattr(request, "htmx", False):  # with htmx, the answer says it in place
            messages.info(request, holds.HELD_MESSAGE)

from django.db.models import CharField
from django.db.models.functions import Cast
from django_comments_xtd.models import XtdComment

from ideas.models import Idea

from .audience import anyone, visible_ideas


def member_ideas(*, member, viewer):
    """The member's ideas a viewer may see: all of them (but withdrawn ones) for the member,
    public ones otherwise; for both, only in campaigns the viewer may see (audience policy)."""
    ideas = Idea.objects.filter(author=member)
    if not (viewer.is_authenticated and viewer.pk == member.pk):
        ideas = ideas.public()
    else:
        ideas = ideas.exclude(status=Idea.Status.WITHDRAWN)
    ideas = visible_ideas(ideas, viewer)
    return ideas.select_related("stage", "campaign").order_by("-created_at", "-pk")


def member_comments(*, member, viewer=None):
    """The member's public comments on ideas `viewer` may see (None: judged for anyone)."""
    # object_pk is text in django-comments: compare against the ids cast to text.
    public_idea_ids = (
        visible_ideas(Idea.objects.public(), viewer if viewer is not None else anyone())
        .annotate(pk_text=Cast("pk", CharField()))
        .values("pk_text")
    )
    return XtdComment.objects.filter(
        user=member,
        is_public=True,
        is_removed=False,
        content_type__app_label="ideas",
        content_type__model="idea",
        object_pk__in=public_idea_ids,
    ).order_by("-submit_date")

"""The write path for ideas. Views, the admin, commands and tasks all come through here."""

from django.db import transaction

from .models import Idea, Stage
from .permissions import can_edit_idea, can_submit_idea, can_withdraw_idea, require

EDITABLE_FIELDS = ("title", "description", "category", "image")


def _apply(idea, data):
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(idea, field, data[field])


@transaction.atomic
def idea_submit(*, campaign, author, data) -> Idea:
    """Create an idea in `campaign`. `data` holds cleaned form data (title, description,
    category, tags, image). Held for review when the campaign pre-moderates."""
    require(can_submit_idea(author, campaign))
    category = data.get("category")
    if category is not None and category.campaign_id != campaign.pk:
        raise ValueError("category belongs to another campaign")
    held = campaign.moderation == campaign.Moderation.HOLD
    idea = Idea(
        campaign=campaign,
        author=author,
        stage=Stage.default(),
        status=Idea.Status.PENDING if held else Idea.Status.PUBLISHED,
    )
    _apply(idea, data)
    idea.full_clean()
    idea.save()
    if data.get("tags"):
        idea.tags.set(data["tags"])
    return idea


@transaction.atomic
def idea_update(*, idea, actor, data) -> Idea:
    require(can_edit_idea(actor, idea))
    _apply(idea, data)
    idea.full_clean()
    idea.save()
    if "tags" in data:
        idea.tags.set(data["tags"] or [])
    return idea


@transaction.atomic
def idea_withdraw(*, idea, actor) -> Idea:
    """The author takes the idea back. It leaves every listing; votes stay recorded."""
    require(can_withdraw_idea(actor, idea))
    idea.status = Idea.Status.WITHDRAWN
    idea.save(update_fields=["status", "updated_at", "trending"])
    return idea


def idea_counts_reconcile(*, campaign_id) -> int:
    """Recount votes and visible comments for every idea of a campaign; returns the number of
    ideas whose stored counts were wrong."""
    from django.db.models import CharField, Count, OuterRef, Subquery
    from django.db.models.functions import Cast, Coalesce
    from django_comments_xtd.models import XtdComment

    from voting.models import Vote

    from .models import trending_score

    votes = Vote.objects.filter(idea=OuterRef("pk")).order_by().values("idea")
    comments = (
        XtdComment.objects.filter(
            content_type__app_label="ideas",
            content_type__model="idea",
            object_pk=Cast(OuterRef("pk"), CharField()),
            is_public=True,
            is_removed=False,
        )
        .order_by()
        .values("object_pk")
    )
    fixed = []
    with transaction.atomic():
        ideas = (
            Idea.objects.select_for_update()
            .filter(campaign_id=campaign_id)
            .annotate(
                real_votes=Coalesce(Subquery(votes.annotate(n=Count("pk")).values("n")), 0),
                real_comments=Coalesce(Subquery(comments.annotate(n=Count("pk")).values("n")), 0),
            )
        )
        for idea in ideas:
            if (idea.vote_count, idea.comment_count) != (idea.real_votes, idea.real_comments):
                idea.vote_count, idea.comment_count = idea.real_votes, idea.real_comments
                idea.trending = trending_score(idea.vote_count, idea.created_at)
                fixed.append(idea)
        Idea.objects.bulk_update(
            fixed, ["vote_count", "comment_count", "trending"], batch_size=1000
        )
    return len(fixed)

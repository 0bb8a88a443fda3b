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

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.locales import children_of_translations, localized
from segments.audience import visible_pages

from .models import CampaignPage, Phase


def campaigns_live(*, user, parent=None):
    """Live campaigns `user` may see (no view restriction, and the audience policy), newest
    first; each in the active language when translated (`core.locales.localized`)."""
    pages = localized(CampaignPage.objects.live().public())
    if parent is not None:
        pages = children_of_translations(pages, parent)
    pages = visible_pages(pages, user).select_related("image").order_by("-submission_opens_at")
    return with_card_counts(pages)


def with_card_counts(pages):
    """Annotate each campaign with `idea_total` and `vote_total`: its published ideas (merged
    duplicates left out; their votes moved to the target) and their votes, for the campaign
    cards. Subqueries, so a list of campaigns costs one query whatever its length. The idea
    model belongs to a higher layer (ideas): it is reached through the reverse relation. Ideas
    belong to the source (English) page: a translation counts its source's ideas, matched by
    the translation key the two share."""
    idea_model = CampaignPage._meta.get_field("ideas").related_model
    ideas = (
        idea_model._default_manager.filter(
            campaign__translation_key=OuterRef("translation_key"),
            status=idea_model.Status.PUBLISHED,
            merged_into__isnull=True,
        )
        .order_by()
        .values("campaign")
    )
    zero = Value(0, output_field=IntegerField())
    return pages.annotate(
        idea_total=Coalesce(Subquery(ideas.annotate(n=Count("pk")).values("n")[:1]), zero),
        vote_total=Coalesce(Subquery(ideas.annotate(n=Sum("vote_count")).values("n")[:1]), zero),
    )


def campaigns_for_index(*, user, parent=None):
    """Live campaigns `user` may see, grouped by phase, open ones first."""
    now = timezone.now()
    groups = {phase: [] for phase in (Phase.OPEN, Phase.VOTING, Phase.UPCOMING, Phase.CLOSED)}
    for campaign in campaigns_live(user=user, parent=parent):
        groups[campaign.phase_at(now)].append(campaign)
    return [(phase, phase.label, pages) for phase, pages in groups.items() if pages]

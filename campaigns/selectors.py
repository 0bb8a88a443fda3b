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
    return visible_pages(pages, user).select_related("image").order_by("-submission_opens_at")


def campaigns_for_index(*, user, parent=None):
    """Live campaigns `user` may see, grouped by phase, open ones first."""
    now = timezone.now()
    groups = {phase: [] for phase in (Phase.OPEN, Phase.VOTING, Phase.UPCOMING, Phase.CLOSED)}
    for campaign in campaigns_live(user=user, parent=parent):
        groups[campaign.phase_at(now)].append(campaign)
    return [(phase, phase.label, pages) for phase, pages in groups.items() if pages]

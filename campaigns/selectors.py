from django.utils import timezone

from .models import CampaignPage, Phase


def campaigns_live(parent=None):
    pages = CampaignPage.objects.live().public()
    if parent is not None:
        pages = pages.child_of(parent)
    return pages.select_related("image").order_by("-submission_opens_at")


def campaigns_for_index(parent=None):
    """Live campaigns grouped by phase, open ones first."""
    now = timezone.now()
    groups = {phase: [] for phase in (Phase.OPEN, Phase.VOTING, Phase.UPCOMING, Phase.CLOSED)}
    for campaign in campaigns_live(parent):
        groups[campaign.phase_at(now)].append(campaign)
    return [(phase, phase.label, pages) for phase, pages in groups.items() if pages]
